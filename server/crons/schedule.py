"""Cron schedules: validation and the next fire time, in the cron's own timezone (croniter + zoneinfo).

A schedule has the 5 standard fields (``minute hour day month weekday``), read in ``timezone``
(an IANA name, default UTC), so ``0 17 * * 1-5`` in ``America/New_York`` fires at 17:00 New York
time across daylight-saving changes. A 6th field gives seconds (croniter's extension), for tests
and fine-grained jobs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter


class InvalidSchedule(ValueError):
    """A cron expression, timezone or end time that cannot be used; the message names the problem."""


def zone(name: str | None) -> ZoneInfo:
    """Return the timezone named ``name`` (default UTC) or raise `InvalidSchedule`."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidSchedule(f"Unknown timezone {name!r}: use an IANA name such as 'America/New_York'") from None


def check_schedule(schedule: str, timezone: str | None) -> None:
    """Raise `InvalidSchedule` naming the problem unless ``schedule`` and ``timezone`` are usable."""
    zone(timezone)
    fields = schedule.split()
    if len(fields) not in (5, 6):
        raise InvalidSchedule(f"Invalid cron schedule {schedule!r}: expected 5 fields "
                              "'minute hour day month weekday' (or 6 with seconds last)")
    if not croniter.is_valid(schedule):
        raise InvalidSchedule(f"Invalid cron schedule {schedule!r}: a field is out of range or malformed")


def next_fire(schedule: str, timezone: str | None, after: datetime,
              end_time: datetime | None = None) -> datetime | None:
    """Return the first fire time strictly after ``after`` (UTC), or ``None`` past ``end_time``."""
    local = after.astimezone(zone(timezone))
    fire = croniter(schedule, local).get_next(datetime).astimezone(UTC)
    if end_time is not None and fire > end_time:
        return None
    return fire


def parse_end_time(value: str | datetime | None) -> datetime | None:
    """Return ``value`` as an aware UTC datetime (naive means UTC) or raise `InvalidSchedule`."""
    if value is None:
        return None
    try:
        parsed = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    except ValueError:
        raise InvalidSchedule(f"Invalid end_time {value!r}: use ISO 8601, e.g. 2026-12-31T17:00:00Z") from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
