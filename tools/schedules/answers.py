"""Answer templates of the report-schedule tools: the schedule made, the list, what was cancelled (issue 15)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["TEMPLATES", "cancelled", "listed", "scheduled"]


def scheduled(result: Mapping[str, Any]) -> str | None:
    """Say what was scheduled, when it next runs and where it is delivered."""
    schedule = result.get("schedule")
    if not isinstance(schedule, Mapping):
        return None
    book = f" for {schedule['book']}" if schedule.get("book") else ""
    lines = [f"Scheduled: **{schedule.get('title')}**{book}, {schedule.get('description')} "
             f"(cron `{schedule.get('cron')}`, schedule id `{schedule.get('schedule_id')}`)."]
    if schedule.get("next_run"):
        lines.append(f"Next run: {schedule['next_run']}.")
    where = "an inbox thread in your chat list"
    if schedule.get("webhook"):
        where += f" and a signed POST to {schedule['webhook']}"
    lines.append(f"Each report runs with your entitlements at that time and is delivered to {where}.")
    return "\n".join(lines)


def listed(result: Mapping[str, Any]) -> str | None:
    """List the caller's schedules: what, when, next run, last run."""
    rows = result.get("schedules")
    if rows is None:
        return None
    if not rows:
        return "You have no scheduled reports."
    lines = [f"**Your scheduled reports** ({result.get('count', len(rows))}):"]
    for row in rows:
        book = f" for {row['book']}" if row.get("book") else ""
        state = "" if row.get("enabled", True) else " (disabled)"
        lines.append(f"- **{row.get('title')}**{book}, {row.get('description')}{state}; next run "
                     f"{row.get('next_run') or 'none'}; last run {_last(row.get('last_run'))} "
                     f"(id `{row.get('schedule_id')}`)")
    return "\n".join(lines)


def cancelled(result: Mapping[str, Any]) -> str | None:
    """Say which schedules were cancelled."""
    rows = result.get("cancelled")
    if rows is None:
        return None
    if not rows:
        return "Nothing was cancelled."
    names = "; ".join(f"**{r.get('title')}** {r.get('description')}" for r in rows)
    return f"Cancelled: {names}. Reports already delivered stay in their inbox thread."


def _last(tick: Any) -> str:
    if not isinstance(tick, Mapping):
        return "never"
    if tick.get("error"):
        return f"at {tick.get('tick')}: not run ({tick['error']})"
    return f"at {tick.get('tick')}: started run `{tick.get('run_id')}`"


TEMPLATES: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    "schedule_compliance_report": scheduled,
    "schedule_risk_report": scheduled,
    "list_scheduled_reports": listed,
    "cancel_scheduled_report": cancelled,
}
