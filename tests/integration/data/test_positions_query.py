"""The database sums open positions as the Python twin does (`domain.position.lots_of`), live and from the snapshot."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from data import position_snapshot, schema
from data.queries import positions, rates
from domain.position import lots_of
from domain.trade import Trade


def _book_rows(db, books, day):
    """Every trade of ``books`` dealt by the close of ``day``, read here independently of the code under test."""
    t = schema.trades
    end = datetime.combine(day + timedelta(days=1), datetime.min.time())
    with db.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(t).where(t.c.book.in_(books), t.c.trade_time < end)).mappings()]


def _days(db) -> list[date]:
    days = rates.rate_days(db.engine, until=date(2100, 1, 1), count=200)
    return [days[-1], days[-20], days[-120]]  # the as-of close, a month ago, half a year ago


def _customers(db) -> list[str]:
    with db.engine.connect() as conn:
        return sorted(conn.execute(select(schema.customers.c.customer)).scalars())


def _by_key(lots):
    return {(lot.book, lot.pair, lot.value_date): lot for lot in lots}


@pytest.mark.parametrize("which", ["book", "customers"])
def test_sql_lots_equal_the_python_sums_of_the_open_trades(desk_db_any, which):
    db = desk_db_any
    books = ["FX-G10", "FX-ASIA", "FX-EM"]
    customers = _customers(db)[::3] if which == "customers" else None
    for day in _days(db):
        rows = _book_rows(db, books, day)
        expected = _by_key(lots_of([Trade.from_row(r) for r in rows
                                    if customers is None or r["customer"] in customers], day))
        got = _by_key(positions.open_lots(db.engine, books, day=day, customers=customers))
        assert got.keys() == expected.keys(), day
        assert any(key[2] is not None for key in got), "the demo book holds forwards: some lots must be forwards"
        for key, lot in got.items():
            want = expected[key]
            assert lot.trades == want.trades, key
            assert lot.base == pytest.approx(want.base, rel=1e-12, abs=1e-6), key
            assert lot.dealt_quote == pytest.approx(want.dealt_quote, rel=1e-12, abs=1e-6), key


def test_sql_lots_leave_out_exited_trades_and_other_books(desk_db):
    day = rates.rate_days(desk_db.engine, until=date(2100, 1, 1), count=1)[-1]
    all_rows = _book_rows(desk_db, ["FX-G10"], day)
    exited = [r for r in all_rows if r["exit_time"] is not None and r["exit_rate"] is not None]
    assert exited, "the demo book has closed trades"
    lots = positions.open_lots(desk_db.engine, ["FX-G10"], day=day)
    assert {lot.book for lot in lots} == {"FX-G10"}
    open_count = sum(1 for r in all_rows if Trade.from_row(r).is_open(day))
    assert sum(lot.trades for lot in lots) == open_count < len(all_rows)


def _python_lots(db, day, customers=None):
    rows = _book_rows(db, ["FX-G10", "FX-ASIA", "FX-EM"], day)
    return _by_key(lots_of([Trade.from_row(r) for r in rows if customers is None or r["customer"] in customers], day))


def _assert_same(got, want):
    assert got.keys() == want.keys()
    for key, lot in got.items():
        assert lot.trades == want[key].trades, key
        assert lot.base == pytest.approx(want[key].base, rel=1e-12, abs=1e-6), key
        assert lot.dealt_quote == pytest.approx(want[key].dealt_quote, rel=1e-12, abs=1e-6), key


@pytest.mark.parametrize("which", ["book", "customers"])
def test_the_snapshot_of_the_as_of_close_holds_the_same_lots_as_the_trades(desk_db_any, which):
    db = desk_db_any
    day = rates.rate_days(db.engine, until=date(2100, 1, 1), count=1)[-1]
    customers = _customers(db)[1::4] if which == "customers" else None
    with db.engine.connect() as conn:
        assert position_snapshot.usable(conn, day), "the demo build writes the snapshot of its as-of close"
    got = _by_key(positions.open_lots(db.engine, ["FX-G10", "FX-ASIA", "FX-EM"], day=day, customers=customers))
    _assert_same(got, _python_lots(db, day, customers))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def own_db(request, tmp_path):
    """A demo database of this test's own (it writes trades)."""
    from data.database import Database

    url = f"sqlite:///{tmp_path / 'own.db'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    db = Database.from_url(url)
    yield db
    db.engine.dispose()


def test_any_write_to_trades_retires_the_snapshot_until_it_is_rebuilt(own_db):
    db = own_db
    day = rates.rate_days(db.engine, until=date(2100, 1, 1), count=1)[-1]
    books = ["FX-G10", "FX-ASIA", "FX-EM"]
    before = _by_key(positions.open_lots(db.engine, books, day=day))
    t = schema.trades
    with db.engine.begin() as conn:  # a trade written by hand, not through a load
        target = conn.execute(select(t.c.trade_id, t.c.book, t.c.pair).where(t.c.exit_time.is_(None),
                                                                              t.c.product == "SPOT")
                              .order_by(t.c.trade_id).limit(1)).one()
        conn.execute(t.update().where(t.c.trade_id == target.trade_id).values(notional=t.c.notional + 1_000_000))
    with db.engine.connect() as conn:
        assert not position_snapshot.usable(conn, day)
    after = _by_key(positions.open_lots(db.engine, books, day=day))
    key = (target.book, target.pair, None)
    assert abs(after[key].base - before[key].base) == pytest.approx(1_000_000)
    _assert_same(after, _python_lots(db, day))
    position_snapshot.refresh(db.engine, day)
    with db.engine.connect() as conn:
        assert position_snapshot.usable(conn, day)
        assert not position_snapshot.usable(conn, rates.rate_days(db.engine, until=day, count=2)[0])  # other day
    _assert_same(_by_key(positions.open_lots(db.engine, books, day=day)), after)


def test_a_database_from_before_the_snapshot_gets_one_when_opened(tmp_path):
    from data.database import Database

    url = f"sqlite:///{tmp_path / 'old.db'}"
    db = Database.from_url(url)
    with db.engine.begin() as conn:  # as a database made before the snapshot existed
        conn.execute(schema.position_snapshot_meta.delete())
        conn.execute(schema.position_snapshot.delete())
    db.engine.dispose()
    reopened = Database.from_url(url)
    with reopened.engine.connect() as conn:
        assert position_snapshot.usable(conn, reopened.as_of)
    reopened.engine.dispose()
