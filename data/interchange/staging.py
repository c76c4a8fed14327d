"""Temporary staging tables filled in bulk: COPY on PostgreSQL, executemany on SQLite.

Validated rows go to a temporary table of the same columns inside the load's transaction; the
merge into the real table happens only once every file is valid. Rows are buffered in batches of
`BATCH_ROWS`, so memory stays flat however long the file.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from sqlalchemy import Column, Connection, MetaData, Table

from data.interchange.format import TableFormat

BATCH_ROWS = 20_000


class Stage:
    """One table's staging area for the current load."""

    def __init__(self, conn: Connection, fmt: TableFormat):
        self.conn = conn
        self.fmt = fmt
        self.rows = 0
        name = f"stage_{fmt.name}_{uuid4().hex[:8]}"
        columns = [fmt.table.c[c.name] for c in fmt.columns]  # validated values come in format order
        kwargs: dict[str, Any] = {"prefixes": ["TEMPORARY"]}
        if conn.dialect.name == "postgresql":
            kwargs["postgresql_on_commit"] = "DROP"
        self.table = Table(name, MetaData(), *(Column(c.name, c.type) for c in columns), **kwargs)
        self.table.create(conn)
        self._buffer: list[tuple[Any, ...]] = []
        names = [f'"{c.name}"' for c in columns]
        if conn.dialect.name == "postgresql":
            self._copy_sql = f'COPY "{name}" ({", ".join(names)}) FROM STDIN'
        else:
            self._insert_sql = f'INSERT INTO "{name}" ({", ".join(names)}) VALUES ({", ".join("?" * len(names))})'
            # The dialect's own converters, so staged dates and times are stored exactly as SQLAlchemy stores them.
            procs = [c.type.bind_processor(conn.dialect) for c in columns]
            self._procs = [(i, p) for i, p in enumerate(procs) if p is not None]

    def append(self, values: tuple[Any, ...]) -> None:
        """Add one validated row (values in the table's column order)."""
        self._buffer.append(values)
        if len(self._buffer) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        """Write the buffered rows to the staging table."""
        if not self._buffer:
            return
        rows, self._buffer = self._buffer, []
        self.rows += len(rows)
        if self.conn.dialect.name == "postgresql":
            raw = self.conn.connection.driver_connection
            with raw.cursor() as cursor, cursor.copy(self._copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        if self._procs:
            procs = self._procs
            converted = []
            for row in rows:
                values = list(row)
                for i, proc in procs:
                    if values[i] is not None:
                        values[i] = proc(values[i])
                converted.append(tuple(values))
            rows = converted
        self.conn.exec_driver_sql(self._insert_sql, rows)

    def drop(self) -> None:
        """Drop the staging table (SQLite keeps temporary tables for the connection's life)."""
        if self.conn.dialect.name != "postgresql":
            self.table.drop(self.conn, checkfirst=True)
