"""Shared queries on a tiny hand-made database: scope filtering, open trades, rate days, limits, credit exposure."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import create_engine, insert

from data import schema
from data.queries import limits, rates, trades

THU, FRI, MON = date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 23)


@pytest.fixture
def engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'tiny.db'}")
    schema.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(schema.pairs), [
            {"pair": "EURUSD", "base": "EUR", "quote": "USD", "region": "G10", "book": "G", "decimals": 5},
            {"pair": "USDMXN", "base": "USD", "quote": "MXN", "region": "EM", "book": "E", "decimals": 4},
        ])
        conn.execute(insert(schema.rates), [
            {"pair": p, "day": d, "open": c, "high": c, "low": c, "close": c}
            for p, d, c in [("EURUSD", THU, 1.08), ("EURUSD", FRI, 1.10), ("USDMXN", THU, 18.0), ("USDMXN", FRI, 20.0)]
        ])
        conn.execute(insert(schema.books), [{"book": "G", "description": "", "var_limit_usd": 5e6},
                                            {"book": "E", "description": "", "var_limit_usd": 2e6}])
        conn.execute(insert(schema.nop_limits), [{"book": "G", "currency": "EUR", "limit_usd": 1e8}])
        conn.execute(insert(schema.customers), [
            {"customer": c, "name": c, "kyc_status": "approved", "credit_limit_usd": 1e7} for c in ("C1", "C2")
        ])
        conn.execute(insert(schema.trades), [
            _trade("T1", "G", "C1", "EURUSD", 1e6, datetime(2026, 11, 19, 9), FRI),               # settled by Fri
            _trade("T2", "G", "C2", "EURUSD", 2e6, datetime(2026, 11, 20, 9), date(2026, 11, 24)),
            _trade("T3", "E", "C1", "USDMXN", 3e6, datetime(2026, 11, 20, 10), date(2026, 12, 20),
                   exit_time=datetime(2026, 11, 20, 11)),
            _trade("T4", "G", "C1", "EURUSD", 4e6, datetime(2026, 11, 23, 9), date(2026, 11, 25)),   # after as-of
        ])
    yield engine
    engine.dispose()


def _trade(tid, book, customer, pair, notional, when, value_date, exit_time=None):
    return {"trade_id": tid, "trader": "t", "customer": customer, "book": book, "pair": pair, "product": "SPOT",
            "side": "BUY", "notional": notional, "rate": 1.0, "trade_time": when, "booking_time": when,
            "value_date": value_date, "exit_rate": 1.0 if exit_time else None, "exit_time": exit_time}


def test_scoped_trades_need_both_book_and_customer_in_scope(engine):
    ids = [t["trade_id"] for t in trades.scoped_trades(engine, ["G"], ["C1"], until=FRI)]
    assert ids == ["T1"]
    ids = [t["trade_id"] for t in trades.scoped_trades(engine, ["G", "E"], ["C1", "C2"], until=FRI, since=FRI)]
    assert ids == ["T2", "T3"]
    assert trades.scoped_trades(engine, [], ["C1"], until=MON) == []


def test_open_trades_drop_trades_exited_by_the_as_of_date(engine):
    ids = [t["trade_id"] for t in trades.open_trades(engine, ["G", "E"], ["C1", "C2"], FRI)]
    assert ids == ["T1", "T2"]


def test_rate_days_and_previous_close(engine):
    assert rates.rate_days(engine, until=MON) == [THU, FRI]
    assert rates.rate_days(engine, until=FRI, count=1) == [FRI]
    assert rates.previous_rate_day(engine, MON) == FRI
    assert rates.previous_rate_day(engine, THU) is None
    assert rates.closes(engine, [FRI], ["EURUSD"]) == {FRI: {"EURUSD": 1.10}}
    assert rates.pair_table(engine)["USDMXN"]["book"] == "E"


def test_limits_by_book(engine):
    assert limits.nop_limits(engine, ["G", "E"]) == {("G", "EUR"): 1e8}
    assert limits.var_limits(engine, ["E"]) == {"E": 2e6}


def test_unsettled_trades_are_dealt_open_and_not_yet_settled(engine):
    """Issue 13: T3 (a forward closed out by the trader) no longer carries credit; T1 settled on Friday,
    T4 was dealt after the as-of date; T2 counts."""
    assert [r["trade_id"] for r in limits.unsettled_trades(engine, ["C1", "C2"], FRI)] == ["T2"]
    assert limits.unsettled_trades(engine, ["C1", "C2"], FRI, books=["E"]) == []
