"""One trader's own trades inside a scope, with the USD conversion factors their P&L and size need.

Used by the trade-journal and psychology desks. Callers pass plain tuples (data never imports
tools): a trade is returned only when ``trader == user_id``, ``book ∈ books`` and
``customer ∈ customers``; an empty tuple selects nothing.

USD value of one unit of currency C on day d (DESIGN rule): 1 for USD; the close of ``CUSD`` if that
pair exists; else 1 / the close of ``USDC``. A day without a close (weekend, holiday) uses the last
close before it. Each row gets ``quote_usd`` (quote currency on the exit day, closed trades only)
and ``base_usd`` (base currency on the trade day).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import Engine, and_, or_, select

from data import schema
from domain.market import usd_value

_LOOKBACK_DAYS = 10  # calendar days searched back for the last close before a day without one


def own_trades(
    engine: Engine,
    *,
    user_id: str,
    books: Iterable[str],
    customers: Iterable[str],
    start: date,
    end: date,
    by: Literal["open", "exit"] = "open",
    pair: str | None = None,
    closed_by: date | None = None,
) -> list[dict[str, Any]]:
    """Return the user's trades opened (``by="open"``) or closed (``by="exit"``) from ``start`` to ``end``.

    Args:
        engine: the desk database engine.
        user_id: the trader whose own trades are read.
        books: books in scope.
        customers: customers in scope.
        start: first desk date (inclusive).
        end: last desk date (inclusive).
        by: which timestamp falls in the window: the trade time or the exit time.
        pair: only this pair, when given.
        closed_by: an exit after this date (the as-of date) is not known yet: the trade is returned open.

    Returns:
        Row dicts ordered by trade time (``by="open"``) or exit time (``by="exit"``), each with
        ``quote_usd`` and ``base_usd`` added.

    """
    t = schema.trades
    column = t.c.trade_time if by == "open" else t.c.exit_time
    lo, hi = datetime.combine(start, time()), datetime.combine(end + timedelta(days=1), time())
    query = (select(t).where(t.c.trader == user_id, t.c.book.in_(list(books)), t.c.customer.in_(list(customers)),
                             column >= lo, column < hi)
             .order_by(column, t.c.trade_id))
    if pair:
        query = query.where(t.c.pair == pair)
    with engine.connect() as conn:
        result = conn.execute(query)
        keys = tuple(result.keys())
        rows = [dict(zip(keys, r, strict=True)) for r in result.all()]  # plain tuples: no Row mapping per row
    if closed_by is not None:
        for row in rows:
            if row["exit_time"] is not None and row["exit_time"].date() > closed_by:
                row["exit_time"] = row["exit_rate"] = None
    return add_usd_factors(engine, rows)


def open_trade_count(engine: Engine, *, user_id: str, books: Iterable[str], customers: Iterable[str],
                     start: date, end: date, as_of: date, pair: str | None = None) -> int:
    """Count the user's trades opened from ``start`` to ``end`` that are still open on ``as_of``."""
    t = schema.trades
    lo, hi = datetime.combine(start, time()), datetime.combine(end + timedelta(days=1), time())
    cutoff = datetime.combine(as_of + timedelta(days=1), time())
    query = select(t.c.trade_id).where(
        t.c.trader == user_id, t.c.book.in_(list(books)), t.c.customer.in_(list(customers)),
        t.c.trade_time >= lo, t.c.trade_time < hi,
        or_(t.c.exit_time.is_(None), t.c.exit_time >= cutoff),
    )
    if pair:
        query = query.where(t.c.pair == pair)
    with engine.connect() as conn:
        return len(conn.execute(query).all())


def trade_by_id(engine: Engine, trade_id: str) -> dict[str, Any] | None:
    """Return one trade row by id (any trader, any book: the caller checks scope), or None."""
    query = select(schema.trades).where(schema.trades.c.trade_id == trade_id)
    with engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def add_usd_factors(engine: Engine, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add ``quote_usd`` (exit day, closed rows) and ``base_usd`` (trade day) to trade rows in place."""
    needs: list[tuple[str, date]] = []
    for row in rows:
        needs.append((row["pair"][:3], row["trade_time"].date()))
        if row["exit_time"] is not None:
            needs.append((row["pair"][3:], row["exit_time"].date()))
    values = UsdValues.load(engine, needs)
    for row in rows:
        row["base_usd"] = values.get(row["pair"][:3], row["trade_time"].date())
        row["quote_usd"] = (values.get(row["pair"][3:], row["exit_time"].date())
                            if row["exit_time"] is not None else None)
    return rows


class UsdValues:
    """USD value of one unit of a currency on a day, from the stored daily closes."""

    def __init__(self, closes: dict[str, tuple[list[date], list[float]]], direct: dict[str, tuple[str, bool]]):
        self._closes = closes
        self._direct = direct  # currency -> (pair, True if CUSD else False for USDC)

    @classmethod
    def load(cls, engine: Engine, needs: Iterable[tuple[str, date]]) -> UsdValues:
        """Read the closes needed to value ``(currency, day)`` pairs in one query."""
        needs = [(c, d) for c, d in needs if c != "USD"]
        if not needs:
            return cls({}, {})
        with engine.connect() as conn:
            known = set(conn.execute(select(schema.pairs.c.pair)).scalars())
        direct: dict[str, tuple[str, bool]] = {}
        for currency in {c for c, _ in needs}:
            if f"{currency}USD" in known:
                direct[currency] = (f"{currency}USD", True)
            elif f"USD{currency}" in known:
                direct[currency] = (f"USD{currency}", False)
        lo = min(d for _, d in needs) - timedelta(days=_LOOKBACK_DAYS)
        hi = max(d for _, d in needs)
        r = schema.rates
        query = (select(r.c.pair, r.c.day, r.c.close)
                 .where(r.c.pair.in_([p for p, _ in direct.values()]), and_(r.c.day >= lo, r.c.day <= hi))
                 .order_by(r.c.pair, r.c.day))
        closes: dict[str, tuple[list[date], list[float]]] = {}
        with engine.connect() as conn:
            for pair, day, close in conn.execute(query).all():
                days, values = closes.setdefault(pair, ([], []))
                days.append(day)
                values.append(float(close))
        return cls(closes, direct)

    def get(self, currency: str, day: date) -> float | None:
        """Return USD per unit of ``currency`` on ``day`` (last close on or before it), or None if unknown."""
        if currency == "USD":
            return 1.0
        if currency not in self._direct:
            return None
        pair, _ = self._direct[currency]
        days, values = self._closes.get(pair, ([], []))
        i = bisect.bisect_right(days, day) - 1
        if i < 0 or (day - days[i]).days > _LOOKBACK_DAYS:
            return None
        return usd_value(currency, {pair: values[i]})  # the domain core's one conversion rule
