"""Time windows in a message, rewritten in the grammar the tools accept (tools/windows.py WINDOW_HELP).

Tool grammar: ``today | yesterday | this week | last week | this month | last month | last N days |
last N weeks | since monday | since YYYY-MM-DD | YYYY-MM-DD..YYYY-MM-DD`` (plus ``last N months``,
``last N business days``, ``this year`` and a single ``YYYY-MM-DD``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

__all__ = ["RELATIVE", "find_window", "shift_window"]

# Windows that only mean something against the window the previous answer covered ("the week before").
RELATIVE = ("the week before", "the day before", "the month before")

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
# Units spelt out: "over 6 months" is a window, "for 5m" is a size.
_LONG_UNITS = r"(days?|business days?|trading days?|sessions?|weeks?|wks?|months?)"
_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"

# (pattern, builder) in priority order; the first match wins and its span is consumed.
_RULES: list[tuple[re.Pattern[str], object]] = [
    (re.compile(r"\b(?:the\s+)?(week|day|month)\s+before\b(?!\s+(?:yesterday|last))"),
     lambda m: f"the {m[1]} before"),
    (re.compile(rf"(?:from|between)\s+{_DATE}\s+(?:to|until|and|-)\s+{_DATE}"), lambda m: f"{m[1]}..{m[2]}"),
    (re.compile(rf"{_DATE}\s*(?:\.\.|to|until|through|-)\s*{_DATE}"), lambda m: f"{m[1]}..{m[2]}"),
    (re.compile(rf"\b(?:since|from)\s+{_DATE}"), lambda m: f"since {m[1]}"),
    (re.compile(rf"\b(?:since|from)\s+(?:last\s+)?({_DAYS}|mon|tue|wed|thu|fri)\b"),
     lambda m: "since " + _full_day(m[1])),
    (re.compile(rf"\b(?:last|past|previous|over the last|over the past|in the last|in the past)\s+"
                rf"{_COUNT}[\s-]*({_UNITS})\b"),
     lambda m: _last_n(m[1], m[2])),
    (re.compile(rf"\b{_COUNT}[\s-]*({_UNITS})\s+(?:back|lookback|window)\b"), lambda m: _last_n(m[1], m[2])),
    (re.compile(rf"\b(?:over|across|for)\s+(?:the\s+)?{_COUNT}\s+{_LONG_UNITS}\b"),
     lambda m: _last_n(m[1], m[2])),
    (re.compile(r"\b(?:last|past)\s+fortnight\b|\bpast two weeks\b"), lambda m: "last 2 weeks"),
    (re.compile(r"\b(?:last|previous|prior)\s+week\b"), lambda m: "last week"),
    (re.compile(r"\b(?:this|current)\s+week(?:\s+so\s+far)?\b|\bweek[\s-]to[\s-]date\b|\bwtd\b|\bso far this week\b"
                r"|\bsince the (?:start|beginning) of the week\b"),
     lambda m: "this week"),
    (re.compile(r"\b(?:last|previous|prior)\s+month\b"), lambda m: "last month"),
    (re.compile(r"\b(?:this|current)\s+month(?:\s+so\s+far)?\b|\bmonth[\s-]to[\s-]date\b|\bmtd\b|\bso far this month\b"
                r"|\bsince the (?:start|beginning) of the month\b"),
     lambda m: "this month"),
    (re.compile(r"\b(?:this|current)\s+year\b|\byear[\s-]to[\s-]date\b|\bytd\b"), lambda m: "this year"),
    (re.compile(r"\b(?:last|past)\s+(?:quarter|three months)\b"), lambda m: "last 3 months"),
    (re.compile(r"\byesterday\b|\blast\s+session\b|\bprevious\s+day\b|\bprior\s+day\b"), lambda m: "yesterday"),
    (re.compile(r"\bthis (?:morning|mornin|morn|am|arvo|afternoon)\b|"
                r"\btoday(?:\s+so\s+far)?\b|\btoday's\b|\bintraday\b|\bso far today\b|\bthis session\b|\bright now\b"
                # "daily loss limit" / "daily stop" name a limit, not a one-day window
                r"|\bdaily\b(?!\s+(?:loss\s+)?(?:limit|limits|stop|stops|cap|max|drawdown)\b)"),
     lambda m: "today"),
    (re.compile(rf"\b(?:on|for)\s+{_DATE}"), lambda m: m[1]),
    (re.compile(r"\bon\s+the\s+day\b"), lambda m: "today"),
    # A bare count of days, weeks or months ("chart usdinr, 3 months") is a look-back; "3 month" is a tenor.
    (re.compile(rf"\b{_COUNT}\s+(days|weeks|months)\b(?!\s+(?:ago|forward|fwd|out|tenor))"),
     lambda m: _last_n(m[1], m[2])),
    (re.compile(r"\b(?:for|over|on)\s+the\s+week\b|\b(?:the\s+)?(?:whole|entire|full)\s+week\b"),
     lambda m: "this week"),
    (re.compile(r"\b(?:for|over|on)\s+the\s+month\b|\b(?:the\s+)?(?:whole|entire|full)\s+month\b"),
     lambda m: "this month"),
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


def shift_window(relative: str, start: date) -> str | None:
    """Return the window in tool grammar that ``relative`` names, counted back from a window's first day.

    Args:
        relative: One of `RELATIVE` ("the week before").
        start: The first day of the window it is relative to (the previous answer's).

    Returns:
        ``"YYYY-MM-DD..YYYY-MM-DD"`` (a week or a month) or ``"YYYY-MM-DD"`` (a business day); None otherwise.

    """
    if relative == "the day before":
        day = start - timedelta(days=1)
        while day.weekday() >= 5:  # the desk has no weekend closes
            day -= timedelta(days=1)
        return day.isoformat()
    if relative == "the week before":
        monday = start - timedelta(days=start.weekday() + 7)
        return f"{monday.isoformat()}..{(monday + timedelta(days=6)).isoformat()}"
    if relative == "the month before":
        end = start.replace(day=1) - timedelta(days=1)
        return f"{end.replace(day=1).isoformat()}..{end.isoformat()}"
    return None


def _last_n(count: str, unit: str) -> str | None:
    n = int(count) if count.isdigit() else _COUNT_WORDS.get(count.strip())
    if not n:
        return None
    unit = unit if unit in _UNIT else unit.rstrip("s") if unit.rstrip("s") in _UNIT else unit + "s"
    unit_name = _UNIT[unit]
    if n == 1 and unit_name == "days":
        return "today"
    return f"last {n} {unit_name}"


def _full_day(word: str) -> str:
    return next(day for day in _DAYS.split("|") if day.startswith(word))
