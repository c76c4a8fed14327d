"""Threads: create, get, search, patch, delete, and their state and history (the caller's own only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from server.deps import CurrentCaller, Services
from server.ids import CheckpointIdPath, ThreadIdPath
from server.problems import Problem
from server.routes.responses import json_response
from server.runs.admission import new_id
from server.runs.caller import Caller
from server.runs.config_filter import client_configurable
from server.runs.registry import Assistant
from server.runs.requests import CheckpointQuery, HistoryQuery, StateUpdate, ThreadCreate, ThreadPatch, ThreadSearch
from server.runs.snapshots import thread_state

router = APIRouter(tags=["threads"])


async def _thread(services, caller: Caller, thread_id: str) -> dict[str, Any]:
    thread = await services.threads.get(caller.user_id, thread_id)
    if thread is None:
        raise Problem(404, f"Thread with ID {thread_id} not found")
    return thread


def _assistant(services, thread: dict[str, Any]) -> Assistant:
    graph_id = thread["metadata"].get("graph_id")
    assistant = services.registry.resolve(graph_id) if graph_id else None
    if assistant is None and len(services.registry.all()) == 1:
        assistant = services.registry.all()[0]
    if assistant is None:
        raise Problem(400, f"Thread {thread['thread_id']} has no graph yet; run it once first")
    return assistant


@router.post("/threads")
async def create_thread(body: ThreadCreate, caller: CurrentCaller, services: Services) -> Response:
    """Create a thread owned by the caller."""
    thread_id = body.thread_id or new_id()
    created = await services.threads.create(caller.user_id, thread_id, body.metadata)
    if created is not None:
        return json_response(created)
    existing = await services.threads.get(caller.user_id, thread_id)
    if existing is None:
        # Another user's thread: answered like every endpoint answers an id that is not the caller's (404),
        # never "already exists" (issue 12; README "Thread ids").
        raise Problem(404, f"Thread with ID {thread_id} not found")
    if body.if_exists == "do_nothing":
        return json_response(existing)
    raise Problem(409, f"Thread with ID {thread_id} already exists")


@router.post("/threads/search")
async def search_threads(body: ThreadSearch, caller: CurrentCaller, services: Services) -> Response:
    """Return the caller's threads that match the filters."""
    found = await services.threads.search(caller.user_id, metadata=body.metadata, status=body.status,
                                          values=body.values, ids=body.ids, limit=body.limit, offset=body.offset,
                                          sort_by=body.sort_by, sort_order=body.sort_order)
    return json_response(found)


@router.get("/threads/{thread_id}")
async def get_thread(thread_id: ThreadIdPath, caller: CurrentCaller, services: Services) -> Response:
    """Return one thread."""
    return json_response(await _thread(services, caller, thread_id))


@router.patch("/threads/{thread_id}")
async def patch_thread(thread_id: ThreadIdPath, body: ThreadPatch,
                       caller: CurrentCaller, services: Services) -> Response:
    """Merge metadata into the thread."""
    await _thread(services, caller, thread_id)
    await services.threads.merge_metadata(thread_id, body.metadata)
    return json_response(await _thread(services, caller, thread_id))


@router.delete("/threads/{thread_id}", status_code=204)
async def delete_thread(thread_id: ThreadIdPath, caller: CurrentCaller, services: Services) -> Response:
    """Delete the thread, its runs and its checkpoints; cancel anything still running on it."""
    thread = await _thread(services, caller, thread_id)
    for run_id in await services.runs.in_flight(thread_id):
        await services.executor.cancel(run_id)
    await services.threads.delete(caller.user_id, thread_id)
    graph_id = thread["metadata"].get("graph_id")
    assistant = services.registry.resolve(graph_id) if graph_id else None
    for served in [assistant] if assistant else services.registry.all():
        if served.graph.checkpointer is not None:
            await served.graph.checkpointer.adelete_thread(thread_id)
    return Response(status_code=204)


@router.get("/threads/{thread_id}/state")
async def get_state(thread_id: ThreadIdPath,
                    caller: CurrentCaller, services: Services, subgraphs: bool = False) -> Response:
    """Return the thread's current state."""
    return await _state(services, caller, thread_id, {}, subgraphs)


@router.get("/threads/{thread_id}/state/{checkpoint_id}")
async def get_state_at(thread_id: ThreadIdPath, checkpoint_id: CheckpointIdPath,
                       caller: CurrentCaller, services: Services,
                       subgraphs: bool = False) -> Response:
    """Return the thread's state at a checkpoint."""
    return await _state(services, caller, thread_id, {"checkpoint_id": checkpoint_id}, subgraphs)


@router.post("/threads/{thread_id}/state/checkpoint")
async def post_state_at(thread_id: ThreadIdPath, body: CheckpointQuery,
                        caller: CurrentCaller, services: Services) -> Response:
    """Return the thread's state at the checkpoint in the body."""
    return await _state(services, caller, thread_id, body.checkpoint, body.subgraphs)


async def _state(services, caller: Caller, thread_id: str, checkpoint: dict[str, Any], subgraphs: bool) -> Response:
    assistant = _assistant(services, await _thread(services, caller, thread_id))
    configurable = {**client_configurable(checkpoint, drop={"thread_id"}), "thread_id": thread_id}
    state = await assistant.graph.aget_state({"configurable": configurable}, subgraphs=subgraphs)
    return json_response(thread_state(state))


@router.post("/threads/{thread_id}/state")
async def update_state(thread_id: ThreadIdPath, body: StateUpdate,
                       caller: CurrentCaller, services: Services) -> Response:
    """Write values to the thread's state as if ``as_node`` had returned them (409 while a run is in flight)."""
    thread = await _thread(services, caller, thread_id)
    if await services.runs.in_flight(thread_id):
        raise Problem(409, f"Thread {thread_id} has in-flight runs")
    assistant = _assistant(services, thread)
    _check_update(assistant, body)
    configurable: dict[str, Any] = {"checkpoint_ns": ""}
    configurable.update(client_configurable(body.checkpoint, drop={"thread_id"}))
    if body.checkpoint_id:
        configurable["checkpoint_id"] = body.checkpoint_id
    configurable["thread_id"] = thread_id
    config = await assistant.graph.aupdate_state({"configurable": configurable}, body.values, as_node=body.as_node)
    state = await assistant.graph.aget_state({"configurable": {"thread_id": thread_id}})
    interrupts = {t.id: [{"id": i.id, "value": i.value} for i in t.interrupts] for t in state.tasks if t.interrupts}
    await services.threads.update(thread_id, values=state.values, interrupts=interrupts,
                                  status="interrupted" if interrupts else "idle")
    return json_response({"checkpoint": config["configurable"], "configurable": config["configurable"],
                          "checkpoint_id": config["configurable"].get("checkpoint_id")})


def _check_update(assistant: Assistant, body: StateUpdate) -> None:
    # The graph's own errors for these are a 500 with library text (issue 12): answer them as the 422 they are.
    if body.as_node is not None and body.as_node not in assistant.graph.nodes:
        nodes = sorted(n for n in assistant.graph.nodes if not n.startswith("__"))
        raise Problem(422, f"as_node: {body.as_node!r} is not a node of graph {assistant.graph_id}; "
                           f"use one of {nodes}")
    if isinstance(body.values, list):
        raise Problem(422, "values: must be an object of channel values, e.g. {\"messages\": [...]}")


@router.get("/threads/{thread_id}/history")
async def get_history(thread_id: ThreadIdPath, caller: CurrentCaller, services: Services,
                      limit: Annotated[int, Query(ge=1, le=1000)] = 10, before: str | None = None) -> Response:
    """Return past states of the thread, newest first."""
    query = HistoryQuery(limit=limit, before={"configurable": {"checkpoint_id": before}} if before else None)
    return await _history(services, caller, thread_id, query)


@router.post("/threads/{thread_id}/history")
async def post_history(thread_id: ThreadIdPath, body: HistoryQuery,
                       caller: CurrentCaller, services: Services) -> Response:
    """Return past states of the thread, newest first, filtered by the body."""
    return await _history(services, caller, thread_id, body)


async def _history(services, caller: Caller, thread_id: str, query: HistoryQuery) -> Response:
    assistant = _assistant(services, await _thread(services, caller, thread_id))
    configurable = {"checkpoint_ns": "", **client_configurable(query.checkpoint, drop={"thread_id"}),
                    "thread_id": thread_id}
    before = query.before
    if isinstance(before, str):
        before = {"configurable": {"checkpoint_id": before}}
    elif isinstance(before, dict) and "configurable" not in before:
        before = {"configurable": before}
    states = [thread_state(s) async for s in assistant.graph.aget_state_history(
        {"configurable": configurable}, limit=query.limit, before=before, filter=query.metadata)]
    return json_response(states)
