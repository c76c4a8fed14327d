from datetime import date

import pydantic
import pytest

from prompts import PromptError
from server.settings import Settings


def test_settings_read_env_once_and_are_frozen(monkeypatch):
    monkeypatch.setenv("FXDESK_MAX_DESKS_PER_TURN", "3")
    monkeypatch.setenv("FXDESK_HISTORY_TOKENS", "1500")
    monkeypatch.setenv("FXDESK_PROMPT_VERSIONS", "supervisor=v1, compliance=v2")
    settings = Settings()
    assert (settings.max_desks_per_turn, settings.history_tokens) == (3, 1500)
    assert settings.prompt_pins == {"supervisor": "v1", "compliance": "v2"}
    with pytest.raises(pydantic.ValidationError):
        settings.max_desks_per_turn = 2


def test_old_max_hops_variable_still_sets_the_desk_limit(monkeypatch):
    monkeypatch.delenv("FXDESK_MAX_DESKS_PER_TURN", raising=False)
    monkeypatch.setenv("FXDESK_MAX_HOPS", "2")
    assert Settings().max_desks_per_turn == 2


@pytest.mark.parametrize("value", ["0", "5", "6"])
def test_desk_limit_is_bounded_by_the_number_of_desks(monkeypatch, value):
    """Issue 12: a turn runs each desk at most once, so a limit above 4 could never trigger."""
    monkeypatch.setenv("FXDESK_MAX_DESKS_PER_TURN", value)
    with pytest.raises(pydantic.ValidationError, match="FXDESK_MAX_DESKS_PER_TURN"):
        Settings()


@pytest.mark.parametrize("variable", ["FXDESK_REDIS_URL", "REDIS_URL"])
def test_redis_url_comes_from_either_variable(monkeypatch, variable):
    monkeypatch.delenv("FXDESK_REDIS_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv(variable, "redis://127.0.0.1:6379/3")
    assert Settings().redis_url == "redis://127.0.0.1:6379/3"


def test_defaults_without_environment(monkeypatch):
    for name in ("FXDESK_REDIS_URL", "REDIS_URL", "FXDESK_MAX_HOPS", "FXDESK_MAX_DESKS_PER_TURN",
                 "FXDESK_PROMPT_VERSIONS", "FXDESK_AS_OF"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.redis_url is None and settings.max_desks_per_turn == 4 and settings.prompt_pins == {}
    assert settings.as_of is None


def test_as_of_and_psychology_thresholds_are_settings(monkeypatch):
    """Issue 12: one Settings holds every FXDESK_* variable, including the desk date and thresholds."""
    monkeypatch.setenv("FXDESK_AS_OF", "2026-11-18")
    monkeypatch.setenv("FXDESK_PSY_REVENGE_MINUTES", "45")
    settings = Settings()
    assert settings.as_of == date(2026, 11, 18) and settings.psychology.revenge_minutes == 45


def test_model_env_carries_the_chain_and_the_key_prefix(monkeypatch):
    monkeypatch.setenv("FXDESK_MODELS", "offline")
    monkeypatch.setenv("FXDESK_REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("FXDESK_KEY_PREFIX", "desk-a:")
    env = Settings().model_env(with_redis=False)
    assert env["FXDESK_MODELS"] == "offline" and env["FXDESK_KEY_PREFIX"] == "desk-a:"
    assert "FXDESK_REDIS_URL" not in env and "REDIS_URL" not in env


def test_malformed_prompt_pins_are_a_clear_error(monkeypatch):
    monkeypatch.setenv("FXDESK_PROMPT_VERSIONS", "supervisor")
    with pytest.raises(PromptError, match="malformed prompt pin"):
        _ = Settings().prompt_pins


def test_risk_conventions_are_settings(monkeypatch):
    """Issue 13: FXDESK_RISK_* (historical-VaR quantile, backtest days, credit add-on) are part of Settings."""
    monkeypatch.setenv("FXDESK_RISK_VAR_QUANTILE", "kth_worst")
    monkeypatch.setenv("FXDESK_RISK_CREDIT_ADDON", "30:0.02,99999:0.1")
    settings = Settings()
    assert settings.risk.var_quantile == "kth_worst" and settings.risk.credit_addon == ((30, 0.02), (99999, 0.1))
    assert settings.risk.backtest_days == 250
