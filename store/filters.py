"""Store search filters, as LangGraph's stores read them: exact match or ``$eq $ne $gt $gte $lt $lte``."""

from __future__ import annotations

from typing import Any

_OPERATORS = {
    "$eq": lambda a, b: a == b,
    "$ne": lambda a, b: a != b,
    "$gt": lambda a, b: a is not None and a > b,
    "$gte": lambda a, b: a is not None and a >= b,
    "$lt": lambda a, b: a is not None and a < b,
    "$lte": lambda a, b: a is not None and a <= b,
}


class InvalidFilter(ValueError):
    """A filter names an operator we do not know."""


def matches_filter(value: dict[str, Any], filter: dict[str, Any] | None) -> bool:
    """Return whether a stored value satisfies every condition of ``filter`` (none: always)."""
    return all(_matches(value.get(field), wanted) for field, wanted in (filter or {}).items())


def _matches(actual: Any, wanted: Any) -> bool:
    if isinstance(wanted, dict) and any(k.startswith("$") for k in wanted):
        return all(_apply(actual, op, operand) for op, operand in wanted.items())
    if isinstance(wanted, dict):
        return isinstance(actual, dict) and all(_matches(actual.get(k), v) for k, v in wanted.items())
    return actual == wanted


def _apply(actual: Any, op: str, operand: Any) -> bool:
    if op not in _OPERATORS:
        raise InvalidFilter(f"Unknown filter operator {op!r}; use one of {sorted(_OPERATORS)}")
    try:
        return bool(_OPERATORS[op](actual, operand))
    except TypeError:  # comparing a string with a number: no match, not an error
        return False
