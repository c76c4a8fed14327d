"""Journal trade records (trades written in the journal, not booked) and the journal rows the behaviour skills read.

Callers pass plain tuples of books and customers (data never imports tools). Tags and emotions are
stored comma-separated and lower-case and returned as lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, insert, or_, select

from data import schema

_r, _j, _t = schema.journal_trades, schema.journal, schema.trades


def _labels(row: Any, *keys: str) -> dict[str, Any]:
    out = dict(row)
    for key in keys:
        out[key] = [part for part in (out[key] or "").split(",") if part]
    return out


def _span(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time()), datetime.combine(end + timedelta(days=1), time())


def insert_record(engine: Engine, *, user_id: str, book: str, pair: str, side: str, size: float | None,
                  entry: float | None, stop: float | None, target: float | None, exit: float | None,
                  setup_tags: Sequence[str], emotions: Sequence[str], notes: str, source_text: str,
                  at: datetime) -> dict[str, Any]:
    """Write one journal trade record (labels already normalised) and return it."""
    with engine.begin() as conn:
        result = conn.execute(insert(_r).values(
            user_id=user_id, book=book, pair=pair, side=side, size=size, entry=entry, stop=stop, target=target,
            exit=exit, setup_tags=",".join(setup_tags), emotions=",".join(emotions), notes=notes,
            source_text=source_text, created_at=at))
        record_id = result.inserted_primary_key[0]
        row = conn.execute(select(_r).where(_r.c.record_id == record_id)).mappings().one()
    return _labels(row, "setup_tags", "emotions")


def list_records(engine: Engine, *, user_id: str, books: Iterable[str], start: date,
                 end: date) -> list[dict[str, Any]]:
    """Return the user's journal trade records in ``books`` created from ``start`` to ``end``, oldest first."""
    lo, hi = _span(start, end)
    query = (select(_r).where(_r.c.user_id == user_id, _r.c.book.in_(list(books)), _r.c.created_at >= lo,
                              _r.c.created_at < hi)
             .order_by(_r.c.created_at, _r.c.record_id))
    with engine.connect() as conn:
        return [_labels(r, "setup_tags", "emotions") for r in conn.execute(query).mappings()]


def entries_with_trades(engine: Engine, *, user_id: str, books: Iterable[str], customers: Iterable[str],
                        start: date, end: date) -> list[dict[str, Any]]:
    """Return the user's journal entries created from ``start`` to ``end``, oldest first, with linked trade fields.

    Scope as in `data.queries.journal.list_entries`: the entry's book in ``books`` (or none) and a
    linked trade's customer in ``customers``. Linked trades add ``side``, ``rate``, ``exit_rate``,
    ``exit_time`` and ``customer`` (None for a free-standing entry).
    """
    lo, hi = _span(start, end)
    query = (select(_j.c.entry_id, _j.c.book, _j.c.trade_id, _j.c.pair, _j.c.setup_tags, _j.c.emotions,
                    _j.c.created_at, _t.c.customer, _t.c.side, _t.c.rate, _t.c.exit_rate, _t.c.exit_time)
             .select_from(_j.outerjoin(_t, _j.c.trade_id == _t.c.trade_id))
             .where(_j.c.user_id == user_id, or_(_j.c.book.in_(list(books)), _j.c.book.is_(None)),
                    or_(_t.c.customer.is_(None), _t.c.customer.in_(list(customers))),
                    _j.c.created_at >= lo, _j.c.created_at < hi)
             .order_by(_j.c.created_at, _j.c.entry_id))
    with engine.connect() as conn:
        return [_labels(r, "setup_tags", "emotions") for r in conn.execute(query).mappings()]
