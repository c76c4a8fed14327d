"""Limit queries: NOP limits per book and currency, VaR limits per book, customer credit exposure."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import Engine, select

from data import schema
from data.queries.rates import closes, rate_days
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


def credit_exposure(engine: Engine, customers: Iterable[str], as_of: date,
                    books: Iterable[str] | None = None) -> dict[str, float]:
    """Return customer -> credit exposure in USD: notional of unsettled trades at the as-of close.

    A trade is unsettled when it was traded by the end of ``as_of`` and its value date is after
    ``as_of`` (forwards and the last two days' spot). Its exposure is the notional times the USD
    value of the base currency at the as-of close (USD: 1; CCYUSD close; else 1 / USDCCY close).
    The demo dataset sizes credit limits on this definition.
    """
    t = schema.trades
    query = (select(t.c.customer, t.c.pair, t.c.notional)
             .where(t.c.customer.in_(list(customers)), t.c.value_date > as_of,
                    t.c.trade_time < end_of_day(as_of)))
    if books is not None:
        query = query.where(t.c.book.in_(list(books)))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    day = rate_days(engine, until=as_of, count=1)
    market = closes(engine, day).get(day[0], {}) if day else {}
    out: dict[str, float] = {}
    for customer, pair, notional in rows:
        base = pair[:3]
        usd = 1.0 if base == "USD" else market.get(f"{base}USD") or 1.0 / market[f"USD{base}"]
        out[customer] = out.get(customer, 0.0) + float(notional) * usd
    return out
