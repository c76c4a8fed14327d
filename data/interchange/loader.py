"""Load interchange files into the desk database: validate every row, then write all of it or nothing.

One transaction holds the whole load. Files are read in table order (parents first), streamed row
by row, validated (`data.interchange.validate`) and staged in bulk (`data.interchange.staging`);
only when every row of every file is valid are the staging tables merged (`data.interchange.merge`)
and the transaction committed. Any error, a dry run, an exception or a killed process leaves the
database as it was.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, delete, insert, select

from data import position_snapshot, schema
from data.database import Database, latest_complete_rate_day
from data.interchange.format import TABLE_ORDER
from data.interchange.merge import AUDIT_ROLE, AUDIT_TOOL, merge_stage
from data.interchange.reader import FileProblem, read_records, resolve_sources
from data.interchange.report import LoadError, LoadRejected, LoadReport
from data.interchange.rules import Known
from data.interchange.staging import Stage
from data.interchange.validate import RowValidator

Progress = Callable[[str], None]
PROGRESS_EVERY = 100_000
_REF_CHUNK = 500


class _DryRun(Exception):
    """Internal: unwind the transaction of a dry run."""


def load_files(db: Database, paths: Iterable[Path | str], *, table: str | None = None, dry_run: bool = False,
               max_errors: int = 100, by: str | None = None, progress: Progress | None = None) -> LoadReport:
    """Validate and load interchange files (or directories of them) in one transaction.

    Args:
        db: the desk database (the schema is created if it is missing).
        paths: files (``trades.csv``, ``rates.csv.gz``) and directories holding them.
        table: the table every given file holds, when the file names do not say.
        dry_run: validate only; write nothing.
        max_errors: stop reading after this many errors.
        by: who is loading (audit ``user_id``; default: the operating-system user).
        progress: called with a short line now and then (rows read, merging).

    Returns:
        The report: rows per table, inserted/updated/unchanged, the as-of date after the load.

    Raises:
        LoadRejected: some file or row is invalid; ``report.errors`` says where. Nothing was written.

    """
    report = LoadReport(dry_run=dry_run, max_errors=max_errors)
    say = progress or (lambda _line: None)
    try:
        sources = resolve_sources(paths, table)
    except FileProblem as exc:
        report.add_error(LoadError(exc.file, exc.line, None, exc.reason))
        raise LoadRejected(report) from None
    schema.metadata.create_all(db.engine)
    stages: dict[str, Stage] = {}
    with db.engine.connect() as conn:
        try:
            with conn.begin():
                known = Known(conn)
                _read_all(conn, sources, known, stages, report, say)
                _check_trade_refs(conn, known, report)
                if not report.ok:
                    raise LoadRejected(report)
                if dry_run:
                    raise _DryRun
                _merge_all(conn, stages, report, by=(by or _os_user())[:32], say=say)
                report.as_of = latest_complete_rate_day(conn)
                if report.as_of is not None:  # the open lots at the new as-of close, for the position tools
                    position_snapshot.rebuild(conn, report.as_of)
                _record_meta(conn, report)
            report.committed = True
        except _DryRun:
            pass
        finally:
            for stage in stages.values():
                try:
                    stage.drop()
                except Exception:  # noqa: BLE001 - the connection may be broken; temp tables die with it
                    pass
    db.forget_as_of()
    return report


def _read_all(conn: Connection, sources, known: Known, stages: dict[str, Stage], report: LoadReport,
              say: Progress) -> None:
    validators: dict[str, RowValidator] = {}
    for number, source in enumerate(sources):
        fmt = source.fmt
        known.files.append(source.label)
        report.files.append(source.label)
        validator = validators.setdefault(fmt.name, RowValidator(fmt, known))
        if not report.dry_run and fmt.name not in stages:
            stages[fmt.name] = Stage(conn, fmt)
        stage = stages.get(fmt.name)
        counts = report.counts(fmt.name)
        try:
            for line, cells in read_records(source):
                counts.rows += 1
                if counts.rows % PROGRESS_EVERY == 0:
                    say(f"{source.label}: {counts.rows:,} rows read")
                if isinstance(cells, str):
                    problems = [(None, cells)]
                else:
                    values, problems = validator.check(number, line, cells)
                    if not problems:
                        if stage is not None and report.ok:
                            stage.append(values)
                        continue
                for column, reason in problems:
                    report.add_error(LoadError(source.label, line, column, reason))
                if report.full:
                    report.truncated = True
                    return
        except FileProblem as exc:
            report.add_error(LoadError(exc.file, exc.line, None, exc.reason))
            if report.full:
                return


def _check_trade_refs(conn: Connection, known: Known, report: LoadReport) -> None:
    """Journal rows may link trades already in the database: look up the ones this load did not bring."""
    wanted = [t for t in known.trade_refs if t not in known.seen.get("trades", {})]
    t = schema.trades.c.trade_id
    for start in range(0, len(wanted), _REF_CHUNK):
        chunk = wanted[start:start + _REF_CHUNK]
        found = set(conn.execute(select(t).where(t.in_(chunk))).scalars())
        for trade_id in chunk:
            if trade_id not in found:
                file, line = known.trade_refs[trade_id]
                report.add_error(LoadError(file, line, "trade_id",
                                           f"unknown trade {trade_id!r}: not in trades.csv nor in the database"))


def _merge_all(conn: Connection, stages: dict[str, Stage], report: LoadReport, *, by: str, say: Progress) -> None:
    at = datetime.now(UTC).replace(tzinfo=None)
    for name in TABLE_ORDER:
        stage = stages.get(name)
        if stage is None:
            continue
        stage.flush()
        say(f"merging {stage.rows:,} {name} rows")
        merge_stage(conn, stage, report.counts(name), by=by, at=at)
    summary = {name: vars(counts) for name, counts in report.tables.items()}
    conn.execute(insert(schema.audit).values(
        at=at, user_id=by, role=AUDIT_ROLE, tool=AUDIT_TOOL, decision="loaded",
        args=json.dumps({"files": report.files}), detail=json.dumps(summary)))


def _record_meta(conn: Connection, report: LoadReport) -> None:
    values = {"source": "interchange", "loaded_at": datetime.now(UTC).replace(tzinfo=None).isoformat()}
    if report.as_of is not None:
        values["as_of"] = report.as_of.isoformat()
    m = schema.meta
    conn.execute(delete(m).where(m.c.key.in_(list(values))))
    conn.execute(insert(m), [{"key": k, "value": v} for k, v in values.items()])


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "loader"
