"""Runs: wait, stream (SSE), background with join / get / list / cancel, and stateless runs."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import Response

from server.deps import CurrentCaller, Services
from server.ids import RunIdPath, ThreadIdPath
from server.problems import Problem, problem_response
from server.routes.responses import KEEPALIVE_S, event_stream_response, json_response, sse_response, waiting_response
from server.runs.admission import NotFound, admit_run
from server.runs.caller import Caller
from server.runs.encoding import dumps
from server.runs.events import STREAM_MODES
from server.runs.local_run import LocalRun
from server.runs.relay import InvalidEventId, parse_event_id
from server.runs.requests import RunCreate
from server.runs.sse import sse_frame
from server.runs.threads_store import ThreadStore
from server.webhooks import WebhookRefused

router = APIRouter(tags=["runs"])


async def _admit(body: RunCreate, caller: Caller, services, thread_id: str | None, request: Request):
    unknown = sorted(set(body.modes()) - STREAM_MODES)
    if unknown:
        raise Problem(422, f"Unsupported stream_mode {unknown}; use any of {sorted(STREAM_MODES)}")
    if body.webhook:
        try:
            await request.app.state.webhooks.validate(body.webhook)
        except WebhookRefused as exc:
            raise Problem(422, str(exc)) from None
    try:
        return await admit_run(body, caller, thread_id=thread_id, registry=services.registry,
                               threads=services.threads, runs=services.runs, executor=services.executor,
                               default_durability=services.durability)
    except NotFound as exc:
        raise Problem(404, str(exc)) from None


async def _wait_body(run: LocalRun, headers: dict[str, str]) -> Response:
    # Most runs finish well inside the keep-alive interval: answer them with a plain JSON response.
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.shield(run.done.wait()), timeout=KEEPALIVE_S)
    if run.done.is_set():
        if run.store_failed:  # Redis died mid-run: say so as the outage it is, not as a graph error
            return problem_response(503, "The state store (Redis) stopped answering during the run; retry shortly.",
                                    headers={"Retry-After": "1"})
        return Response(run.result or b"{}", media_type="application/json", headers=headers)

    async def result() -> bytes:
        await run.done.wait()
        return run.result or b"{}"

    return waiting_response(result, headers)


async def _own_thread(threads: ThreadStore, caller: Caller, thread_id: str) -> None:
    if not await threads.exists_for(caller.user_id, thread_id):
        raise Problem(404, f"Thread with ID {thread_id} not found")


async def _own_run(services, caller: Caller, thread_id: str, run_id: str) -> dict:
    await _own_thread(services.threads, caller, thread_id)
    record = await services.runs.get(run_id)
    if record is None or record["thread_id"] != thread_id:
        raise Problem(404, f"Run {run_id} not found")
    return record


@router.post("/threads/{thread_id}/runs/wait")
async def wait_run(thread_id: ThreadIdPath, body: RunCreate, caller: CurrentCaller, services: Services,
                   request: Request) -> Response:
    """Create a run on the thread and answer with its final values."""
    record, run = await _admit(body, caller, services, thread_id, request)
    base = f"/threads/{thread_id}/runs/{record['run_id']}"
    return await _wait_body(run, {"Location": f"{base}/join", "Content-Location": base})


@router.post("/threads/{thread_id}/runs/stream")
async def stream_run(thread_id: ThreadIdPath, body: RunCreate, caller: CurrentCaller, services: Services,
                   request: Request) -> Response:
    """Create a run on the thread and stream its events as SSE."""
    record, run = await _admit(body, caller, services, thread_id, request)
    base = f"/threads/{thread_id}/runs/{record['run_id']}"
    cancel = (lambda: services.executor.cancel(record["run_id"])) if body.on_disconnect == "cancel" else None
    return sse_response(run, cancel_on_disconnect=cancel, with_ids=body.stream_resumable,
                        headers={"Location": f"{base}/stream", "Content-Location": base})


@router.post("/threads/{thread_id}/runs")
async def create_run(thread_id: ThreadIdPath, body: RunCreate, caller: CurrentCaller, services: Services,
                   request: Request) -> Response:
    """Create a background run; it goes on whether or not anyone is listening."""
    record, _ = await _admit(body, caller, services, thread_id, request)
    return json_response(record, headers={"Content-Location": f"/threads/{thread_id}/runs/{record['run_id']}"})


@router.get("/threads/{thread_id}/runs")
async def list_runs(thread_id: ThreadIdPath, caller: CurrentCaller, services: Services, limit: int = 10,
                    offset: int = 0, status: str | None = None) -> Response:
    """List the thread's runs, newest first."""
    await _own_thread(services.threads, caller, thread_id)
    return json_response(await services.runs.list(thread_id, limit=limit, offset=offset, status=status))


@router.get("/threads/{thread_id}/runs/{run_id}")
async def get_run(thread_id: ThreadIdPath, run_id: RunIdPath, caller: CurrentCaller, services: Services) -> Response:
    """Return one run record."""
    return json_response(await _own_run(services, caller, thread_id, run_id))


@router.delete("/threads/{thread_id}/runs/{run_id}", status_code=204)
async def delete_run(thread_id: ThreadIdPath, run_id: RunIdPath, caller: CurrentCaller, services: Services) -> Response:
    """Delete a finished run record (409 while it is in flight)."""
    record = await _own_run(services, caller, thread_id, run_id)
    if record["status"] in ("pending", "running"):
        raise Problem(409, f"Run {run_id} is still {record['status']}; cancel it first")
    await services.runs.delete(thread_id, run_id)
    return Response(status_code=204)


@router.get("/threads/{thread_id}/runs/{run_id}/join")
async def join_run(thread_id: ThreadIdPath, run_id: RunIdPath, caller: CurrentCaller, services: Services) -> Response:
    """Wait for the run to finish (on any replica) and answer with the thread's values."""
    await _own_run(services, caller, thread_id, run_id)

    async def result() -> bytes:
        status = await services.executor.join(run_id)
        thread = await services.threads.get(caller.user_id, thread_id)
        return dumps(_joined_values(thread, status))

    return waiting_response(result, {})


@router.get("/threads/{thread_id}/runs/{run_id}/stream")
async def join_run_stream(thread_id: ThreadIdPath, run_id: RunIdPath, caller: CurrentCaller, services: Services,
                          stream_mode: Annotated[list[str] | None, Query()] = None,
                          cancel_on_disconnect: bool = False,
                          last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None) -> Response:
    """Stream the run's events from whichever replica runs it (relayed through Redis).

    Without ``Last-Event-ID`` the stream starts at the run's first stored event; with it, right
    after that event, so a reconnecting client gets every event exactly once. A run whose events
    are no longer stored answers with its final values, once it ends.
    """
    record = await _own_run(services, caller, thread_id, run_id)
    try:
        after = parse_event_id(last_event_id)
    except InvalidEventId as exc:
        raise Problem(422, str(exc)) from None
    with_ids = bool(record["kwargs"].get("resumable"))
    wanted = {mode for mode in stream_mode or () if mode}  # the SDK sends ``stream_mode=`` for none
    cancel = (lambda: services.executor.cancel(run_id)) if cancel_on_disconnect else None
    headers = {"Location": f"/threads/{thread_id}/runs/{run_id}/stream",
               "Content-Location": f"/threads/{thread_id}/runs/{run_id}"}

    async def frames():
        relayed = 0
        if services.executor.events is not None:
            async for event_id, event, data in services.executor.events.follow(
                    run_id, after, lambda: services.executor.finished(run_id)):
                relayed += 1
                if _mode_wanted(event, wanted):
                    yield sse_frame(event, data, event_id if with_ids else None)
        if relayed == 0 and after == "0-0":  # nothing stored (expired, or no relay): the final values
            status = await services.executor.join(run_id)
            thread = await services.threads.get(caller.user_id, thread_id)
            yield sse_frame("values", dumps(_joined_values(thread, status)))

    return event_stream_response(frames(), on_disconnect=cancel, headers=headers)


def _mode_wanted(event: str, wanted: set[str]) -> bool:
    base = event.split("|", 1)[0].split("/", 1)[0]
    if not wanted or base in ("metadata", "error"):
        return True
    return base in wanted or (base == "messages" and "messages-tuple" in wanted)


@router.post("/threads/{thread_id}/runs/{run_id}/cancel")
async def cancel_run(thread_id: ThreadIdPath, run_id: RunIdPath, caller: CurrentCaller, services: Services,
                     wait: Annotated[bool, Query()] = False,
                     action: Annotated[Literal["interrupt", "rollback"], Query()] = "interrupt") -> Response:
    """Cancel a pending or running run, here or on whichever replica owns it."""
    record = await _own_run(services, caller, thread_id, run_id)
    if record["status"] not in ("pending", "running"):
        raise Problem(409, f"Run {run_id} is already {record['status']}")
    await services.executor.cancel(run_id, action)
    if wait:
        await services.executor.join(run_id)
        return Response(status_code=204)
    return Response(status_code=202)


@router.post("/runs/wait")
async def wait_stateless(body: RunCreate, caller: CurrentCaller, services: Services,
                   request: Request) -> Response:
    """Run on a temporary thread (deleted afterwards) and answer with the final values."""
    record, run = await _admit(body, caller, services, None, request)
    return await _wait_body(run, {"Content-Location": f"/runs/{record['run_id']}"})


@router.post("/runs/stream")
async def stream_stateless(body: RunCreate, caller: CurrentCaller, services: Services,
                   request: Request) -> Response:
    """Run on a temporary thread (deleted afterwards) and stream its events as SSE."""
    record, run = await _admit(body, caller, services, None, request)
    cancel = (lambda: services.executor.cancel(record["run_id"])) if body.on_disconnect == "cancel" else None
    return sse_response(run, cancel_on_disconnect=cancel, headers={"Content-Location": f"/runs/{record['run_id']}"})


def _joined_values(thread: dict | None, status: str | None) -> dict:
    if thread is None:
        return {}
    if thread["status"] == "error" and thread.get("error"):
        return {"__error__": thread["error"]}
    if thread["status"] == "interrupted" and thread.get("interrupts"):
        return {"__interrupt__": [i for v in thread["interrupts"].values() for i in v]}
    return thread["values"] or {}
