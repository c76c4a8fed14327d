"""Creating a cron: validation (schedule, timezone, end time, assistant, scope, webhook) and the record.

Shared by the crons routes and the desk's report scheduler (`server.crons.report_scheduler`), so a
schedule made from chat is checked exactly like one made through the API.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from server.crons.cron_store import CronStore, epoch_ms
from server.crons.schedule import InvalidSchedule, check_schedule, next_fire, parse_end_time
from server.problems import Problem
from server.runs.admission import new_id
from server.runs.caller import Caller, run_context
from server.runs.clock import now_iso
from server.webhooks import WebhookRefused, WebhookSender

__all__ = ["RUN_FIELDS", "CronCreate", "create_cron", "validate_cron"]

RUN_FIELDS = ("input", "config", "context", "webhook", "interrupt_before", "interrupt_after", "stream_mode",
               "stream_subgraphs", "stream_resumable", "durability", "multitask_strategy", "checkpoint_during")


class CronCreate(BaseModel):
    """Body of ``POST /runs/crons`` and ``POST /threads/{thread_id}/runs/crons``."""

    model_config = ConfigDict(extra="ignore")
    schedule: str
    assistant_id: str
    timezone: str | None = None
    end_time: str | None = None
    enabled: bool = True
    metadata: dict[str, Any] = Field(default_factory=dict)
    on_run_completed: Literal["delete", "keep"] | None = None
    input: Any = None
    config: dict[str, Any] | None = None
    context: dict[str, Any] | None = None
    webhook: str | None = None
    interrupt_before: list[str] | Literal["*"] | None = None
    interrupt_after: list[str] | Literal["*"] | None = None
    stream_mode: list[str] | str | None = None
    stream_subgraphs: bool | None = None
    stream_resumable: bool | None = None
    durability: Literal["sync", "async", "exit"] | None = None
    multitask_strategy: Literal["reject", "enqueue", "interrupt", "rollback"] | None = None
    checkpoint_during: bool | None = None



async def validate_cron(body: CronCreate, caller: Caller, services, webhooks: WebhookSender) -> tuple[str, int | None]:
    """Check schedule, timezone, end time, assistant, context and webhook; return (assistant id, next tick ms).

    Raises:
        Problem: 422 naming the problem, 404 for an unknown assistant, 403 for a context beyond the caller's scope.

    """
    try:
        check_schedule(body.schedule, body.timezone)
        end_time = parse_end_time(body.end_time)
    except InvalidSchedule as exc:
        raise Problem(422, str(exc)) from None
    assistant = services.registry.resolve(body.assistant_id)
    if assistant is None:
        raise Problem(404, f"Assistant {body.assistant_id} not found")
    run_context(caller, body.context)  # Forbidden (403) now, not at the first tick
    if body.webhook:
        try:
            await webhooks.validate(body.webhook)
        except WebhookRefused as exc:
            raise Problem(422, str(exc)) from None
    fire = next_fire(body.schedule, body.timezone, datetime.now(UTC), end_time) if body.enabled else None
    return assistant.assistant_id, epoch_ms(fire) if fire else None


async def create_cron(body: CronCreate, caller: Caller, services, crons: CronStore, webhooks: WebhookSender,
                      thread_id: str | None) -> dict[str, Any]:
    """Validate ``body``, save the cron owned by ``caller`` (on ``thread_id``, or stateless) and return it."""
    assistant_id, next_ms = await validate_cron(body, caller, services, webhooks)
    now = now_iso()
    record = {"cron_id": new_id(), "assistant_id": assistant_id, "thread_id": thread_id, "user_id": caller.user_id,
              "schedule": body.schedule, "timezone": body.timezone or "UTC",
              "end_time": parse_end_time(body.end_time).isoformat() if body.end_time else None,
              "enabled": body.enabled, "metadata": body.metadata, "on_run_completed": body.on_run_completed,
              "payload": body.model_dump(include=set(RUN_FIELDS), exclude_none=True),
              "created_at": now, "updated_at": now}
    await crons.save(record, next_ms)
    return await crons.get(record["cron_id"]) or record
