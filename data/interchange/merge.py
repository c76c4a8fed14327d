"""Merging a staging table into its real table: insert new keys, update changed rows, audit every change.

An upsert by primary key that touches only rows whose values differ, so loading the same file
twice changes nothing. Each changed row (a trade amendment, a corrected close, a new limit) leaves
one ``audit`` row: tool ``data_load``, decision ``amended``, args naming the table and key, detail
the JSON ``{column: {"old": ..., "new": ...}}`` of what changed.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, exists, func, insert, or_, select, text, true
from sqlalchemy.dialects import postgresql, sqlite

from data import schema
from data.interchange.format import TableFormat
from data.interchange.report import TableCounts
from data.interchange.staging import Stage

AUDIT_TOOL = "data_load"
AUDIT_ROLE = "loader"
_AUDIT_BATCH = 5_000


def merge_stage(conn: Connection, stage: Stage, counts: TableCounts, *, by: str, at: datetime) -> None:
    """Upsert the staged rows into the real table, counting inserted/updated/unchanged and auditing changes."""
    fmt, target, staged = stage.fmt, stage.fmt.table, stage.table
    keys = list(fmt.key)
    others = [c.name for c in fmt.columns if c.name not in keys]
    match = and_(*(target.c[k] == staged.c[k] for k in keys))
    if conn.dialect.name == "postgresql":
        conn.execute(text(f'ANALYZE "{staged.name}"'))  # a fresh temp table has no statistics for the planner
    if others:
        counts.updated = _audit_changes(conn, fmt, staged, match, others, by=by, at=at)
    counts.inserted = conn.execute(
        select(func.count()).select_from(staged).where(~exists().where(match))).scalar_one()
    counts.unchanged = stage.rows - counts.inserted - counts.updated
    columns = [c.name for c in fmt.columns]
    dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    # SQLite needs a WHERE in INSERT ... SELECT ... ON CONFLICT to parse it (its documented ambiguity).
    upsert = dialect_insert(target).from_select(columns, select(*(staged.c[c] for c in columns)).where(true()))
    if others:
        upsert = upsert.on_conflict_do_update(
            index_elements=keys, set_={c: upsert.excluded[c] for c in others},
            where=or_(*(target.c[c].is_distinct_from(upsert.excluded[c]) for c in others)))
    else:
        upsert = upsert.on_conflict_do_nothing(index_elements=keys)
    conn.execute(upsert)
    serial = [c for c in fmt.table.primary_key.columns if c.autoincrement is True]
    if conn.dialect.name == "postgresql" and serial:
        # Explicit ids do not advance the serial sequence; the next insert by the app must not collide.
        table, column = fmt.table.name, serial[0].name
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                          f"GREATEST((SELECT COALESCE(MAX({column}), 0) FROM {table}), 1))"))


def _audit_changes(conn: Connection, fmt: TableFormat, staged, match, others: list[str], *, by: str,
                   at: datetime) -> int:
    target = fmt.table
    query = (select(*(staged.c[k] for k in fmt.key),
                    *(target.c[c].label(f"old_{c}") for c in others),
                    *(staged.c[c].label(f"new_{c}") for c in others))
             .select_from(staged.join(target, match))
             .where(or_(*(staged.c[c].is_distinct_from(target.c[c]) for c in others))))
    changed = 0
    pending: list[dict[str, Any]] = []
    for row in conn.execute(query).mappings().all():
        diff = {c: {"old": row[f"old_{c}"], "new": row[f"new_{c}"]} for c in others
                if row[f"old_{c}"] != row[f"new_{c}"]}
        changed += 1
        pending.append({"at": at, "user_id": by, "role": AUDIT_ROLE, "tool": AUDIT_TOOL, "decision": "amended",
                        "args": json.dumps({"table": fmt.name, "key": {k: row[k] for k in fmt.key}}, default=str),
                        "detail": json.dumps(diff, default=str)})
        if len(pending) >= _AUDIT_BATCH:
            conn.execute(insert(schema.audit), pending)
            pending = []
    if pending:
        conn.execute(insert(schema.audit), pending)
    return changed
