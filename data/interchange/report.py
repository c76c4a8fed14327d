"""What a load found and did: the errors (file, line, column, reason) and the row counts per table."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class LoadError:
    """One reason the load was refused; ``line`` 0 means the whole file, ``column`` None the whole row."""

    file: str
    line: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"


@dataclass
class TableCounts:
    """Rows read for one table and what became of them."""

    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class LoadReport:
    """The outcome of one load (or dry run)."""

    dry_run: bool = False
    max_errors: int = 100
    files: list[str] = field(default_factory=list)
    tables: dict[str, TableCounts] = field(default_factory=dict)
    errors: list[LoadError] = field(default_factory=list)
    truncated: bool = False          # stopped at max_errors: there may be more
    as_of: date | None = None        # latest complete day of rates after the load
    committed: bool = False

    @property
    def ok(self) -> bool:
        """Return True when no error was found."""
        return not self.errors

    def add_error(self, error: LoadError) -> bool:
        """Record one error; return False once the cap is reached (the load stops reading)."""
        if len(self.errors) >= self.max_errors:
            self.truncated = True
            return False
        self.errors.append(error)
        return True

    @property
    def full(self) -> bool:
        """Return True when the error cap is reached."""
        return len(self.errors) >= self.max_errors

    def counts(self, table: str) -> TableCounts:
        """Return (creating) the counts of one table."""
        return self.tables.setdefault(table, TableCounts())


class LoadRejected(Exception):
    """The load found errors; nothing was written. ``report.errors`` says where."""

    def __init__(self, report: LoadReport):
        more = " (stopped at the error cap; there may be more)" if report.truncated else ""
        super().__init__(f"{len(report.errors)} error(s){more}; nothing was written")
        self.report = report
