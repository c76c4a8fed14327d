"""A compiled fast path for the cells of a valid record: one generated function per table.

`data.interchange.cells` parses a cell with one closure per column, which is clear but costs a
Python call per cell; at a million trades that is most of the load time. This module generates,
per table, one function that converts every cell inline and raises on the first problem. The
function only decides "valid, here are the values": any exception sends the record to the
per-cell parsers, which produce the exact reasons. Both paths accept the same text (tested).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from data.interchange.cells import _DATETIME_MAX, _DATETIME_MIN, DATE_MAX, DATE_MIN
from data.interchange.format import Column, TableFormat

FastCheck = Callable[[list[str]], tuple[Any, ...]]


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None)


def _cell_code(i: int, column: Column, env: dict[str, Any]) -> list[str]:
    c, v = f"c{i}", f"v{i}"
    kind = column.kind
    lines = [f"{c} = cells[{i}]"]
    if kind != "text":
        lines.append(f"{c} = {c}.strip()")
    empty = '""' if kind == "text" else "None"
    body: list[str]
    if kind == "choice":
        env[f"F{i}"] = {x.lower(): x for x in column.choices}
        body = [f"{v} = F{i}[{c}.lower()]"]
    elif kind in ("float", "int"):
        body = [f"{v} = {kind}({c})"]
        if kind == "float":
            body.append(f"if {v} - {v} != 0.0 or '_' in {c}: raise ValueError")
        else:
            body = [f"{v} = int({c})"]
        if column.minimum is not None:
            op = "<=" if column.exclusive_minimum else "<"
            body.append(f"if {v} {op} {column.minimum!r}: raise ValueError")
    elif kind == "date":
        body = [f"if len({c}) != 10: raise ValueError", f"{v} = fromdate({c})",
                f"if not DMIN <= {v} <= DMAX: raise ValueError"]
    elif kind == "datetime":
        body = [f"{v} = fromdatetime({c})", f"if {v}.tzinfo is not None: {v} = to_utc({v})",
                f"if not TMIN <= {v} <= TMAX: raise ValueError"]
    else:
        body = [f"{v} = {c}"]
        if column.max_length is not None:
            body.append(f"if len({v}) > {column.max_length}: raise ValueError")
    if column.required:
        lines.append(f"if not {c}: raise ValueError")
        lines += body
    else:
        lines.append(f"if not {c}: {v} = {empty}")
        lines.append("else:")
        lines += [f"    {line}" for line in body]
    return lines


def build_fast_check(fmt: TableFormat) -> FastCheck:
    """Return ``check(cells) -> values`` for ``fmt``; it raises (any exception) when a cell is not valid."""
    env: dict[str, Any] = {"fromdate": date.fromisoformat, "fromdatetime": datetime.fromisoformat,
                           "to_utc": _to_utc, "DMIN": DATE_MIN, "DMAX": DATE_MAX, "TMIN": _DATETIME_MIN,
                           "TMAX": _DATETIME_MAX}
    lines = ["def check(cells):"]
    for i, column in enumerate(fmt.columns):
        lines += [f"    {line}" for line in _cell_code(i, column, env)]
    lines.append(f"    return ({', '.join(f'v{i}' for i in range(len(fmt.columns)))},)")
    exec(compile("\n".join(lines), f"<fast check of {fmt.name}>", "exec"), env)  # noqa: S102 - our own source
    return env["check"]
