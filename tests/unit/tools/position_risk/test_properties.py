"""Property tests: NOP legs net to zero in USD at trade rates; daily P&L adds up; scope never leaks a row."""

from __future__ import annotations

import math
from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.queries.trades import scoped_trades
from domain.market import Market
from domain.trade import Trade
from tools.position_risk import calc

DAY = date(2026, 11, 20)
CURRENCIES = ("EUR", "GBP", "JPY", "CHF", "MXN")
# Pairs in market convention, including crosses whose USD value comes through both legs.
PAIRS = ("EURUSD", "GBPUSD", "USDJPY", "USDCHF", "USDMXN", "EURGBP", "EURJPY", "GBPJPY", "EURCHF")


def _market(usd_values: dict[str, float]) -> Market:
    values = {"USD": 1.0, **usd_values}
    closes = {p: values[p[:3]] / values[p[3:]] for p in PAIRS}
    # Only CCYUSD / USDCCY closes are used for conversion; crosses are priced consistently with them.
    return Market({DAY: closes})


usd_values = st.fixed_dictionaries({c: st.floats(0.001, 5.0) for c in CURRENCIES})
trade_specs = st.lists(
    st.tuples(st.sampled_from(PAIRS), st.sampled_from(["BUY", "SELL"]), st.floats(1_000, 1e9),
              st.sampled_from(["FX-G10", "FX-EM"])),
    min_size=1, max_size=30,
)


@given(values=usd_values, specs=trade_specs)
def test_nop_legs_sum_to_zero_in_usd_when_dealt_at_market_rates(values, specs):
    market = _market(values)
    trades = [Trade(f"T{i}", book, pair, side, notional, market.close(pair, DAY), datetime(2026, 11, 20, 9))
              for i, (pair, side, notional, book) in enumerate(specs)]
    units = calc.currency_positions(calc.lots_of(trades, DAY), market, DAY)
    for book in {t.book for t in trades}:
        usd = [qty * market.usd(ccy, DAY) for (b, ccy), qty in units.items() if b == book]
        gross = sum(t.notional * market.usd(t.base, DAY) for t in trades if t.book == book)
        assert math.isclose(sum(usd), 0.0, abs_tol=1e-9 * gross + 1e-6)


DAYS = [date(2026, 11, d) for d in (16, 17, 18, 19, 20)]
day_values = st.lists(st.fixed_dictionaries({c: st.floats(0.005, 3.0) for c in CURRENCIES}),
                      min_size=len(DAYS), max_size=len(DAYS))
day_trades = st.lists(
    st.tuples(st.sampled_from(PAIRS), st.sampled_from(["BUY", "SELL"]), st.floats(1_000, 5e8),
              st.integers(0, 4), st.one_of(st.none(), st.integers(0, 4)), st.floats(0.9, 1.1),
              st.one_of(st.none(), st.integers(1, 400)), st.floats(0.9, 1.1)),
    min_size=1, max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(values=day_values, specs=day_trades, start=st.integers(0, 3))
def test_daily_pnl_sums_to_the_period_pnl_to_the_cent(values, specs, start):
    """Issue 13: P&L is the change in USD value, so day P&Ls add up to any period's P&L exactly."""
    closes, points = {}, {}
    for day, v in zip(DAYS, values, strict=True):
        usd = {"USD": 1.0, **v}
        closes[day] = {p: usd[p[:3]] / usd[p[3:]] for p in PAIRS}
        points[day] = {p: [(30, 0.002 * closes[day][p]), (365, 0.03 * closes[day][p])] for p in PAIRS}
    market = Market(closes, points)
    trades = []
    for i, (pair, side, notional, dealt, exit_after, rate_k, fwd_days, exit_k) in enumerate(specs):
        deal_day = DAYS[dealt]
        exit_day = DAYS[min(4, dealt + exit_after)] if exit_after is not None else None
        trades.append(Trade(
            f"T{i}", "B", pair, side, notional, closes[deal_day][pair] * rate_k, datetime(2026, 11, deal_day.day, 9),
            exit_rate=closes[exit_day][pair] * exit_k if exit_day else None,
            exit_time=datetime(2026, 11, exit_day.day, 15) if exit_day else None,
            product="FORWARD" if fwd_days else "SPOT",
            value_date=date.fromordinal(deal_day.toordinal() + fwd_days) if fwd_days else None))
    period = calc.pnl_report(trades, market, DAYS[start], DAYS[-1])
    daily = [calc.pnl_report(trades, market, DAYS[i - 1], DAYS[i]) for i in range(start + 1, len(DAYS))]
    cents = [round(r["total_pnl_usd"] * 100) for r in daily]
    assert sum(cents) == round(period["total_pnl_usd"] * 100)
    for name in ("price_effect_usd", "fx_translation_usd"):
        for r in [period, *daily]:
            assert math.isclose(sum(p[name] for p in r["by_pair"]), r[f"total_{name}"], abs_tol=0.001)
    for r in [period, *daily]:
        assert round(r["total_price_effect_usd"] * 100) + round(r["total_fx_translation_usd"] * 100) == round(
            r["total_pnl_usd"] * 100)


ALL_BOOKS = ("FX-G10", "FX-EM", "FX-XX")
ALL_CUSTOMERS = tuple(f"Cust{i}" for i in (*range(201, 231), *range(301, 331), 999, 404))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(books=st.sets(st.sampled_from(ALL_BOOKS)), customers=st.sets(st.sampled_from(ALL_CUSTOMERS), max_size=20),
       pair=st.one_of(st.none(), st.sampled_from(("EURUSD", "USDMXN", "USDRUB"))))
def test_scoped_trades_never_return_a_row_outside_the_scope(desk_db, books, customers, pair):
    rows = scoped_trades(desk_db.engine, books, customers, until=DAY, pairs=[pair] if pair else None)
    assert all(r["book"] in books and r["customer"] in customers for r in rows)
    assert all(pair is None or r["pair"] == pair for r in rows)
    if not books or not customers:
        assert rows == []
