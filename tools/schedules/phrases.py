"""Schedules in trader words ("every weekday at 17:00 New York", "daily at 7am London") read into cron + IANA zone.

The parser is deliberately small and strict: a frequency (daily / every day, weekdays / business
days, named weekdays, "every hour"), a time of day (17:00, 5pm, 7:30am, noon, midnight; required
unless hourly) and a timezone (a city or desk name from `ZONES`, an IANA name such as
``Europe/London``, or UTC/GMT; default UTC). Anything it cannot read raises `ScheduleParseError`
naming the part it could not read, so the model (or the trader) can say it again, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tools.errors import ToolInputError

__all__ = ["ZONES", "ParsedSchedule", "ScheduleParseError", "describe", "parse_schedule", "time_of_day"]

# City and desk names traders use -> IANA zone (longest names are matched first).
ZONES: dict[str, str] = {
    "new york": "America/New_York", "nyc": "America/New_York", "ny": "America/New_York",
    "eastern": "America/New_York", "london": "Europe/London", "ldn": "Europe/London",
    "tokyo": "Asia/Tokyo", "tky": "Asia/Tokyo", "singapore": "Asia/Singapore", "sg": "Asia/Singapore",
    "hong kong": "Asia/Hong_Kong", "hk": "Asia/Hong_Kong", "sydney": "Australia/Sydney",
    "zurich": "Europe/Zurich", "frankfurt": "Europe/Berlin", "paris": "Europe/Paris",
    "chicago": "America/Chicago", "toronto": "America/Toronto", "mumbai": "Asia/Kolkata",
    "johannesburg": "Africa/Johannesburg", "dubai": "Asia/Dubai", "wellington": "Pacific/Auckland",
    "sao paulo": "America/Sao_Paulo", "mexico city": "America/Mexico_City", "istanbul": "Europe/Istanbul",
    "utc": "UTC", "gmt": "UTC",
}
_DAYS = {"monday": 1, "mon": 1, "tuesday": 2, "tue": 2, "tues": 2, "wednesday": 3, "wed": 3, "thursday": 4,
         "thu": 4, "thur": 4, "thurs": 4, "friday": 5, "fri": 5, "saturday": 6, "sat": 6, "sunday": 0, "sun": 0}
_DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")

_IANA = re.compile(r"\b([A-Z][A-Za-z_]+(?:/[A-Za-z_+\-0-9]+)+)")
_TIME = re.compile(r"\b(?:at\s+)?(?P<h>\d{1,2})(?::|\.|h)?(?P<m>\d{2})?\s*(?P<ampm>a\.?m\.?|p\.?m\.?)?(?![\d/])",
                   re.IGNORECASE)
_NAMED_TIME = {"noon": (12, 0), "midday": (12, 0), "midnight": (0, 0)}
_WEEKDAYS = re.compile(r"\b(week ?days?|business days?|working days?|"
                       r"mon(?:day)?\s*(?:-|to|through|thru)\s*fri(?:day)?)\b")
_DAILY = re.compile(r"\b(daily|every ?day|each day|every morning|every evening|every night|nightly|each morning|"
                    r"each evening)\b")
_HOURLY = re.compile(r"\b(hourly|every hour|each hour)\b")
_ZONE_AFTER = re.compile(r"\b(?:in|at)\s+([a-z][a-z ]{1,30}?)\s+(?:time|timezone|time zone)\b")


class ScheduleParseError(ToolInputError):
    """The schedule words could not be read; the message says which part and how to say it."""

    def __init__(self, message: str):
        super().__init__("bad_schedule", message)


@dataclass(frozen=True)
class ParsedSchedule:
    """A schedule read from trader words: a 5-field cron expression in ``timezone`` and how to say it back."""

    cron: str
    timezone: str
    description: str


def parse_schedule(text: str) -> ParsedSchedule:
    """Read ``text`` (e.g. "every weekday at 17:00 New York") into a cron expression and an IANA timezone.

    Raises:
        ScheduleParseError: the frequency, time or timezone cannot be read (the message names which).

    """
    if not text or not text.strip():
        raise ScheduleParseError("Say when to send the report, e.g. 'every weekday at 17:00 New York'.")
    timezone, rest = _timezone(text)
    low = rest.lower()
    if _HOURLY.search(low):
        minute = _minute_past(low)
        return ParsedSchedule(f"{minute} * * * *", timezone, f"every hour at :{minute:02d} ({timezone})")
    days, day_words = _days(low)
    hour, minute = time_of_day(low)
    return ParsedSchedule(f"{minute} {hour} * * {days}", timezone,
                          f"{day_words} at {hour:02d}:{minute:02d} ({timezone})")


def describe(cron: str, timezone: str) -> str:
    """Say a cron expression the parser writes back in words (falls back to the expression itself)."""
    fields = cron.split()
    if len(fields) != 5 or not (fields[0].isdigit() and fields[2:4] == ["*", "*"]):
        return f"cron '{cron}' ({timezone})"
    minute = int(fields[0])
    if fields[1] == "*" and fields[4] == "*":
        return f"every hour at :{minute:02d} ({timezone})"
    if not fields[1].isdigit():
        return f"cron '{cron}' ({timezone})"
    return f"{_day_words(fields[4])} at {int(fields[1]):02d}:{minute:02d} ({timezone})"


# -- parts ----------------------------------------------------------------------------------------
def _timezone(text: str) -> tuple[str, str]:
    """Return the IANA zone named in ``text`` (default UTC) and the text without it."""
    if found := _IANA.search(text):
        name = found.group(1)
        return _zone(name), text[:found.start()] + text[found.end():]
    low = text.lower()
    for alias in sorted(ZONES, key=len, reverse=True):
        hit = re.search(rf"(?<![a-z]){re.escape(alias)}(?![a-z])", low)
        if hit:
            return ZONES[alias], text[:hit.start()] + text[hit.end():]
    if unknown := _ZONE_AFTER.search(low):
        raise ScheduleParseError(f"Unknown timezone {unknown.group(1).strip()!r}: name a city such as New York, "
                                 "London or Tokyo, or an IANA zone such as 'America/New_York'.")
    return "UTC", text


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleParseError(f"Unknown timezone {name!r}: use an IANA name such as 'America/New_York' "
                                 "or a city such as London.") from None
    return name


def _days(low: str) -> tuple[str, str]:
    """Return the cron weekday field and its words: weekdays, named days or every day (the default)."""
    if _WEEKDAYS.search(low):
        return "1-5", "every weekday"
    words = (w[:-1] if w not in _DAYS and w.endswith("s") else w for w in re.findall(r"[a-z]+", low))
    named = sorted({_DAYS[w] for w in words if w in _DAYS and _is_day_word(w, low)})
    if named:
        return ",".join(str(d) for d in named), _day_words(",".join(str(d) for d in named))
    if _DAILY.search(low) or re.search(r"\bevery\b|\beach\b", low):
        return "*", "every day"
    raise ScheduleParseError("Say how often, e.g. 'every weekday', 'daily' or 'every Monday'.")


def _is_day_word(word: str, low: str) -> bool:
    # "sat"/"sun"/"wed" are also ordinary words; a short form counts only after every/on/each or in a list.
    if len(word) > 4 or word in ("tues", "thur"):
        return True
    return bool(re.search(rf"\b(?:every|on|each|and|,)\s*{word}s?\b", low))


def _day_words(field: str) -> str:
    if field == "*":
        return "every day"
    if field == "1-5":
        return "every weekday"
    return "every " + " and ".join(_DAY_NAMES[int(d)] for d in field.split(","))


def time_of_day(text: str) -> tuple[int, int]:
    """Return the (hour, minute) ``text`` names ("17:00", "5pm", "at 7", "noon"); raise `ScheduleParseError`."""
    low = text.lower()
    for word, (hour, minute) in _NAMED_TIME.items():
        if re.search(rf"\b{word}\b", low):
            return hour, minute
    for found in _TIME.finditer(low):
        hour, minute, ampm = int(found.group("h")), int(found.group("m") or 0), found.group("ampm")
        if not ampm and found.group("m") is None and not found.group(0).lower().startswith("at"):
            continue  # a bare number ("top 5") is a time only as 17:00, 5pm or "at 17"
        if ampm:
            if not 1 <= hour <= 12:
                raise ScheduleParseError(f"{found.group(0).strip()!r} is not a time: use 1-12 with am/pm.")
            hour = hour % 12 + (12 if ampm.startswith("p") else 0)
        if hour > 23 or minute > 59:
            raise ScheduleParseError(f"{found.group(0).strip()!r} is not a time of day: use 00:00-23:59.")
        return hour, minute
    raise ScheduleParseError("Say at what time, e.g. 'at 17:00', 'at 7am' or 'at noon'.")


def _minute_past(low: str) -> int:
    found = re.search(r"\bat\s*:?(\d{1,2})\b|\b(\d{1,2}) past\b", low)
    minute = int(next(g for g in found.groups() if g)) if found else 0
    if minute > 59:
        raise ScheduleParseError(f"{minute} is not a minute of the hour: use 0-59.")
    return minute
