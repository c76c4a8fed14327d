"""Export the desk database in the interchange format: one CSV (or .csv.gz) per table, streamed."""

from __future__ import annotations

import csv
import gzip
import io
import os
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from data.database import Database
from data.interchange.format import BY_NAME, FORMATS, TableFormat

_FETCH_ROWS = 10_000


def export_tables(db: Database, directory: Path | str, *, compress: bool = False,
                  tables: Iterable[str] | None = None) -> dict[str, int]:
    """Write every table (or the named ones) to ``directory`` and return the rows written per table.

    Floats are written in their shortest exact form, so an export loaded back gives identical values.
    Each file is written under a temporary name and renamed when complete.

    Args:
        db: the desk database.
        directory: created if missing.
        compress: write ``.csv.gz`` instead of ``.csv``.
        tables: table names to export (default: every table of the format).

    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    chosen = [BY_NAME[name] for name in tables] if tables is not None else list(FORMATS)
    return {fmt.name: _export_one(db, fmt, out, compress) for fmt in chosen}


def _export_one(db: Database, fmt: TableFormat, out: Path, compress: bool) -> int:
    final = out / f"{fmt.name}.csv{'.gz' if compress else ''}"
    partial = final.with_name(final.name + ".partial")
    columns = [fmt.table.c[c.name] for c in fmt.columns]
    query = select(*columns).order_by(*(fmt.table.c[k] for k in fmt.key))
    count = 0
    raw = gzip.open(partial, "wb") if compress else partial.open("wb")
    with raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow([c.name for c in fmt.columns])
        with db.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=_FETCH_ROWS).execute(query)
            for row in result:
                writer.writerow([_cell(v) for v in row])
                count += 1
    os.replace(partial, final)
    return count


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
