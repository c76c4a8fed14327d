"""The demo dataset builds identically on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from data import schema


def test_demo_dataset_has_as_of_and_trades_on_every_backend(desk_db_any):
    assert desk_db_any.meta("as_of") == "2026-11-20"
    with desk_db_any.engine.connect() as conn:
        trades = conn.execute(select(func.count()).select_from(schema.trades)).scalar()
        users = conn.execute(select(func.count()).select_from(schema.users)).scalar()
    assert trades >= 5000
    assert users == 5


def test_postgresql_holds_the_same_demo_data_as_sqlite(desk_db, desk_db_any):
    def fingerprint(db):
        with db.engine.connect() as conn:
            trades = conn.execute(select(schema.trades.c.trade_id, schema.trades.c.notional, schema.trades.c.rate,
                                         schema.trades.c.trade_time).order_by(schema.trades.c.trade_id)).all()
            closes = conn.execute(select(func.sum(schema.rates.c.close))).scalar()
        return [tuple(r) for r in trades], round(closes, 6)

    assert fingerprint(desk_db_any) == fingerprint(desk_db)
