"""Trade-journal entries: insert, read, list, update, and the setup tags linked to trades.

Tags and emotions are stored comma-separated and lower-case (``journal.setup_tags``/``emotions``)
and returned as lists. Callers pass plain tuples of books and customers (data never imports tools);
an entry is listed only when it is the user's own, its book is in ``books`` (or it has none) and,
when it is linked to a trade, that trade's customer is in ``customers``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, String, insert, literal, or_, select, update

from data import schema

_j, _t = schema.journal, schema.trades
_COLUMNS = (_j.c.entry_id, _j.c.user_id, _j.c.book, _t.c.customer, _j.c.trade_id, _j.c.pair, _j.c.setup_tags,
            _j.c.emotions, _j.c.notes, _j.c.created_at, _j.c.updated_at)


def _entries():
    return select(*_COLUMNS).select_from(_j.outerjoin(_t, _j.c.trade_id == _t.c.trade_id))


def _row(mapping: Any) -> dict[str, Any]:
    row = dict(mapping)
    for key in ("setup_tags", "emotions"):
        row[key] = [part for part in (row[key] or "").split(",") if part]
    return row


def insert_entry(engine: Engine, *, user_id: str, book: str | None, trade_id: str | None, pair: str | None,
                 setup_tags: Sequence[str], emotions: Sequence[str], notes: str, at: datetime) -> dict[str, Any]:
    """Write one entry (labels already normalised) and return it as `get_entry` does."""
    with engine.begin() as conn:
        result = conn.execute(insert(_j).values(
            user_id=user_id, book=book, trade_id=trade_id, pair=pair, setup_tags=",".join(setup_tags),
            emotions=",".join(emotions), notes=notes, created_at=at, updated_at=at,
        ))
        entry_id = result.inserted_primary_key[0]
    return get_entry(engine, entry_id)


def get_entry(engine: Engine, entry_id: int) -> dict[str, Any] | None:
    """Return one entry (any user: the caller checks ownership) with its trade's customer, or None."""
    with engine.connect() as conn:
        row = conn.execute(_entries().where(_j.c.entry_id == entry_id)).mappings().first()
    return _row(row) if row else None


def list_entries(engine: Engine, *, user_id: str, books: Iterable[str], customers: Iterable[str], start: date,
                 end: date, tag: str | None = None, pair: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Return the user's entries created from ``start`` to ``end`` (inclusive), newest first.

    Args:
        engine: the desk database engine.
        user_id: whose entries.
        books: books in scope; entries without a book are included.
        customers: customers in scope (checked on entries linked to a trade).
        start: first day (inclusive) of ``created_at``.
        end: last day (inclusive) of ``created_at``.
        tag: only entries carrying this (lower-case) setup tag.
        pair: only entries about this pair.
        limit: most entries to return.

    """
    query = _entries().where(
        _j.c.user_id == user_id,
        or_(_j.c.book.in_(list(books)), _j.c.book.is_(None)),
        or_(_t.c.customer.is_(None), _t.c.customer.in_(list(customers))),
        _j.c.created_at >= datetime.combine(start, time()),
        _j.c.created_at < datetime.combine(end + timedelta(days=1), time()),
    )
    if tag:
        wrapped = literal(",", String) + _j.c.setup_tags + literal(",", String)
        query = query.where(wrapped.contains(f",{tag},", autoescape=True))
    if pair:
        query = query.where(_j.c.pair == pair)
    query = query.order_by(_j.c.created_at.desc(), _j.c.entry_id.desc()).limit(limit)
    with engine.connect() as conn:
        return [_row(r) for r in conn.execute(query).mappings()]


def update_entry(engine: Engine, entry_id: int, *, at: datetime, setup_tags: Sequence[str] | None = None,
                 emotions: Sequence[str] | None = None, notes: str | None = None) -> dict[str, Any] | None:
    """Replace the given fields of one entry, stamp ``updated_at`` and return the entry."""
    values: dict[str, Any] = {"updated_at": at}
    if setup_tags is not None:
        values["setup_tags"] = ",".join(setup_tags)
    if emotions is not None:
        values["emotions"] = ",".join(emotions)
    if notes is not None:
        values["notes"] = notes
    with engine.begin() as conn:
        conn.execute(update(_j).where(_j.c.entry_id == entry_id).values(**values))
    return get_entry(engine, entry_id)


def trade_tags(engine: Engine, *, user_id: str, trade_ids: Iterable[str]) -> dict[str, list[str]]:
    """Return the setup tags of each trade, merged over the user's entries linked to it (first-seen order)."""
    ids = list(trade_ids)
    if not ids:
        return {}
    query = (select(_j.c.trade_id, _j.c.setup_tags)
             .where(_j.c.user_id == user_id, _j.c.trade_id.in_(ids))
             .order_by(_j.c.created_at, _j.c.entry_id))
    tags: dict[str, dict[str, None]] = {}
    with engine.connect() as conn:
        for trade_id, text in conn.execute(query):
            for part in (text or "").split(","):
                if part:
                    tags.setdefault(trade_id, {})[part] = None
    return {trade_id: list(found) for trade_id, found in tags.items()}
