"""Desk reports on a schedule from chat: trader words -> cron, the scheduler protocol, and the tools (issue 15)."""

from tools.schedules.phrases import ParsedSchedule, ScheduleParseError, parse_schedule
from tools.schedules.scheduler import (
    ReportSchedule,
    ReportScheduler,
    ScheduledReport,
    SchedulerSlot,
    SchedulesUnavailable,
)

__all__ = ["ParsedSchedule", "ReportSchedule", "ReportScheduler", "ScheduleParseError", "ScheduledReport",
           "SchedulerSlot", "SchedulesUnavailable", "parse_schedule"]
