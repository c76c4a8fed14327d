"""`last_closes` (the freshness check of every market-data tool) against every close read here, on both backends."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from data import schema
from data.queries.freshness import last_closes


def _all_closes(db) -> dict[str, list[date]]:
    r = schema.rates
    out: dict[str, list[date]] = {}
    with db.engine.connect() as conn:
        for pair, day in conn.execute(select(r.c.pair, r.c.day)):
            out.setdefault(pair, []).append(day if isinstance(day, date) else date.fromisoformat(str(day)[:10]))
    return out


def test_last_close_per_pair_on_or_before_a_day_matches_every_close(desk_db_any):
    closes = _all_closes(desk_db_any)
    as_of = max(max(days) for days in closes.values())
    pairs = ["EURUSD", "USDTRY", "USDRUB", "EURJPY", "XXXYYY"]  # the last one is no pair at all
    for day in (as_of, as_of - timedelta(days=1), as_of - timedelta(days=45), date(1990, 1, 1)):
        expected = {p: max((d for d in closes.get(p, []) if d <= day), default=None) for p in pairs}
        assert last_closes(desk_db_any.engine, pairs, day) == expected
