"""The report-scheduler protocol tools call, and the slot the composition root fills with the server's scheduler.

Tools must not import the server (dependencies point server -> graph -> agents -> tools), yet a report
schedule is a cron that lives in the server's Redis and is fired by its scheduler. So the desk tools
depend only on `ReportScheduler` (create / list / delete, synchronous: tools run in worker threads),
reached through a `SchedulerSlot` that `server.runtime.build_runtime` creates empty and ``fxdesk
serve`` fills in its lifespan (`server.crons.report_scheduler`). Where nothing fills it (the CLI's
``fxdesk chat``), every call fails with `SchedulesUnavailable`, a typed error the model reports, never
a pretend success.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from tools.context import Context
from tools.errors import ToolInputError

__all__ = ["ReportSchedule", "ReportScheduler", "ScheduledReport", "SchedulerSlot", "SchedulesUnavailable"]


class ReportSchedule(BaseModel):
    """A report schedule to create: which desk report, when (cron in an IANA zone), for which book, where to."""

    model_config = ConfigDict(frozen=True)
    report: str
    desk: str
    title: str
    ask: str  # the question each tick asks the desk graph
    cron: str
    timezone: str
    description: str
    book: str | None = None
    webhook: str | None = None


class ScheduledReport(BaseModel):
    """A schedule as it exists: its id, when it next runs and how its last run went."""

    model_config = ConfigDict(extra="allow")
    schedule_id: str
    report: str | None = None
    title: str
    cron: str
    timezone: str
    description: str
    book: str | None = None
    thread_id: str | None = None
    webhook: str | None = None
    enabled: bool = True
    next_run: str | None = None
    last_run: dict[str, Any] | None = None


@runtime_checkable
class ReportScheduler(Protocol):
    """Creates, lists and deletes one user's report schedules (implemented by the server, on its crons)."""

    def create(self, owner: Context, schedule: ReportSchedule) -> ScheduledReport:
        """Create ``schedule`` owned by ``owner``; raise `ToolInputError` naming what was refused."""
        ...

    def list(self, owner: Context) -> list[ScheduledReport]:
        """Return ``owner``'s schedules, oldest first."""
        ...

    def delete(self, owner: Context, schedule_id: str) -> bool:
        """Delete one of ``owner``'s schedules; False when they have none with that id."""
        ...


class SchedulesUnavailable(ToolInputError):
    """No scheduler serves this process (the CLI without ``fxdesk serve``): nothing was scheduled."""

    def __init__(self) -> None:
        super().__init__("schedules_unavailable",
                         "Report schedules need fxdesk serve with Redis: its cron scheduler runs them. This chat "
                         "has no server, so nothing was scheduled, listed or cancelled.")


class SchedulerSlot:
    """Where the desk tools find the process's `ReportScheduler`; empty until the server attaches one."""

    def __init__(self, scheduler: ReportScheduler | None = None) -> None:
        self._scheduler = scheduler
        self._lock = threading.Lock()

    def attach(self, scheduler: ReportScheduler) -> None:
        """Serve schedules through ``scheduler`` from now on."""
        with self._lock:
            self._scheduler = scheduler

    def detach(self) -> None:
        """Stop serving schedules (the server is shutting down)."""
        with self._lock:
            self._scheduler = None

    def get(self) -> ReportScheduler:
        """Return the attached scheduler or raise `SchedulesUnavailable`."""
        scheduler = self._scheduler
        if scheduler is None:
            raise SchedulesUnavailable()
        return scheduler
