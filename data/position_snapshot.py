"""The position snapshot: open lots at the as-of close, per customer, kept exactly in step with ``trades``.

At a million trades, summing the open trades takes the database about a second per call (a scan of
every row). A desk's trades change only when a book is loaded, so the load (and the demo build)
also writes the open lots of the as-of close per (book, customer, pair, forward value date) — a
few thousand rows — and the position tools sum those instead (`data.queries.positions.open_lots`).

It is never stale: triggers on ``trades`` bump ``trades_version`` on every insert, update or delete
(row triggers on SQLite, one statement trigger on PostgreSQL, so a bulk load pays once), and the
snapshot is used only while the version it was built at is the current one and for the close it
was built for; anything else (a trade written by hand, another day) reads the trades themselves.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, Engine, and_, case, func, insert, literal, not_, select, text

from data import schema
from data.queries.trades import end_of_day

_SQLITE_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS trades_version_{event.lower()} AFTER {event} ON trades "
    "BEGIN UPDATE trades_version SET version = version + 1 WHERE id = 1; END"
    for event in ("INSERT", "UPDATE", "DELETE")
]
_POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION fxdesk_bump_trades_version() RETURNS trigger AS $$
       BEGIN UPDATE trades_version SET version = version + 1 WHERE id = 1; RETURN NULL; END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE TRIGGER trades_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON trades
       FOR EACH STATEMENT EXECUTE FUNCTION fxdesk_bump_trades_version()""",
]


def ensure_versioning(conn: Connection) -> None:
    """Create the version row and the triggers that bump it (idempotent; in the caller's transaction)."""
    if conn.execute(select(schema.trades_version.c.version)).first() is None:
        conn.execute(insert(schema.trades_version).values(id=1, version=0))
    for statement in _POSTGRES_TRIGGERS if conn.dialect.name == "postgresql" else _SQLITE_TRIGGERS:
        conn.execute(text(statement))


def open_lot_columns(day: date):
    """Return the SELECT columns and WHERE clause of the open trades' lots at the close of ``day``."""
    t = schema.trades
    cutoff = end_of_day(day)
    signed = case((func.upper(t.c.side) == "BUY", t.c.notional), else_=-t.c.notional)
    # a forward past its value date is valued like spot: it joins the spot lot
    forward_date = case((and_(func.upper(t.c.product) == "FORWARD", t.c.value_date > day), t.c.value_date),
                        else_=literal(None))
    exited = and_(t.c.exit_time.is_not(None), t.c.exit_rate.is_not(None), t.c.exit_time < cutoff)
    columns = {"value_date": forward_date.label("value_date"), "trades": func.count().label("trades"),
               "base": func.sum(signed).label("base"), "dealt_quote": func.sum(signed * t.c.rate).label("dealt_quote")}
    return columns, forward_date, and_(t.c.trade_time < cutoff, not_(exited))


def rebuild(conn: Connection, day: date) -> int:
    """Write the snapshot of the open lots at the close of ``day`` (in the caller's transaction); return its rows."""
    ensure_versioning(conn)
    t, snap = schema.trades, schema.position_snapshot
    columns, forward_date, is_open = open_lot_columns(day)
    conn.execute(snap.delete())
    query = (select(t.c.book, t.c.customer, t.c.pair, columns["value_date"], columns["trades"], columns["base"],
                    columns["dealt_quote"])
             .where(is_open).group_by(t.c.book, t.c.customer, t.c.pair, forward_date))
    written = conn.execute(insert(snap).from_select(
        ["book", "customer", "pair", "value_date", "trades", "base", "dealt_quote"], query)).rowcount
    version = conn.execute(select(schema.trades_version.c.version)).scalar_one()
    meta = schema.position_snapshot_meta
    conn.execute(meta.delete())
    conn.execute(insert(meta).values(id=1, day=day, version=version))
    return int(written or 0)


def refresh(engine: Engine, day: date) -> int:
    """`rebuild` in its own transaction."""
    with engine.begin() as conn:
        return rebuild(conn, day)


def usable(conn: Connection, day: date) -> bool:
    """Return whether the snapshot holds the open lots of ``day`` for the trades as they are now."""
    meta, version = schema.position_snapshot_meta, schema.trades_version
    try:
        row = conn.execute(select(meta.c.day, meta.c.version, version.c.version.label("now"))
                           .select_from(meta.join(version, literal(True)))).first()
    except Exception:  # noqa: BLE001 - a database made before the snapshot existed: no tables yet
        conn.rollback()
        return False
    if row is None:
        return False
    built_day = row.day if isinstance(row.day, date) else date.fromisoformat(str(row.day)[:10])
    return built_day == day and row.version == row.now
