"""Parsing one CSV cell into its column's value, or the reason it cannot be (types, ranges, lengths)."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from data.interchange.format import Column

DATE_MIN = date(1971, 1, 1)
DATE_MAX = date(2100, 12, 31)


class CellError(ValueError):
    """The text of a cell is not a valid value for its column; the message is the reason."""


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise CellError(f"{text!r} is not a number" + (" (no thousands separators)" if "," in text else "")) from None
    if value - value != 0.0 or "_" in text:  # inf/nan; Python alone accepts 1_000
        raise CellError(f"{text!r} is not a plain finite number")
    return value


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CellError(f"{text!r} is not a whole number") from None


def _date(text: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError
        value = date.fromisoformat(text)
    except ValueError:
        raise CellError(f"{text!r} is not a date (YYYY-MM-DD)") from None
    return _in_range(value, text)


_DATETIME_MIN = datetime.combine(DATE_MIN, datetime.min.time())
_DATETIME_MAX = datetime.combine(DATE_MAX, datetime.max.time())


def _datetime(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CellError(f"{text!r} is not a date-time (YYYY-MM-DD HH:MM:SS, UTC)") from None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)  # the schema keeps naive UTC
    if not _DATETIME_MIN <= value <= _DATETIME_MAX:
        raise CellError(f"{text!r} is out of range ({DATE_MIN} to {DATE_MAX})")
    return value


def _in_range(day: date, text: str) -> date:
    if not DATE_MIN <= day <= DATE_MAX:
        raise CellError(f"{text!r} is out of range ({DATE_MIN} to {DATE_MAX})")
    return day


def build_parser(column: Column) -> Callable[[str], Any]:
    """Return a function turning a cell's text into the column's value (None for an empty optional cell).

    The function raises `CellError` with the reason when the text is not acceptable. Each kind gets
    one fused function (strip, empty check, conversion, range): this runs once per cell of a
    million-row file.
    """
    kind, required, name = column.kind, column.required, column.name

    def empty() -> Any:
        if required:
            raise CellError(f"{name} is required")
        return "" if kind == "text" else None  # free-text columns are NOT NULL: empty stays ''

    if kind == "choice":
        folded = {c.lower(): c for c in column.choices}
        allowed = " | ".join(column.choices)

        def parse(text: str) -> Any:
            found = folded.get(text.strip().lower())
            if found is None:
                if not text.strip():
                    return empty()
                raise CellError(f"{text.strip()!r} is not one of {allowed}")
            return found
    elif kind in ("float", "int"):
        to_number = _float if kind == "float" else _int
        low = column.minimum if column.minimum is not None else -math.inf
        strict = column.exclusive_minimum

        def parse(text: str) -> Any:
            text = text.strip()
            if not text:
                return empty()
            value = to_number(text)
            if value < low or (strict and value == low):
                raise CellError(f"{text} must be {'greater than' if strict else 'at least'} {low:g}")
            return value
    elif kind in ("date", "datetime"):
        convert = _date if kind == "date" else _datetime

        def parse(text: str) -> Any:
            text = text.strip()
            return convert(text) if text else empty()
    else:
        limit = column.max_length or math.inf
        strip = kind == "code"

        def parse(text: str) -> Any:
            if strip:
                text = text.strip()
            if not text:
                return empty()
            if len(text) > limit:
                raise CellError(f"{text[:40]!r} is longer than {limit} characters")
            return text

    return parse
