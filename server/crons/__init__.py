"""Crons of the LangGraph Server API: schedules with a timezone, records in Redis, a scheduler per replica."""

from server.crons.cron_store import CronStore
from server.crons.schedule import InvalidSchedule, check_schedule, next_fire
from server.crons.scheduler import CronScheduler

__all__ = ["CronScheduler", "CronStore", "InvalidSchedule", "check_schedule", "next_fire"]
