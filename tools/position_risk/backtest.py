"""VaR backtest (no LangChain, no SQL): each day's P&L against the previous close's 1-day 99 % VaR.

Definitions (quoted by get_var_backtest; tested by hand in ``tests/unit/tools/position_risk/test_backtest.py``):

- For each of the last ``n`` rate days ``t``: **P&L** = the change in USD value of the scope's trades
  from the close of ``t-1`` to the close of ``t`` (the day P&L of get_pnl: actual P&L, including the
  day's new trades and exits); **VaR** = the 1-day 99 % VaR (parametric or historical, the
  configured quantile) of the positions held at the close of ``t-1``, on the 250 returns up to ``t-1``.
- An **exception** is a day with ``P&L < -VaR``.
- **Basel traffic light** for 250 observations: green 0-4 exceptions, yellow 5-9, red 10 or more.
  With fewer observations the thresholds are scaled by ``observations / 250`` (rounded up), and
  the result says so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np

from domain.market import Market
from domain.trade import Trade
from tools.position_risk import calc, var
from tools.position_risk.scan import scan

BASEL_OBSERVATIONS = 250
GREEN_MAX, YELLOW_MAX = 4, 9


def basel_zone(exceptions: int, observations: int = BASEL_OBSERVATIONS) -> str:
    """Return green / yellow / red for ``exceptions`` in ``observations`` days (thresholds scaled from 250)."""
    scale = observations / BASEL_OBSERVATIONS
    if exceptions <= math.ceil(GREEN_MAX * scale):
        return "green"
    return "yellow" if exceptions <= math.ceil(YELLOW_MAX * scale) else "red"


def backtest(trades: Sequence[Trade], market: Market, days: Sequence[date], observations: int,
             method: str = "parametric", quantile: str = var.QUANTILE_CONVENTION) -> dict[str, Any]:
    """Compare each of the last ``observations`` days' P&L with the previous close's VaR.

    Args:
        trades: the scope's trades up to the last day.
        market: closes of every day in ``days`` and forward points of the compared days.
        days: rate days oldest first, at least ``observations + 1 + var.HISTORY`` when available.
        observations: how many days to compare (250 for Basel).
        method: ``parametric`` or ``historical``.
        quantile: the historical quantile convention.

    """
    compared = list(days[-(observations + 1):])
    scanned = scan(trades, market, compared)
    currencies = sorted({c for t in trades for c in (t.base, t.quote) if c != "USD"})
    returns = var.currency_returns(market, list(days), currencies)   # row i: days[i] -> days[i+1]
    first = len(days) - len(compared)
    rows, exceptions = [], 0
    for k in range(1, len(compared)):
        day = compared[k]
        pnl = (scanned[k][0] - scanned[k - 1][0]) / 100
        vec = np.zeros(len(currencies))
        for ccy, usd in scanned[k - 1][1].items():
            vec[currencies.index(ccy)] += usd
        end = first + k - 1                              # returns up to prev: rows [end - HISTORY, end)
        window = returns[max(0, end - var.HISTORY):end]
        risk = (var.parametric_var(vec, window) if method == "parametric"
                else var.historical_var(vec, window, convention=quantile))
        exception = pnl < -risk
        exceptions += exception
        rows.append({"day": day.isoformat(), "pnl_usd": pnl, "var_usd": calc.money(risk), "exception": bool(exception)})
    n = len(rows)
    return {"method": method, "observations": n, "exceptions": int(exceptions),
            "expected_exceptions": round(n * (1 - var.CONFIDENCE), 2), "zone": basel_zone(int(exceptions), n),
            "zone_thresholds": {"green_max": math.ceil(GREEN_MAX * n / BASEL_OBSERVATIONS),
                                "yellow_max": math.ceil(YELLOW_MAX * n / BASEL_OBSERVATIONS)},
            "exception_days": [r for r in rows if r["exception"]],
            "days_with_position": sum(r["var_usd"] > 0 for r in rows),
            "worst_day": min(rows, key=lambda r: r["pnl_usd"]) if rows else None}
