"""Property tests: NOP legs net to zero in USD at trade rates; scope filtering never leaks a row."""

from __future__ import annotations

import math
from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.queries.trades import scoped_trades
from tools.position_risk import calc
from tools.position_risk.calc import Market, Trade

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
    units = calc.currency_positions(trades, DAY)
    for book in {t.book for t in trades}:
        usd = [qty * market.usd(ccy, DAY) for (b, ccy), qty in units.items() if b == book]
        gross = sum(t.notional * market.usd(t.base, DAY) for t in trades if t.book == book)
        assert math.isclose(sum(usd), 0.0, abs_tol=1e-9 * gross + 1e-6)


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
