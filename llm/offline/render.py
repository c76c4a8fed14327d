"""Markdown pieces the answer writers share: numbers, money, inline values and capped tables."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from llm.offline.numbers import TABLE_CAP, format_number

__all__ = ["humanise", "inline", "is_rows", "money", "signed_position", "table", "window_text"]

_MAX_COLUMNS = 9


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """Return rows as a markdown table, at most `TABLE_CAP` of them, saying how many more there are.

    Args:
        rows: Row dicts.
        columns: Columns to show; default: every key, in order of first appearance.

    """
    if columns is None:
        columns = list(dict.fromkeys(key for row in rows for key in row))[:_MAX_COLUMNS]
    head = "| " + " | ".join(humanise(c) for c in columns) + " |"
    rule = "|" + "---|" * len(columns)
    body = ["| " + " | ".join(_cell(row.get(c)) for c in columns) + " |" for row in rows[:TABLE_CAP]]
    text = "\n".join([head, rule, *body])
    if len(rows) > TABLE_CAP:
        text += f"\n… and {len(rows) - TABLE_CAP} more rows ({len(rows)} in all)."
    return text


def is_rows(value: Any) -> bool:
    """Return True for a list of row dicts (rendered as a table)."""
    return isinstance(value, list) and all(isinstance(item, Mapping) for item in value)


def _cell(value: Any) -> str:
    return inline(value).replace("|", "/") if value is not None else ""


def inline(value: Any) -> str:
    """Return a value as short inline text: numbers with separators, dicts as "key value", lists joined."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, Mapping):
        return ", ".join(f"{humanise(k)} {inline(v)}" for k, v in value.items() if v is not None)
    if isinstance(value, list | tuple):
        return ", ".join(inline(v) for v in value) if value else "none"
    return str(value)


def money(value: Any, currency: str = "USD") -> str:
    """Return an amount as the tool gave it, with separators and its currency (``"1,080,000.5 USD"``)."""
    if value is None:
        return "n/a"
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    return f"{format_number(value, None if whole else 2)} {currency}"


def signed_position(value: Any, currency: str) -> str:
    """Return a position as ``long 1,000,000 EUR`` / ``short 1,080,000 USD`` / ``flat``."""
    if not value:
        return f"flat {currency}"
    side = "long" if value > 0 else "short"
    return f"{side} {format_number(abs(value))} {currency}"


def window_text(window: Any) -> str:
    """Return a result's window as ``last week (2026-11-09 to 2026-11-13)``."""
    if isinstance(window, Mapping):
        label, start, end = window.get("label"), window.get("start"), window.get("end")
        if start and end:
            return f"{label} ({start} to {end})" if label else f"{start} to {end}"
        return str(label or "")
    return str(window or "")


_LABELS = {"pnl": "P&L", "var": "VaR", "usd": "USD", "pct": "%", "kyc": "KYC", "id": "id", "nop": "NOP",
           "mtm": "MTM", "fx": "FX", "em": "EM", "g10": "G10", "as": "as"}


def humanise(key: str) -> str:
    """Return a result key as a label (``pnl_usd`` → ``P&L USD``); dates and codes stay as they are."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", str(key)):
        return str(key)
    words = [_LABELS.get(word, word) for word in str(key).replace("-", "_").split("_") if word]
    text = " ".join(words)
    return text[:1].upper() + text[1:]
