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
