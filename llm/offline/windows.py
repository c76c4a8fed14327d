"""Time windows in a message, rewritten in the grammar the tools accept (tools/windows.py WINDOW_HELP).

Tool grammar: ``today | yesterday | this week | last week | this month | last month | last N days |
last N weeks | since monday | since YYYY-MM-DD | YYYY-MM-DD..YYYY-MM-DD`` (plus ``last N months``,
``last N business days``, ``this year`` and a single ``YYYY-MM-DD``).
"""

from __future__ import annotations

import re

__all__ = ["find_window"]

_COUNT_WORDS = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "sixty": 60, "ninety": 90, "a couple of": 2, "couple of": 2, "a few": 3, "few": 3,
}
_COUNT = r"(\d{1,4}|" + "|".join(sorted(map(re.escape, _COUNT_WORDS), key=len, reverse=True)) + r")"
_UNIT = {"day": "days", "days": "days", "d": "days", "business day": "business days",
         "business days": "business days", "trading days": "business days", "trading day": "business days",
         "sessions": "business days", "session": "business days", "week": "weeks", "weeks": "weeks",
         "wk": "weeks", "wks": "weeks", "w": "weeks", "month": "months", "months": "months", "m": "months"}
_UNITS = "|".join(sorted(map(re.escape, _UNIT), key=len, reverse=True))
_DATE = r"(\d{4}-\d{2}-\d{2})"
_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"

# (pattern, builder) in priority order; the first match wins and its span is consumed.
_RULES: list[tuple[re.Pattern[str], object]] = [
    (re.compile(rf"(?:from|between)\s+{_DATE}\s+(?:to|until|and|-)\s+{_DATE}"), lambda m: f"{m[1]}..{m[2]}"),
    (re.compile(rf"{_DATE}\s*(?:\.\.|to|until|through|-)\s*{_DATE}"), lambda m: f"{m[1]}..{m[2]}"),
    (re.compile(rf"\b(?:since|from)\s+{_DATE}"), lambda m: f"since {m[1]}"),
    (re.compile(rf"\b(?:since|from)\s+(?:last\s+)?({_DAYS}|mon|tue|wed|thu|fri)\b"),
     lambda m: "since " + _full_day(m[1])),
    (re.compile(rf"\b(?:last|past|previous|over the last|over the past|in the last|in the past)\s+"
                rf"{_COUNT}[\s-]*({_UNITS})\b"),
     lambda m: _last_n(m[1], m[2])),
    (re.compile(rf"\b{_COUNT}[\s-]*({_UNITS})\s+(?:back|lookback|window)\b"), lambda m: _last_n(m[1], m[2])),
    (re.compile(r"\b(?:last|past)\s+fortnight\b|\bpast two weeks\b"), lambda m: "last 2 weeks"),
    (re.compile(r"\b(?:last|previous|prior)\s+week\b"), lambda m: "last week"),
    (re.compile(r"\b(?:this|current)\s+week\b|\bweek[\s-]to[\s-]date\b|\bwtd\b|\bso far this week\b"),
     lambda m: "this week"),
    (re.compile(r"\b(?:last|previous|prior)\s+month\b"), lambda m: "last month"),
    (re.compile(r"\b(?:this|current)\s+month\b|\bmonth[\s-]to[\s-]date\b|\bmtd\b|\bso far this month\b"),
     lambda m: "this month"),
    (re.compile(r"\b(?:this|current)\s+year\b|\byear[\s-]to[\s-]date\b|\bytd\b"), lambda m: "this year"),
    (re.compile(r"\b(?:last|past)\s+(?:quarter|three months)\b"), lambda m: "last 3 months"),
    (re.compile(r"\byesterday\b|\blast\s+session\b|\bprevious\s+day\b|\bprior\s+day\b"), lambda m: "yesterday"),
    (re.compile(r"\btoday\b|\btoday's\b|\bintraday\b|\bso far today\b|\bthis session\b|\bright now\b|\bdaily\b"),
     lambda m: "today"),
    (re.compile(rf"\b(?:on|for)\s+{_DATE}"), lambda m: m[1]),
]


def find_window(text: str) -> tuple[str | None, str]:
    """Return the window label in tool grammar and ``text`` with that phrase blanked out.

    Args:
        text: A lower-case message.

    Returns:
        ``(label or None, remaining text)``; e.g. ``"pnl past 2 weeks"`` gives ``"last 2 weeks"``.

    """
    for pattern, build in _RULES:
        match = pattern.search(text)
        if match:
            label = build(match)  # type: ignore[operator]
            if label:
                blanked = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end():]
                return label, blanked
    return None, text


def _last_n(count: str, unit: str) -> str | None:
    n = int(count) if count.isdigit() else _COUNT_WORDS.get(count.strip())
    if not n:
        return None
    unit_name = _UNIT[unit]
    if n == 1 and unit_name == "days":
        return "today"
    return f"last {n} {unit_name}"


def _full_day(word: str) -> str:
    return next(day for day in _DAYS.split("|") if day.startswith(word))
