"""Time windows in desk words ("today", "last 30 days", "since Monday") resolved against the as-of date."""

from __future__ import annotations

import re
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict

from data.calendar import previous_business_day
from tools.errors import ToolInputError

WINDOW_HELP = (
    "today | yesterday | this week | last week | this month | last month | "
    "last N days | last N weeks | since monday | since YYYY-MM-DD | YYYY-MM-DD..YYYY-MM-DD"
)

# The earliest desk date a window may start on: later look-backs (baselines, business-day steps) stay
# inside the calendar, so "since 0001-01-01" is a typed bad_window, not an OverflowError (issue 12).
EARLIEST = date(1900, 1, 1)

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Window(BaseModel):
    """An inclusive range of desk dates with the words it came from."""

    model_config = ConfigDict(frozen=True)
    label: str
    start: date
    end: date


def resolve_window(text: str | None, as_of: date, default: str = "today") -> Window:
    """Turn window words into dates ending no later than ``as_of``; raise `ToolInputError` otherwise."""
    label = " ".join((text or default).strip().lower().split())
    try:
        start, end = _parse(label, as_of)
    except OverflowError:  # "last 9999 months" from an early as-of date: before the calendar starts
        start, end = date.min, as_of
    if start < EARLIEST:
        raise ToolInputError(
            "bad_window",
            f"The window {label!r} starts on {start}, before {EARLIEST}, the earliest date the desk reads.",
        )
    if start > as_of:
        raise ToolInputError(
            "window_in_future",
            f"The window {label!r} starts on {start}, after the desk date {as_of}; there is no data yet.",
        )
    if start > end:
        raise ToolInputError("bad_window", f"The window {label!r} ends before it starts.")
    return Window(label=label, start=start, end=min(end, as_of))


def _parse(label: str, as_of: date) -> tuple[date, date]:
    if label in ("today", "now", "as of today", "as-of"):
        return as_of, as_of
    if label == "yesterday":
        day = previous_business_day(as_of)
        return day, day
    if label in ("this week", "week to date", "wtd"):
        return as_of - timedelta(days=as_of.weekday()), as_of
    if label == "last week":
        monday = as_of - timedelta(days=as_of.weekday() + 7)
        return monday, monday + timedelta(days=6)
    if label in ("this month", "month to date", "mtd"):
        return as_of.replace(day=1), as_of
    if label == "last month":
        end = as_of.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if label in ("this year", "year to date", "ytd"):
        return as_of.replace(month=1, day=1), as_of
    if match := re.fullmatch(r"(?:last|past) (\d{1,4}) (business days|days|weeks|months)", label):
        n, unit = int(match[1]), match[2]
        if n <= 0:
            raise ToolInputError("bad_window", f"The window {label!r} must cover at least one day.")
        days = {"days": n, "business days": n * 7 // 5, "weeks": 7 * n, "months": 30 * n}[unit]
        return as_of - timedelta(days=days - 1), as_of
    if match := re.fullmatch(r"since (\w+)", label):
        word = match[1]
        if word in _WEEKDAYS:
            back = (as_of.weekday() - _WEEKDAYS.index(word)) % 7
            return as_of - timedelta(days=back), as_of
    if match := re.fullmatch(r"since (\d{4}-\d{2}-\d{2})", label):
        return _date(match[1], label), as_of
    if match := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\s*(?:\.\.|to)\s*(\d{4}-\d{2}-\d{2})", label):
        return _date(match[1], label), _date(match[2], label)
    if match := re.fullmatch(r"(?:on )?(\d{4}-\d{2}-\d{2})", label):
        day = _date(match[1], label)
        return day, day
    raise ToolInputError("bad_window", f"Cannot read the window {label!r}. Use one of: {WINDOW_HELP}.")


def _date(text: str, label: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ToolInputError("bad_window", f"{text!r} in {label!r} is not a date (YYYY-MM-DD).") from None
