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

    overtrading_ratio: float = Field(2.0, gt=0, description="Flag a day with ≥ this × baseline trades.")
    overtrading_baseline_days: int = Field(60, ge=1, description="Business days before the window for the "
                                                                 "baseline (median daily count).")
    overtrading_min_baseline: float = Field(1.0, ge=0, description="Floor of the baseline, so a trader with "
                                                                   "a quiet history is not flagged for 1 trade.")
    revenge_minutes: float = Field(30.0, gt=0, description="A trade opened this soon after a losing close.")
    revenge_size_ratio: float = Field(1.5, gt=0, description="… with USD notional ≥ this × the median.")
    chase_count: int = Field(3, ge=1, description="Flag loss chasing at this many episodes in the window.")
    time_of_day_share: float = Field(40.0, gt=0, le=100, description="Flag a 2-hour bucket holding ≥ this % "
                                                                     "of trades or of losses.")
    time_of_day_min_trades: int = Field(10, ge=1, description="Fewer trades than this: no time-of-day flag.")
    time_of_day_min_losses: int = Field(3, ge=1, description="Fewer losses than this: no loss-concentration "
                                                             "flag.")
    streak_alert: int = Field(4, ge=1, description="Flag a current loss streak of at least this length.")
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
