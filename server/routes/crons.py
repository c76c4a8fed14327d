"""Crons: create (stateless or on a thread), search, count, update and delete; owned by their creator."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from server.crons import CronStore
from server.crons import create as cron_create
from server.crons.create import RUN_FIELDS, CronCreate, validate_cron
from server.crons.schedule import parse_end_time
from server.deps import CurrentCaller, Services
from server.ids import CronIdPath
from server.problems import Problem
from server.routes.responses import json_response
from server.runs.caller import Caller
from server.runs.clock import now_iso

router = APIRouter(tags=["crons"])


class CronSearch(BaseModel):
    """Body of ``POST /runs/crons/search`` and ``/count``."""

    model_config = ConfigDict(extra="ignore")
    assistant_id: str | None = None
    thread_id: str | None = None
    enabled: bool | None = None
    metadata: dict[str, Any] | None = None
    limit: int = Field(10, ge=1, le=1000)
    offset: int = Field(0, ge=0)
    sort_by: Literal["cron_id", "assistant_id", "thread_id", "next_run_date", "end_time", "created_at",
                     "updated_at"] = "created_at"
    sort_order: Literal["asc", "desc"] = "desc"


def get_crons(request: Request) -> CronStore:
    """Return the app's cron store."""
    return request.app.state.crons


Crons = Annotated[CronStore, Depends(get_crons)]


async def _validated(body: CronCreate, caller: Caller, services, request: Request) -> tuple[str, int | None]:
    return await validate_cron(body, caller, services, request.app.state.webhooks)


async def _create(body: CronCreate, caller: Caller, services, crons: CronStore, request: Request,
                  thread_id: str | None) -> Response:
    webhooks = request.app.state.webhooks
    return json_response(await cron_create.create_cron(body, caller, services, crons, webhooks, thread_id))


@router.post("/runs/crons")
async def create_cron(body: CronCreate, caller: CurrentCaller, services: Services, crons: Crons,
                      request: Request) -> Response:
    """Create a cron whose every tick runs on a new thread owned by the caller."""
    return await _create(body, caller, services, crons, request, None)


@router.post("/threads/{thread_id}/runs/crons")
async def create_thread_cron(thread_id: str, body: CronCreate, caller: CurrentCaller, services: Services,
                             crons: Crons, request: Request) -> Response:
    """Create a cron whose ticks run on the caller's thread ``thread_id``."""
    if not await services.threads.exists_for(caller.user_id, thread_id):
        raise Problem(404, f"Thread with ID {thread_id} not found")
    return await _create(body, caller, services, crons, request, thread_id)


async def _matching(body: CronSearch, caller: Caller, services, crons: CronStore) -> list[dict[str, Any]]:
    wanted_assistant = None
    if body.assistant_id:
        assistant = services.registry.resolve(body.assistant_id)
        wanted_assistant = assistant.assistant_id if assistant else body.assistant_id
    found = [c for c in await crons.list_for(caller.user_id)
             if (wanted_assistant is None or c["assistant_id"] == wanted_assistant)
             and (body.thread_id is None or c["thread_id"] == body.thread_id)
             and (body.enabled is None or c["enabled"] == body.enabled)
             and all(c["metadata"].get(k) == v for k, v in (body.metadata or {}).items())]
    return found


@router.post("/runs/crons/search")
async def search_crons(body: CronSearch, caller: CurrentCaller, services: Services, crons: Crons) -> Response:
    """List the caller's crons matching the filters."""
    found = await _matching(body, caller, services, crons)
    found.sort(key=lambda c: c.get(body.sort_by) or "", reverse=body.sort_order == "desc")
    return json_response(found[body.offset:body.offset + body.limit])


@router.post("/runs/crons/count")
async def count_crons(body: CronSearch, caller: CurrentCaller, services: Services, crons: Crons) -> Response:
    """Count the caller's crons matching the filters."""
    return json_response(len(await _matching(body, caller, services, crons)))


@router.patch("/runs/crons/{cron_id}")
async def update_cron(cron_id: CronIdPath, request: Request, caller: CurrentCaller, services: Services,
                      crons: Crons) -> Response:
    """Change a cron's schedule, timezone, end time, payload or enabled flag (explicit null clears end_time)."""
    record = await crons.get_for(caller.user_id, cron_id)
    if record is None:
        raise Problem(404, f"Cron {cron_id} not found")
    patch = await request.json()
    if not isinstance(patch, dict):
        raise Problem(422, "The body must be a JSON object")
    merged = {"schedule": record["schedule"], "assistant_id": record["assistant_id"],
              "timezone": record["timezone"], "end_time": record["end_time"], "enabled": record["enabled"],
              "metadata": record["metadata"], "on_run_completed": record["on_run_completed"],
              **record["payload"], **patch}
    try:
        body = CronCreate.model_validate(merged)
    except ValueError as exc:
        raise Problem(422, f"Invalid cron update: {exc}") from None
    _, next_ms = await _validated(body, caller, services, request)
    updated = {**{k: v for k, v in record.items() if k not in ("last_tick", "next_run_date")},
               "schedule": body.schedule, "timezone": body.timezone or "UTC",
               "end_time": parse_end_time(body.end_time).isoformat() if body.end_time else None,
               "enabled": body.enabled, "metadata": body.metadata, "on_run_completed": body.on_run_completed,
               "payload": body.model_dump(include=set(RUN_FIELDS), exclude_none=True), "updated_at": now_iso()}
    await crons.save(updated, next_ms)
    return json_response(await crons.get(cron_id))


@router.delete("/runs/crons/{cron_id}", status_code=204)
async def delete_cron(cron_id: CronIdPath, caller: CurrentCaller, crons: Crons) -> Response:
    """Delete one of the caller's crons (404 for anyone else's)."""
    if await crons.get_for(caller.user_id, cron_id) is None:
        raise Problem(404, f"Cron {cron_id} not found")
    await crons.delete(caller.user_id, cron_id)
    return Response(status_code=204)
