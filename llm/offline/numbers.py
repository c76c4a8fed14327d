"""Numbers in answers: how the offline model prints them and the checker that they come from tools.

The offline model may only quote numbers that a tool returned. `unsupported_numbers` checks that
mechanically for any answer (ours or a remote model's):

- A number in the answer is *supported* when some number in the tool results equals it after
  rounding the tool's value to the precision the answer displays (``1,080,000.5`` supports
  ``1,080,000.50`` and ``1,080,001``; ``1.08234`` supports ``1.08``). Signs are ignored, because
  answers say "short 1,080,000 USD" for ``-1080000``; thousands separators and ``%`` are ignored.
- Numbers inside identifiers are not numbers: ``Cust203``, ``T004211``, ``FX-G10``, ``USDJPY``,
  ISO dates and times (``2026-11-02``, ``14:30``), ``#12``-style ids are skipped.
- Counts derived from the results are supported: the length of every list in a result, and the
  number of rows a capped table leaves out (length minus `TABLE_CAP`).
- Notional shorthand in answers (``20m``, ``1.5bn``, ``500k``) is read as its full value, to the
  precision shown: ``2.28m`` is supported by 2,279,244.85, ``20m`` is not supported by 24,999,999.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

__all__ = ["TABLE_CAP", "format_number", "numbers_in", "tool_numbers", "unsupported_numbers"]

TABLE_CAP = 15
"""Rows a rendered table shows before it says how many more there are."""

_SKIP = re.compile(
    r"""
      \d{4}-\d{2}-\d{2}(?:[T\s]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?  # dates, timestamps
    | \b\d{1,2}:\d{2}(?::\d{2})?\b                                                       # times of day
    | [A-Za-z_#][A-Za-z_]*[-_]?[A-Za-z]*\d[\w-]*                                           # Cust203, FX-G10, T004211
    """,
    re.VERBOSE,
)
_CODE_AMOUNT = re.compile(r"\b([A-Z]{3})(?=[-+\u2212]?\d)")
_NUMBER = re.compile(
    r"""
    (?<![\w.])                                     # not the tail of an identifier or decimal
    (?P<sign>[-+\u2212])?
    (?P<int>\d{1,3}(?:,\d{3})+|\d+)
    (?P<frac>\.\d+)?
    (?:\s?(?P<unit>%|bn|mio|mn|mm|m|k)\b|(?P<pct>%))?
    """,
    re.VERBOSE,
)
_UNITS = {"k": Decimal(1_000), "m": Decimal(1_000_000), "mm": Decimal(1_000_000), "mn": Decimal(1_000_000),
          "mio": Decimal(1_000_000), "bn": Decimal(1_000_000_000)}


def format_number(value: float | int | Decimal | str, decimals: int | None = None) -> str:
    """Return ``value`` with thousands separators, at ``decimals`` places or the value's own precision.

    Args:
        value: A number from a tool result.
        decimals: Places to show; ``None`` keeps every digit the tool returned.

    Returns:
        Text such as ``"1,080,000.50"`` that `unsupported_numbers` accepts against ``value``.

    """
    number = _decimal(value)
    if number is None:
        return str(value)
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    elif number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    text = f"{number:,f}"
    return "-0" if text == "-0" else text


def numbers_in(text: str) -> list[Decimal]:
    """Return the numbers a reader sees in ``text``, skipping identifiers and dates.

    Args:
        text: Any prose, e.g. an answer.

    Returns:
        The values in order of appearance; ``20m`` is 20000000, ``45.20%`` is 45.20 (its
        displayed precision is kept in the Decimal's exponent).

    """
    return [value for value, _, _ in _scan(text)]


def tool_numbers(results: Iterable[Any]) -> set[Decimal]:
    """Return every number the tool results hold, plus list lengths and capped-table remainders.

    Args:
        results: Tool results as dicts, lists, JSON strings or ToolMessage-like objects with ``content``.

    Returns:
        A set of absolute values.

    """
    found: set[Decimal] = set()
    for result in results:
        _collect(_as_data(result), found)
    return found


def unsupported_numbers(answer: str, tool_results: Iterable[Any]) -> list[str]:
    """Return the numbers written in ``answer`` that no tool result supports (empty when all are).

    Args:
        answer: The text to check.
        tool_results: The results the answer was written from (dicts, JSON strings or ToolMessages).

    Returns:
        The offending numbers as they appear in the answer.

    """
    supported = tool_numbers(tool_results)
    bad = []
    for value, shown, step in _scan(answer):
        if not _is_supported(abs(value), step, supported, percent=shown.endswith("%")):
            bad.append(shown)
    return bad


def _scan(text: str) -> list[tuple[Decimal, str, Decimal]]:
    """Return (value, text as shown, display step): ``20m`` is 20000000 shown to the nearest 1000000."""
    # "USD1,000" is an amount, not an identifier: detach a currency code from the digits after it.
    spaced = _CODE_AMOUNT.sub(lambda m: m.group(1) + " ", text or "")
    masked = _SKIP.sub(lambda m: " " * len(m.group(0)), spaced)
    out = []
    for match in _NUMBER.finditer(masked):
        digits = Decimal(match["int"].replace(",", "") + (match["frac"] or ""))
        exponent = digits.as_tuple().exponent
        step = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
        unit = match["unit"]
        value = digits
        if unit and unit != "%":
            value, step = (digits * _UNITS[unit.lower()]).normalize(), step * _UNITS[unit.lower()]
        if match["sign"] in ("-", "\u2212"):
            value = -value
        out.append((value, match.group(0).strip(), step))
    return out


def _is_supported(value: Decimal, step: Decimal, supported: set[Decimal], *, percent: bool) -> bool:
    if value in supported:
        return True
    for candidate in supported:
        for scaled in (candidate, candidate * 100) if percent else (candidate,):
            for rounding in (ROUND_HALF_UP, ROUND_HALF_EVEN):
                try:
                    if (scaled / step).quantize(Decimal(1), rounding=rounding) * step == value:
                        return True
                except InvalidOperation:
                    continue
    return False


def _as_data(result: Any) -> Any:
    content = getattr(result, "content", result)
    if isinstance(content, str):
        try:
            return json.loads(content)
        except ValueError:
            return content
    return content


def _collect(data: Any, found: set[Decimal]) -> None:
    if isinstance(data, bool) or data is None:
        return
    if isinstance(data, int | float | Decimal):
        number = _decimal(data)
        if number is not None:
            found.add(abs(number))
    elif isinstance(data, str):
        found.update(abs(v) for v in numbers_in(data))
    elif isinstance(data, Mapping):
        for value in data.values():
            _collect(value, found)
    elif isinstance(data, list | tuple):
        found.add(Decimal(len(data)))
        if len(data) > TABLE_CAP:
            found.add(Decimal(len(data) - TABLE_CAP))
        for item in data:
            _collect(item, found)


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
