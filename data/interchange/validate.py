"""Validation of one record of a file: every cell parsed, the table's row rules, no duplicate key in the load."""

from __future__ import annotations

from typing import Any

from data.interchange.cells import CellError, build_parser
from data.interchange.fastpath import build_fast_check
from data.interchange.format import TableFormat
from data.interchange.rules import RULES, Known, Problems


class RowValidator:
    """Turns the cells of one table's records into row values, or the problems that stop them."""

    def __init__(self, fmt: TableFormat, known: Known):
        self.fmt = fmt
        self.known = known
        self._names = tuple(c.name for c in fmt.columns)
        self._parse = tuple(build_parser(c) for c in fmt.columns)
        self._fast = build_fast_check(fmt)
        self._rule = RULES.get(fmt.name)
        self._key = tuple(self._names.index(k) for k in fmt.key)
        self._seen = known.seen.setdefault(fmt.name, {})
        self._journal = fmt.name == "journal"

    def check(self, file_no: int, line: int, cells: list[str]) -> tuple[tuple[Any, ...] | None, Problems]:
        """Return ``(values, [])`` for a valid record, else ``(None, problems)``.

        Args:
            file_no: index of the file in ``known.files`` (for duplicate locations).
            line: the record's line in its file.
            cells: the record's text, in the format's column order.

        """
        try:
            values = self._fast(cells)
        except Exception:  # noqa: BLE001 - any problem: the per-cell parsers say exactly what it is
            try:
                values = tuple(parse(text) for parse, text in zip(self._parse, cells, strict=True))
            except CellError:
                return None, self._cell_problems(cells)
        row = dict(zip(self._names, values))  # noqa: B905 - hot loop; same length by construction
        if self._rule is not None:
            problems = self._rule(row, self.known)
            if problems:
                return None, problems
        key = values[self._key[0]] if len(self._key) == 1 else tuple(values[i] for i in self._key)
        first = self._seen.get(key)
        if first is not None:
            what = ", ".join(f"{k}={row[k]}" for k in self.fmt.key)
            return None, [(self.fmt.key[0], f"duplicate {what}: already at {self.known.where(first)}")]
        self._seen[key] = (file_no << 32) | line
        self.known.add(self.fmt.name, row)
        if self._journal and row["trade_id"] is not None and row["trade_id"] not in self.known.seen.get("trades", {}):
            self.known.trade_refs.setdefault(row["trade_id"], (self.known.files[file_no], line))
        return values, []

    def _cell_problems(self, cells: list[str]) -> Problems:
        problems: Problems = []
        for name, parse, text in zip(self._names, self._parse, cells, strict=True):
            try:
                parse(text)
            except CellError as exc:
                problems.append((name, str(exc)))
        return problems
