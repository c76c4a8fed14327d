"""Limit queries: NOP limits per book and currency, VaR limits per book, the trades that carry customer credit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Engine, or_, select

from data import schema
from data.queries.trades import end_of_day


def nop_limits(engine: Engine, books: Iterable[str]) -> dict[tuple[str, str], float]:
    """Return (book, currency) -> absolute net open position limit in USD for the given books."""
    n = schema.nop_limits
    query = select(n.c.book, n.c.currency, n.c.limit_usd).where(n.c.book.in_(list(books)))
    with engine.connect() as conn:
        return {(book, ccy): float(limit) for book, ccy, limit in conn.execute(query)}


def var_limits(engine: Engine, books: Iterable[str]) -> dict[str, float]:
    """Return book -> 1-day 99 % VaR limit in USD for the given books."""
    b = schema.books
    query = select(b.c.book, b.c.var_limit_usd).where(b.c.book.in_(list(books)))
    with engine.connect() as conn:
        return {book: float(limit) for book, limit in conn.execute(query)}


def unsettled_trades(engine: Engine, customers: Iterable[str], as_of: date,
                     books: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Return the customers' trades that carry credit at the as-of close: dealt, unsettled and not exited.

    A trade counts when it was dealt by the end of ``as_of``, its value date is after ``as_of``
    (forwards and the last two days' spot) and the trader has not exited it by then
    (`domain.credit.counts_for_credit`).
    """
    t = schema.trades
    cutoff = end_of_day(as_of)
    query = (select(t).where(t.c.customer.in_(list(customers)), t.c.value_date > as_of, t.c.trade_time < cutoff,
                             or_(t.c.exit_time.is_(None), t.c.exit_time >= cutoff))
             .order_by(t.c.trade_time, t.c.trade_id))
    if books is not None:
        query = query.where(t.c.book.in_(list(books)))
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]
