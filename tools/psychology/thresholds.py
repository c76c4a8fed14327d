"""Behaviour-check thresholds: configuration with defaults, overridable by ``FXDESK_PSY_<NAME>`` variables.

The checks in `tools.psychology.calc` read every limit from a `BehaviourThresholds`; none is a
literal in the checks. `load_thresholds` reads the environment once (the psychology tools call it
when they are built), e.g. ``FXDESK_PSY_REVENGE_MINUTES=45`` or ``FXDESK_PSY_STREAK_ALERT=5``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

ENV_PREFIX = "FXDESK_PSY_"


class BehaviourThresholds(BaseModel):
    """Limits of the behaviour checks (see DESIGN §4, psychology)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    overtrading_ratio: float = Field(3.0, gt=0, description="Flag a day with ≥ this × baseline trades.")
    overtrading_baseline_days: int = Field(60, ge=1, description="Business days before the window for the "
                                                                 "baselines (median daily count, loss streaks).")
    overtrading_min_baseline: float = Field(1.0, ge=0, description="Floor of the baseline, so a trader with "
                                                                   "a quiet history is not flagged for 1 trade.")
    revenge_minutes: float = Field(30.0, gt=0, description="A trade opened this soon after a losing close.")
    revenge_size_ratio: float = Field(2.0, gt=0, description="… with USD notional ≥ this × the median is outsized.")
    revenge_rate_ratio: float = Field(2.0, gt=0, description="Flag when the outsized share after losses is ≥ this "
                                                             "× the outsized share of the other trades.")
    revenge_min_episodes: int = Field(2, ge=1, description="… and at least this many outsized post-loss trades.")
    chase_count: int = Field(3, ge=1, description="Loss chasing needs at least this many episodes in the window.")
    chase_excess_pct: float = Field(15.0, ge=0, description="… a larger-next-trade share after losses this many "
                                                            "points above the share after wins …")
    chase_min_z: float = Field(2.0, ge=0, description="… and a two-proportion z of at least this.")
    time_of_day_min_trades: int = Field(10, ge=1, description="A 2-hour bucket needs this many closed trades.")
    time_of_day_excess_pct: float = Field(20.0, ge=0, description="Flag a bucket losing this many points more "
                                                                  "often than the trader's other hours …")
    time_of_day_min_z: float = Field(3.0, ge=0, description="… with a two-proportion z of at least this.")
    streak_alert: int = Field(4, ge=1, description="Flag a current loss streak of at least this length (and at "
                                                   "least the trader's longest in the baseline period).")
    tilt_big_win_ratio: float = Field(2.0, gt=0, description="A big win: P&L ≥ this × the median winning P&L.")
    tilt_loss_streak: int = Field(3, ge=1, description="A losing streak: this many losses in a row.")
    tilt_next_trades: int = Field(5, ge=1, le=50, description="Trades opened after each trigger that are judged.")
    tilt_size_ratio: float = Field(1.25, gt=0, description="Tilt when their mean size is ≥ this × the baseline …")
    tilt_win_rate_drop_pct: float = Field(15.0, ge=0, description="… or their win rate this many points lower.")
    tilt_min_trades: int = Field(5, ge=1, description="Judge a condition only with this many trades after it.")
    daily_loss_limit_usd: float = Field(50_000.0, gt=0, description="Default personal daily loss limit (realised).")
    discipline_size_ratio: float = Field(2.5, gt=0, description="Size beyond the usual: ≥ this × the baseline "
                                                                "median size.")
    discipline_rate_ratio: float = Field(1.5, gt=0, description="Flag oversizing when its share is ≥ this × the "
                                                                "baseline share.")
    severity_medium: float = Field(1.5, ge=1, description="Observed / threshold at which severity is medium.")
    severity_high: float = Field(2.0, ge=1, description="Observed / threshold at which severity is high.")


def load_thresholds(environ: Mapping[str, str] | None = None) -> BehaviourThresholds:
    """Build the thresholds from defaults and ``FXDESK_PSY_<NAME>`` variables (``os.environ`` by default).

    Raises:
        ValueError: a ``FXDESK_PSY_`` variable names no threshold, or its value is invalid.

    """
    environ = os.environ if environ is None else environ
    fields = BehaviourThresholds.model_fields
    overrides: dict[str, str] = {}
    for key, value in environ.items():
        if not key.startswith(ENV_PREFIX):
            continue
        name = key[len(ENV_PREFIX):].lower()
        if name not in fields:
            known = ", ".join(ENV_PREFIX + f.upper() for f in fields)
            raise ValueError(f"{key} is not a behaviour threshold; known: {known}")
        overrides[name] = value
    return BehaviourThresholds.model_validate(overrides)
