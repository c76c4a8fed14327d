"""Behaviour thresholds: brief defaults, frozen, overridable from FXDESK_PSY_<NAME> variables only."""

import pydantic
import pytest

from tools.psychology.thresholds import BehaviourThresholds, load_thresholds


def test_defaults_match_the_desk_policy():
    th = load_thresholds({})
    assert (th.overtrading_ratio, th.overtrading_baseline_days) == (3.0, 60)
    assert (th.revenge_minutes, th.revenge_size_ratio, th.revenge_rate_ratio, th.revenge_min_episodes) == (
        30, 2.0, 2.0, 2)
    assert (th.chase_count, th.chase_excess_pct, th.chase_min_z) == (3, 15, 2.0)
    assert (th.time_of_day_min_trades, th.time_of_day_excess_pct, th.time_of_day_min_z) == (10, 20, 3.0)
    assert th.streak_alert == 4


def test_environment_overrides_named_thresholds():
    th = load_thresholds({"FXDESK_PSY_REVENGE_MINUTES": "45", "FXDESK_PSY_STREAK_ALERT": "6",
                          "OTHER_VAR": "x"})
    assert th.revenge_minutes == 45.0
    assert th.streak_alert == 6
    assert th.chase_count == 3


def test_reads_os_environ_by_default(monkeypatch):
    monkeypatch.setenv("FXDESK_PSY_CHASE_COUNT", "5")
    assert load_thresholds().chase_count == 5


def test_unknown_or_invalid_override_is_rejected():
    with pytest.raises(ValueError, match="FXDESK_PSY_REVENGE_MINUTS"):
        load_thresholds({"FXDESK_PSY_REVENGE_MINUTS": "45"})
    with pytest.raises(pydantic.ValidationError):
        load_thresholds({"FXDESK_PSY_STREAK_ALERT": "0"})


def test_thresholds_are_frozen():
    th = BehaviourThresholds()
    with pytest.raises(pydantic.ValidationError):
        th.streak_alert = 1
