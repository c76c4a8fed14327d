"""The desk tools' `ReportScheduler` on ``fxdesk serve``: a report schedule is a thread cron on an inbox thread.

`build_runtime` leaves the runtime's `SchedulerSlot` empty; the app's lifespan attaches this one. A
schedule made from chat becomes exactly what ``POST /threads/{id}/runs/crons`` would make (the same
validation: schedule, timezone, the creator's scope, the webhook allow-list), on a new thread the
creator owns, titled for the report: each tick asks the desk graph the report's question there, as
the creator with their entitlements read again at the tick (`server.crons.scheduler`).

Tools are synchronous and run in worker threads, while the cron and thread stores are async on the
app's event loop: each call is handed to that loop and waited for, with a bound.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from redis.exceptions import RedisError

from server.crons.create import CronCreate, create_cron
from server.crons.cron_store import CronStore
from server.problems import Problem
from server.runs.admission import new_id
from server.runs.caller import Caller, Forbidden, InvalidContext
from server.services import DESK_GRAPH_ID, AppServices
from server.webhooks import WebhookSender
from tools.context import Context
from tools.errors import ToolInputError
from tools.schedules.phrases import describe
from tools.schedules.scheduler import ReportSchedule, ScheduledReport

__all__ = ["REPORT_KIND", "CronReportScheduler", "scheduled_report"]

REPORT_KIND = "desk_report"  # cron metadata "kind" of schedules made from chat
T = TypeVar("T")


class CronReportScheduler:
    """Creates, lists and deletes a user's report schedules as crons (see the module docstring)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, services: AppServices, crons: CronStore,
                 webhooks: WebhookSender, *, timeout_s: float = 10.0):
        self.loop, self.services, self.crons, self.webhooks = loop, services, crons, webhooks
        self.timeout_s = timeout_s

    # -- ReportScheduler (called from tool worker threads) -----------------------------------------
    def create(self, owner: Context, schedule: ReportSchedule) -> ScheduledReport:
        """Create ``schedule`` for ``owner``: an inbox thread and a cron on it."""
        return self._wait(self.acreate(owner, schedule))

    def list(self, owner: Context) -> list[ScheduledReport]:
        """Return ``owner``'s crons as schedules, oldest first."""
        return self._wait(self.alist(owner))

    def delete(self, owner: Context, schedule_id: str) -> bool:
        """Delete ``owner``'s cron ``schedule_id``; False when they have none with that id."""
        return self._wait(self.adelete(owner, schedule_id))

    # -- async halves ---------------------------------------------------------------------------------
    async def acreate(self, owner: Context, schedule: ReportSchedule) -> ScheduledReport:
        """Create ``schedule`` for ``owner`` (on the app's loop)."""
        entitlements = await self.services.users(owner.user_id)  # full and fresh: the cron is checked against them
        if entitlements is None:
            raise ToolInputError("unknown_user", f"There is no user {owner.user_id}.")
        caller = Caller(user_id=owner.user_id, entitlements=entitlements)
        body = CronCreate(
            schedule=schedule.cron, timezone=schedule.timezone, assistant_id=self._assistant_id(),
            input={"messages": [{"role": "user", "content": schedule.ask}]},
            context={"books": [schedule.book]} if schedule.book else None, webhook=schedule.webhook,
            metadata={"kind": REPORT_KIND, "report": schedule.report, "desk": schedule.desk, "title": schedule.title,
                      "book": schedule.book, "description": schedule.description})
        thread_id = new_id()
        try:
            await self.services.threads.create(owner.user_id, thread_id, {
                "title": f"Scheduled: {schedule.title} {schedule.description}", "inbox": True,
                "report": schedule.report})
            record = await create_cron(body, caller, self.services, self.crons, self.webhooks, thread_id)
        except Problem as exc:
            await self.services.threads.delete(owner.user_id, thread_id)
            raise ToolInputError("schedule_refused", f"The schedule was refused: {exc.detail}") from None
        except (Forbidden, InvalidContext) as exc:
            await self.services.threads.delete(owner.user_id, thread_id)
            raise ToolInputError("schedule_refused", f"The schedule was refused: {exc}") from None
        return scheduled_report(record)

    async def alist(self, owner: Context) -> list[ScheduledReport]:
        """Return ``owner``'s schedules (on the app's loop)."""
        return [scheduled_report(r) for r in await self.crons.list_for(owner.user_id)]

    async def adelete(self, owner: Context, schedule_id: str) -> bool:
        """Delete one of ``owner``'s schedules (on the app's loop); the inbox thread and its reports stay."""
        if await self.crons.get_for(owner.user_id, schedule_id) is None:
            return False
        await self.crons.delete(owner.user_id, schedule_id)
        return True

    # -- helpers ------------------------------------------------------------------------------------
    def _assistant_id(self) -> str:
        registry = self.services.registry
        desk = registry.resolve(DESK_GRAPH_ID)
        return (desk or registry.all()[0]).assistant_id

    def _wait(self, coro: Coroutine[Any, Any, T]) -> T:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self.loop:  # a sync tool called on the loop itself would deadlock waiting for it
            coro.close()
            raise RuntimeError("the report scheduler was called on the event loop it needs; run the tool in a thread")
        try:
            return asyncio.run_coroutine_threadsafe(coro, self.loop).result(self.timeout_s)
        except TimeoutError:
            raise ToolInputError("schedules_unavailable", "The schedule store did not answer in time; nothing "
                                 "was changed. Try again.") from None
        except (OSError, RedisError) as exc:  # Redis down: said, not a crash of the desk
            raise ToolInputError("schedules_unavailable", f"The schedule store is unavailable ({exc}).") from None


def scheduled_report(record: dict[str, Any]) -> ScheduledReport:
    """Return a cron record as the desk tools show a schedule (a raw API cron too, titled by its schedule)."""
    meta = record.get("metadata") or {}
    payload = record.get("payload") or {}
    return ScheduledReport(
        schedule_id=record["cron_id"], report=meta.get("report"), title=meta.get("title") or "cron",
        cron=record["schedule"], timezone=record.get("timezone") or "UTC",
        description=describe(record["schedule"], record.get("timezone") or "UTC"), book=meta.get("book"),
        thread_id=record.get("thread_id"), webhook=payload.get("webhook"), enabled=record.get("enabled", True),
        next_run=record.get("next_run_date"), last_run=record.get("last_tick"))
