"""Streaming reading of interchange files: which table a file holds, gzip, UTF-8, header and record checks.

A file is read line by line (at most `MAX_LINE_BYTES` per line), never whole, so a 2 GB file costs
no more memory than a small one. Problems that make the whole file unreadable as its table (not
CSV, wrong header, wrong encoding, empty, corrupt gzip) raise `FileProblem`; a record with the
wrong number of fields is yielded as an error string so the loader can collect it with the rest.
"""

from __future__ import annotations

import csv
import gzip
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from data.interchange.format import BY_NAME, TABLE_ORDER, TableFormat

MAX_LINE_BYTES = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"
_OTHER_MAGIC = {b"PK\x03\x04": "a zip archive (an .xlsx workbook?)", b"\xd0\xcf\x11\xe0": "an Excel .xls workbook",
                b"%PDF": "a PDF document", b"SQLi": "an SQLite database"}


class FileProblem(Exception):
    """A file cannot be read as an interchange table; ``line`` is 0 when it concerns the whole file."""

    def __init__(self, file: str, line: int, reason: str):
        super().__init__(f"{file}:{line}: {reason}" if line else f"{file}: {reason}")
        self.file = file
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class Source:
    """One input file and the table it holds."""

    path: Path
    fmt: TableFormat

    @property
    def label(self) -> str:
        """Return the name errors use for this file."""
        return self.path.name


def table_of(path: Path) -> TableFormat | None:
    """Return the table a file name holds: ``trades.csv``, ``trades.csv.gz``, ``trades-2026-11.csv``; else None."""
    name = path.name.lower()
    for suffix in (".csv.gz", ".csv"):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            break
    else:
        return None
    # Longest name first: "user_books" must not be read as a "users" file.
    for table in sorted(BY_NAME, key=len, reverse=True):
        if stem == table or stem.startswith((f"{table}-", f"{table}.")):
            return BY_NAME[table]
    return None


def resolve_sources(paths: Iterable[Path | str], table: str | None = None) -> list[Source]:
    """Return the files to load (directories expanded to their CSV files) in table load order.

    Raises:
        FileProblem: a path does not exist, or a file name names no table (and ``table`` is not given).

    """
    forced = None
    if table is not None:
        if table not in BY_NAME:
            raise FileProblem(table, 0, f"unknown table; expected one of {', '.join(TABLE_ORDER)}")
        forced = BY_NAME[table]
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.name.lower().endswith((".csv", ".csv.gz")))
            if not found:
                raise FileProblem(str(path), 0, "no .csv or .csv.gz files in this directory")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise FileProblem(str(path), 0, "no such file or directory")
    sources = []
    for path in files:
        fmt = forced or table_of(path)
        if fmt is None:
            raise FileProblem(path.name, 0, "cannot tell which table this file holds: name it after its table "
                              f"({', '.join(f'{t}.csv' for t in TABLE_ORDER)}; .csv.gz and a -suffix are accepted) "
                              "or pass --table")
        sources.append(Source(path, fmt))
    return sorted(sources, key=lambda s: (TABLE_ORDER.index(s.fmt.name), s.path.name))


def read_records(source: Source) -> Iterator[tuple[int, list[str] | str]]:
    """Yield ``(line, cells)`` per record, cells in the format's column order ('' for a left-out column).

    A record with the wrong number of fields is yielded as ``(line, reason)``. Blank lines are skipped.

    Raises:
        FileProblem: the file is empty, not UTF-8 CSV text, or its header is not the table's.

    """
    with source.path.open("rb") as raw:
        stream = _open_stream(raw, source.label)
        reader = csv.reader(_text_lines(stream, source.label))
        try:
            header = next(reader, None)
            if header is None:
                raise FileProblem(source.label, 0, "empty file: expected a header row "
                                  f"({','.join(c.name for c in source.fmt.columns)})")
            index = _header_index(source, header)
            width = len(header)
            in_order = index == list(range(width))
            for record in reader:
                if not record:
                    continue
                if len(record) != width:
                    yield reader.line_num, f"expected {width} fields (as in the header), found {len(record)}"
                    continue
                yield reader.line_num, record if in_order else [record[i] if i is not None else "" for i in index]
        except csv.Error as exc:
            raise FileProblem(source.label, reader.line_num, f"not readable as CSV: {exc}") from exc


def _open_stream(raw: BinaryIO, label: str) -> BinaryIO:
    head = raw.peek(4)[:4] if hasattr(raw, "peek") else b""
    if head[:2] == _GZIP_MAGIC:
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    for magic, what in _OTHER_MAGIC.items():
        if head.startswith(magic):
            raise FileProblem(label, 0, f"this is {what}, not CSV text: export the table as CSV (UTF-8)")
    return raw


def _text_lines(stream: BinaryIO, label: str) -> Iterator[str]:
    number = 0
    while True:
        try:
            chunk = stream.readline(MAX_LINE_BYTES + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise FileProblem(label, number + 1, f"corrupt gzip data: {exc}") from exc
        if not chunk:
            return
        number += 1
        if len(chunk) > MAX_LINE_BYTES and not chunk.endswith(b"\n"):
            raise FileProblem(label, number, f"line longer than {MAX_LINE_BYTES >> 20} MiB: not a CSV table")
        if b"\0" in chunk:
            raise FileProblem(label, number, "contains NUL bytes: a binary file, not CSV text")
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileProblem(label, number, f"not UTF-8 text (byte 0x{chunk[exc.start]:02x} at byte "
                              f"{exc.start + 1} of the line): save the file as UTF-8") from exc
        if number == 1 and text.startswith("\ufeff"):
            text = text[1:]  # Excel's UTF-8 byte-order mark
        yield text


def _header_index(source: Source, header: list[str]) -> list[int | None]:
    fmt = source.fmt
    expected = ",".join(c.name for c in fmt.columns)
    names = [h.strip().lower() for h in header]
    if len(names) == 1 and len(fmt.columns) > 1:
        sep = next((s for s in (";", "\t", "|") if s in header[0]), None)
        hint = f"fields are separated by {sep!r}; use commas" if sep else "the first line has no commas"
        raise FileProblem(source.label, 1, f"not a CSV table for {fmt.name}: {hint}; expected header: {expected}")
    known = {c.name for c in fmt.columns}
    unknown = [n for n in names if n not in known]
    if len(unknown) == len(names):
        first = ",".join(header)
        raise FileProblem(source.label, 1, f"not a CSV table for {fmt.name}: the first line is no header of it "
                          f"({first[:60]!r}); expected header: {expected}")
    duplicated = sorted({n for n in names if names.count(n) > 1})
    missing = [c.name for c in fmt.columns if c.required and c.name not in names]
    problems = []
    if unknown:
        problems.append(f"unknown column(s) {', '.join(repr(n) for n in unknown)}")
    if duplicated:
        problems.append(f"repeated column(s) {', '.join(duplicated)}")
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if problems:
        raise FileProblem(source.label, 1, f"wrong header for {fmt.name}: {'; '.join(problems)}. "
                          f"Expected: {expected}")
    return [names.index(c.name) if c.name in names else None for c in fmt.columns]
