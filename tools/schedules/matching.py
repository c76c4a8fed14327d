"""Which of a trader's schedules "the 17:00 breach report" names: by id, by time of day, by report words."""

from __future__ import annotations

import re
from collections.abc import Sequence

from tools.errors import ToolInputError
from tools.schedules.phrases import ScheduleParseError, time_of_day
from tools.schedules.reports import reports_named
from tools.schedules.scheduler import ScheduledReport

__all__ = ["pick_schedules"]

_ALL = re.compile(r"\b(all|every one|everything|all of them)\b")


def pick_schedules(schedules: Sequence[ScheduledReport], which: str | None,
                   schedule_id: str | None = None) -> list[ScheduledReport]:
    """Return the schedules ``which`` (or ``schedule_id``) names; raise `ToolInputError` if none or ambiguous.

    Every clue given must hold: the id, the time of day ("17:00", "7am") and the report's words
    ("breach", "VaR"). "all" picks every schedule. Several matches without "all" is ambiguous.
    """
    if not schedules:
        raise ToolInputError("no_schedules", "You have no scheduled reports, so nothing was cancelled.")
    if schedule_id:
        found = [s for s in schedules if s.schedule_id == schedule_id]
        if not found:
            raise ToolInputError("unknown_schedule", f"You have no scheduled report with id {schedule_id}.")
        return found
    text = (which or "").lower()
    if _ALL.search(text):
        return list(schedules)
    found = list(schedules)
    try:
        hour, minute = time_of_day(text)
    except ScheduleParseError:
        hour = minute = None
    if hour is not None:
        found = [s for s in found if _fires_at(s.cron, hour, minute)]
    named = reports_named(text)
    if named:
        found = [s for s in found if s.report in named]
    if not found:
        raise ToolInputError("unknown_schedule", "None of your scheduled reports matches that; "
                             f"you have: {_listing(schedules)}.")
    if len(found) > 1:
        raise ToolInputError("ambiguous_schedule", "Several scheduled reports match; say which (by time or report) "
                             f"or say 'all': {_listing(found)}.")
    return found


def _fires_at(cron: str, hour: int, minute: int | None) -> bool:
    fields = cron.split()
    return len(fields) >= 2 and fields[1] == str(hour) and (minute is None or fields[0] == str(minute))


def _listing(schedules: Sequence[ScheduledReport]) -> str:
    return "; ".join(f"{s.title} {s.description}" for s in schedules)
