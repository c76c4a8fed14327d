"""The numpy scan gives the backtest the same cents and exposures as valuing each trade in Python."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

import pytest

from domain import valuation
from domain.market import Market
from domain.trade import end_of
from tests.unit.tools.position_risk.random_books import random_market, random_trades
from tools.position_risk.scan import scan


def _python_scan(trades, market, days):
    """The backtest's former per-trade loop (kept here as the reference)."""
    out = []
    for day in days:
        end = end_of(day)
        total, units = 0, defaultdict(float)
        for t in sorted(trades, key=lambda t: t.trade_time):
            if t.trade_time >= end:
                break
            if t.exited_by(day):
                total += valuation.cents(valuation.value_usd(t, market, day))
                continue
            s_n = t.sign * t.notional
            close = market.close(t.pair, day)
            if valuation.is_marked_forward(t, t.trade_time.date()) and t.value_date > day:
                df = market.discount(day, t.value_date)
                points = market.forward_points(t.pair, day, t.value_date)
                amount = s_n * df
                total += valuation.cents(amount * ((close + points) - t.rate) * market.usd(t.quote, day))
                units[t.base] += amount
                units[t.quote] += -amount * (t.rate - points)
            else:
                total += valuation.cents(s_n * (close - t.rate) * market.usd(t.quote, day))
                units[t.base] += s_n
                units[t.quote] += -s_n * t.rate
        out.append((total, {c: q * market.usd(c, day) for c, q in units.items() if c != "USD"}))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_scan_matches_the_per_trade_loop_to_the_cent_and_bit(seed):
    rng = random.Random(seed)
    start = date(2026, 6, 1)
    days = [start + timedelta(days=k) for k in range(60) if (start + timedelta(days=k)).weekday() < 5]
    market = random_market(days, rng)
    trades = random_trades(days, rng, 400)
    got, want = scan(trades, market, days), _python_scan(trades, market, days)
    assert [total for total, _ in got] == [total for total, _ in want]
    assert [exposures for _, exposures in got] == [exposures for _, exposures in want]  # exact floats


def test_scan_of_no_trades_is_zero_every_day():
    day = date(2026, 6, 1)
    assert scan([], Market({day: {"EURUSD": 1.1}}), [day]) == [(0, {})]
