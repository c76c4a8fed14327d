"""The desk calendar: business days are Monday to Friday (the demo has no holidays)."""

from __future__ import annotations

from datetime import date, timedelta

__all__ = ["add_business_days", "business_days", "previous_business_day"]


def business_days(end: date, count: int) -> list[date]:
    """Return the ``count`` weekdays ending on ``end`` (inclusive), oldest first."""
    days: list[date] = []
    day = end
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    return days[::-1]


def add_business_days(day: date, n: int) -> date:
    """Return the weekday ``n`` business days after ``day``."""
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def previous_business_day(day: date) -> date:
    """Return the last weekday before ``day``."""
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day
