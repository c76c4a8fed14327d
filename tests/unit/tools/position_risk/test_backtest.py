"""VaR backtest against a hand-worked case (issue 13): exceptions, Basel zones, P&L as in get_pnl."""

from __future__ import annotations

import math
from datetime import date, datetime

import numpy as np
import pytest

from domain.market import Market
from domain.trade import Trade
from tools.position_risk import backtest, calc, var

DAYS = [date(2026, 11, d) for d in (16, 17, 18, 19, 20)]
EURUSD = [1.00, 1.01, 1.00, 1.02, 0.95]


def test_basel_zones_for_250_days_and_scaled_for_fewer():
    assert [backtest.basel_zone(n) for n in (0, 4, 5, 9, 10)] == ["green", "green", "yellow", "yellow", "red"]
    # 125 days: green up to ceil(2) = 2, yellow up to ceil(4.5) = 5
    assert [backtest.basel_zone(n, 125) for n in (2, 3, 5, 6)] == ["green", "yellow", "yellow", "red"]


def test_each_day_compares_its_pnl_with_the_previous_close_var():
    market = Market({d: {"EURUSD": c} for d, c in zip(DAYS, EURUSD, strict=True)})
    long_eur = Trade("L", "B", "EURUSD", "BUY", 1_000_000, 1.00, datetime(2026, 11, 16, 9))
    out = backtest.backtest([long_eur], market, DAYS, observations=3)
    # Compared days 18, 19, 20; P&L = 1m x close change: -10,000, +20,000, -70,000.
    # VaR at the 17th close uses the one return ln(1.01): z x 1,010,000 x 0.00995033 = 23,379.8 -> no exception;
    # at the 19th: EWMA of ln(1.01), ln(1/1.01), ln(1.02) on 1,020,000 of EUR; the -70,000 day is an exception.
    r = [var.currency_returns(market, DAYS[:k + 1], ["EUR"]) for k in range(len(DAYS))]
    expected_var = [var.parametric_var(np.array([1e6 * c]), r[k]) for k, c in
                    ((1, 1.01), (2, 1.00), (3, 1.02))]
    assert expected_var[0] == pytest.approx(2.326347874 * 1_010_000 * abs(math.log(1.01)))
    assert out["observations"] == 3 and out["exceptions"] == 1 and out["zone"] == "green"
    (day,) = out["exception_days"]
    assert (day["day"], day["pnl_usd"], day["var_usd"]) == ("2026-11-20", -70_000.0, calc.money(expected_var[2]))
    assert out["worst_day"]["pnl_usd"] == -70_000.0
    # The daily P&L is exactly get_pnl's day P&L.
    for k in (2, 3, 4):
        assert calc.pnl_report([long_eur], market, DAYS[k - 1], DAYS[k])["total_pnl_usd"] == [
            -10_000.0, 20_000.0, -70_000.0][k - 2]
