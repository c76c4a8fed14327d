"""Market data queries: the pair universe, daily OHLC, closing rates, forward points and the domain `Market`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Engine, func, select

from data import schema
from domain.market import Market
from domain.pairs import PairUniverse


def pair_table(engine: Engine) -> dict[str, dict[str, Any]]:
    """Return pair -> {base, quote, region, book, decimals} for every pair the desk trades."""
    with engine.connect() as conn:
        return {row["pair"]: dict(row) for row in conn.execute(select(schema.pairs)).mappings()}


_PAIRS = select(schema.pairs).order_by(schema.pairs.c.pair)  # built once: its compiled form stays memoised


def pair_universe(engine: Engine) -> PairUniverse:
    """Return the pair universe read from the ``pairs`` table (in pair order)."""
    with engine.connect() as conn:
        return PairUniverse.from_rows(conn.execute(_PAIRS).mappings())


def forward_points(engine: Engine, days: Iterable[date],
                   pairs: Iterable[str] | None = None) -> dict[date, dict[str, list[tuple[int, float]]]]:
    """Return day -> pair -> [(tenor_days, points), ...] for the given days (and pairs, when given)."""
    f = schema.forward_points
    wanted = sorted(set(days))
    if not wanted:
        return {}
    query = (select(f.c.day, f.c.pair, f.c.tenor_days, f.c.points)
             .where(f.c.day >= wanted[0], f.c.day <= wanted[-1]).order_by(f.c.day, f.c.pair, f.c.tenor_days))
    if pairs is not None:
        query = query.where(f.c.pair.in_(list(pairs)))
    keep = set(wanted)
    out: dict[date, dict[str, list[tuple[int, float]]]] = {}
    with engine.connect() as conn:
        for day, pair, tenor_days, pts in conn.execute(query):
            day = _as_date(day)
            if day in keep:
                out.setdefault(day, {}).setdefault(pair, []).append((int(tenor_days), float(pts)))
    return out


def market(engine: Engine, days: Iterable[date]) -> Market:
    """Return the domain `Market` (closes and forward curve) of the given days."""
    wanted = sorted(set(days))
    return Market(closes(engine, wanted), forward_points(engine, wanted))


def rate_days(engine: Engine, *, until: date, count: int | None = None, since: date | None = None) -> list[date]:
    """Return the rate days (business days with closes) up to ``until``, oldest first.

    Args:
        engine: the desk database engine.
        until: last day included.
        count: keep only the last ``count`` days, when given.
        since: first day included, when given.

    """
    r = schema.rates
    query = select(r.c.day).where(r.c.day <= until).group_by(r.c.day).order_by(r.c.day.desc())
    if since is not None:
        query = query.where(r.c.day >= since)
    if count is not None:
        query = query.limit(count)
    with engine.connect() as conn:
        return sorted(_as_date(day) for (day,) in conn.execute(query))


def previous_rate_day(engine: Engine, day: date) -> date | None:
    """Return the last rate day strictly before ``day`` (the previous close), or None."""
    with engine.connect() as conn:
        value = conn.execute(select(func.max(schema.rates.c.day)).where(schema.rates.c.day < day)).scalar()
    return _as_date(value) if value is not None else None


def closes(engine: Engine, days: Iterable[date], pairs: Iterable[str] | None = None) -> dict[date, dict[str, float]]:
    """Return day -> pair -> close for the given days (and pairs, when given)."""
    r = schema.rates
    wanted = sorted(set(days))
    if not wanted:
        return {}
    query = select(r.c.day, r.c.pair, r.c.close).where(r.c.day >= wanted[0], r.c.day <= wanted[-1])
    if pairs is not None:
        query = query.where(r.c.pair.in_(list(pairs)))
    keep = set(wanted)
    out: dict[date, dict[str, float]] = {}
    with engine.connect() as conn:
        for day, pair, close in conn.execute(query):
            day = _as_date(day)
            if day in keep:
                out.setdefault(day, {})[pair] = float(close)
    return out


def ohlc(engine: Engine, pair: str, since: date, until: date) -> dict[date, dict[str, float]]:
    """Return day -> {open, high, low, close} of one pair between two dates (inclusive)."""
    r = schema.rates
    query = (select(r.c.day, r.c.open, r.c.high, r.c.low, r.c.close)
             .where(r.c.pair == pair, r.c.day >= since, r.c.day <= until).order_by(r.c.day))
    with engine.connect() as conn:
        return {_as_date(row.day): {"open": row.open, "high": row.high, "low": row.low, "close": row.close}
                for row in conn.execute(query)}


def _as_date(value: Any) -> date:
    # SQLite hands back date objects through SQLAlchemy's Date type; raw strings only in odd dialect paths.
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
