"""Trade queries: the rows a scope may see (book in books and customer in customers)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, or_, select

from data import schema
from domain.trade import Trade


def end_of_day(day: date) -> datetime:
    """Return the first instant after ``day`` (timestamps are naive UTC): trades before it happened by then."""
    return datetime.combine(day + timedelta(days=1), time())


def scoped_trades(
    engine: Engine,
    books: Iterable[str],
    customers: Iterable[str],
    *,
    until: date,
    since: date | None = None,
    pairs: Iterable[str] | None = None,
    trader: str | None = None,
) -> list[dict[str, Any]]:
    """Return the trades visible to a scope, traded on or before ``until``, oldest first.

    Args:
        engine: the desk database engine.
        books: books in scope; a row is visible only if its book is one of them.
        customers: customers in scope; a row is visible only if its customer is one of them.
        until: last trade date included (the as-of date or a window end).
        since: first trade date included, when given.
        pairs: only these pairs, when given.
        trader: only this trader's trades (journal and psychology read the caller's own).

    Returns:
        One dict per trade with every column of ``schema.trades``.

    """
    t = schema.trades
    query = (select(t)
             .where(t.c.book.in_(list(books)), t.c.customer.in_(list(customers)),
                    t.c.trade_time < end_of_day(until))
             .order_by(t.c.trade_time, t.c.trade_id))
    if since is not None:
        query = query.where(t.c.trade_time >= datetime.combine(since, time()))
    if pairs is not None:
        query = query.where(t.c.pair.in_(list(pairs)))
    if trader is not None:
        query = query.where(t.c.trader == trader)
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def open_trades(engine: Engine, books: Iterable[str], customers: Iterable[str], as_of: date,
                pairs: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Return the scope's trades still open at the end of ``as_of`` (not exited by then)."""
    cutoff = end_of_day(as_of)
    return [row for row in scoped_trades(engine, books, customers, until=as_of, pairs=pairs)
            if row["exit_time"] is None or row["exit_time"] >= cutoff]


_TRADE_COLUMNS = tuple(f.name for f in fields(Trade))  # the trades columns Trade holds, in its order


def live_trades(engine: Engine, books: Iterable[str], customers: Iterable[str], *, until: date,
                live_after: date | None = None, pairs: Iterable[str] | None = None) -> list[Trade]:
    """Return the scope's trades dealt by the end of ``until`` that are still live after ``live_after``, as `Trade`.

    A trade exited on or before ``live_after`` has a fixed value from then on, so the P&L of a window
    starting after that close cannot move it: those rows stay in the database. Rows come back as
    tuples straight into `Trade` (no row mappings: this is the P&L and backtest hot path).
    """
    t = schema.trades
    query = (select(*(t.c[name] for name in _TRADE_COLUMNS))
             .where(t.c.book.in_(list(books)), t.c.customer.in_(list(customers)),
                    t.c.trade_time < end_of_day(until))
             .order_by(t.c.trade_time, t.c.trade_id))
    if live_after is not None:
        query = query.where(or_(t.c.exit_time.is_(None), t.c.exit_rate.is_(None),
                                t.c.exit_time >= end_of_day(live_after)))
    if pairs is not None:
        query = query.where(t.c.pair.in_(list(pairs)))
    with engine.connect() as conn:
        return [Trade(*row) for row in conn.execute(query).all()]
