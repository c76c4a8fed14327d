"""Risk conventions a risk manager may set: historical-VaR quantile, backtest length, credit add-on table.

Defaults below; each is overridable by a ``FXDESK_RISK_<NAME>`` variable read once when the desks'
tools are built (`load_conventions`), e.g. ``FXDESK_RISK_VAR_QUANTILE=kth_worst`` or
``FXDESK_RISK_CREDIT_ADDON="30:0.01,182:0.03,365:0.05,99999:0.075"``.

- ``var_quantile``: how the historical VaR picks the 1 % quantile of the ``n`` scenario P&Ls
  (ascending ``x_0 <= ... <= x_(n-1)``). ``interpolated`` (default; numpy's linear, Hyndman-Fan 7):
  ``h = (n - 1) * 0.01``, ``q = x_floor(h) + (h - floor(h)) * (x_(floor(h)+1) - x_floor(h))`` — with
  250 scenarios between the 3rd and 4th worst. ``kth_worst``: ``q = x_(k-1)`` with
  ``k = ceil(n * 0.01)`` — the 3rd worst of 250.
- ``backtest_days``: how many past days the VaR backtest compares (250, the Basel window).
- ``credit_addon``: pre-settlement add-on as a fraction of the USD notional by residual tenor, as
  ``max_days:fraction`` pairs; a trade takes the first bucket whose ``max_days`` >= its days to value
  (default `domain.credit.DEFAULT_ADDON`: <= 30 days 1 %, <= 91 2 %, <= 182 3 %, <= 365 5 %, beyond 7.5 %).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from domain.credit import DEFAULT_ADDON

ENV_PREFIX = "FXDESK_RISK_"


class RiskConventions(BaseModel):
    """Conventions of the VaR, backtest and credit measures (module docstring)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    var_quantile: Literal["interpolated", "kth_worst"] = Field(
        "interpolated", description="Historical VaR 1 % quantile: interpolated (numpy linear) or kth_worst.")
    backtest_days: int = Field(250, ge=20, le=1000, description="Days the VaR backtest compares.")
    credit_addon: tuple[tuple[int, float], ...] = Field(
        DEFAULT_ADDON, description="Pre-settlement add-on (fraction of USD notional) by residual tenor in days.")

    @field_validator("credit_addon", mode="before")
    @classmethod
    def _parse_addon(cls, value: object) -> object:
        if isinstance(value, str):
            buckets = []
            for part in value.split(","):
                days, _, fraction = part.strip().partition(":")
                buckets.append((int(days), float(fraction)))
            value = tuple(sorted(buckets))
        return value

    @field_validator("credit_addon")
    @classmethod
    def _check_addon(cls, value: tuple[tuple[int, float], ...]) -> tuple[tuple[int, float], ...]:
        if not value or any(days < 0 or not 0 <= fraction <= 1 for days, fraction in value):
            raise ValueError("credit_addon needs max_days:fraction buckets with 0 <= fraction <= 1")
        return tuple(sorted(value))


def load_conventions(environ: Mapping[str, str] | None = None) -> RiskConventions:
    """Build the conventions from defaults and ``FXDESK_RISK_<NAME>`` variables (``os.environ`` by default).

    Raises:
        ValueError: a ``FXDESK_RISK_`` variable names no convention, or its value is invalid.

    """
    environ = os.environ if environ is None else environ
    overrides: dict[str, str] = {}
    for key, value in environ.items():
        if key.startswith(ENV_PREFIX):
            name = key[len(ENV_PREFIX):].lower()
            if name not in RiskConventions.model_fields:
                known = ", ".join(ENV_PREFIX + f.upper() for f in RiskConventions.model_fields)
                raise ValueError(f"{key} is not a risk convention; known: {known}")
            overrides[name] = value
    return RiskConventions.model_validate(overrides)
