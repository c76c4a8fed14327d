"""Freshness of market data for a scope: the last close per pair and the trades dealt after the as-of date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import Engine, func, select

from data import schema
from data.queries.trades import end_of_day


def last_closes(engine: Engine, pairs: Iterable[str], as_of: date) -> dict[str, date | None]:
    """Return pair -> the last day on or before ``as_of`` with a close (None: no close at all)."""
    wanted = list(pairs)
    r, p = schema.rates, schema.pairs
    # One index seek per pair on the (pair, day) key: a GROUP BY over the rates read every close of the
    # pairs up to the as-of date (1.1 -> 0.25 ms for the nine G10 pairs of the demo; every market-data call).
    last = select(func.max(r.c.day)).where(r.c.pair == p.c.pair, r.c.day <= as_of).scalar_subquery()
    query = select(p.c.pair, last).where(p.c.pair.in_(wanted))
    with engine.connect() as conn:
        found = {pair: day for pair, day in conn.execute(query)}
    return {pair: _as_date(found.get(pair)) for pair in wanted}


def trades_after(engine: Engine, books: Iterable[str], as_of: date) -> dict[str, int]:
    """Return book -> how many of its trades were dealt after the end of ``as_of`` (tools leave them out)."""
    t = schema.trades
    query = (select(t.c.book, func.count()).where(t.c.book.in_(list(books)), t.c.trade_time >= end_of_day(as_of))
             .group_by(t.c.book))
    with engine.connect() as conn:
        return {book: int(n) for book, n in conn.execute(query)}


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
