"""Open positions summed in the database: one `Lot` per (book, pair, spot | forward value date).

The position tools (NOP, VaR, limit use, what-if, limit breaches, pre-trade NOP) need sums over the
open trades, never the trades themselves, so the database does the summing and returns a few
hundred rows whatever the size of the book. `domain.position.lots_of` is the same computation over
`Trade` objects; ``tests/integration/data/test_positions_query.py`` checks one against the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import Engine, Select, func, select

from data import position_snapshot, schema
from domain.position import Lot


def open_lots(engine: Engine, books: Iterable[str], *, day: date, customers: Iterable[str] | None = None,
              pairs: Iterable[str] | None = None) -> list[Lot]:
    """Return the lots of the trades open at the close of ``day`` in ``books``.

    Read from the position snapshot when it is current for ``day`` (`data.position_snapshot`),
    else summed over the trades.

    Args:
        engine: the desk database engine.
        books: books in scope.
        day: the close the position is taken at (dealt before its end, not exited by then).
        customers: only these customers' trades (a scoped caller's rows); ``None``: every customer
            (a book-level figure: a limit is the book's).
        pairs: only these pairs, when given.

    """
    with engine.connect() as conn:
        if position_snapshot.usable(conn, day):
            query = _from_snapshot(books, customers, pairs)
        else:
            query = _from_trades(books, day, customers, pairs)
        return [Lot(book=row.book, pair=row.pair, value_date=_as_date(row.value_date), trades=int(row.trades),
                    base=float(row.base), dealt_quote=float(row.dealt_quote))
                for row in conn.execute(query)]


def _from_trades(books: Iterable[str], day: date, customers: Iterable[str] | None,
                 pairs: Iterable[str] | None) -> Select:
    t = schema.trades
    columns, forward_date, is_open = position_snapshot.open_lot_columns(day)
    query = (select(t.c.book, t.c.pair, *columns.values())
             .where(t.c.book.in_(list(books)), is_open)
             .group_by(t.c.book, t.c.pair, forward_date)
             .order_by(t.c.book, t.c.pair, forward_date))
    if customers is not None:
        query = query.where(t.c.customer.in_(list(customers)))
    if pairs is not None:
        query = query.where(t.c.pair.in_(list(pairs)))
    return query


def _from_snapshot(books: Iterable[str], customers: Iterable[str] | None, pairs: Iterable[str] | None) -> Select:
    s = schema.position_snapshot
    query = (select(s.c.book, s.c.pair, s.c.value_date, func.sum(s.c.trades).label("trades"),
                    func.sum(s.c.base).label("base"), func.sum(s.c.dealt_quote).label("dealt_quote"))
             .where(s.c.book.in_(list(books)))
             .group_by(s.c.book, s.c.pair, s.c.value_date)
             .order_by(s.c.book, s.c.pair, s.c.value_date))
    if customers is not None:
        query = query.where(s.c.customer.in_(list(customers)))
    if pairs is not None:
        query = query.where(s.c.pair.in_(list(pairs)))
    return query


def _as_date(value: object) -> date | None:
    # SQLite hands back a CASE over a DATE column as text.
    if value is None or isinstance(value, date):
        return value  # type: ignore[return-value]
    return date.fromisoformat(str(value)[:10])
