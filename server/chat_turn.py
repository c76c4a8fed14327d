"""One desk turn over the LangGraph API's run machinery: the JSON record of ``POST /chat``.

The turn is admitted like any LangGraph run (`server.runs.admission.admit_run`): the caller's
thread (created when absent; another user's is 404), the run queue (a busy thread runs the turn
after its current run, never interleaved), the executor. The served graph is wrapped so that the
message becomes ``Command(resume=...)`` when the thread is paused on the compliance confirmation;
the check is made when the run starts, after any run queued before it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import orjson
from langgraph._internal._constants import CONFIG_KEY_RESUMING
from redis.exceptions import ConnectionError as RedisConnectionError

from server.problems import Problem
from server.runs.admission import NotFound, admit_run, new_id
from server.runs.caller import Caller
from server.runs.registry import GraphRegistry
from server.runs.requests import RunCreate
from server.services import DESK_GRAPH_ID, AppServices
from server.turns import TurnResult, adescribe_turn, aturn_inputs


class ResumeOnPause:
    """A compiled graph whose ``astream`` turns the chat message into a resume when the thread is paused."""

    def __init__(self, graph: Any):
        self._graph = graph

    def __getattr__(self, name: str) -> Any:
        return getattr(self._graph, name)

    async def astream(self, input: Any, config: dict, **kwargs: Any) -> AsyncIterator[Any]:
        """Stream the graph on the message, or on ``Command(resume=message)`` when it waits on one."""
        message = input["messages"][0]["content"]
        inputs = await aturn_inputs(self._graph, config, message)
        for step, graph_input in enumerate(inputs):
            if step:
                # A second input in one run (a new ask after declining the pending check): without this,
                # LangGraph sees the run's own run_id on the latest checkpoint, takes the call for a
                # re-entry into the run and drops the input.
                config = {**config, "configurable": {**config.get("configurable", {}), CONFIG_KEY_RESUMING: False}}
            async for item in self._graph.astream(graph_input, config, **kwargs):
                yield item


def chat_registry(services: AppServices) -> GraphRegistry | None:
    """Return a registry holding only the desk graph, wrapped in `ResumeOnPause` (None: not served)."""
    assistant = services.registry.resolve(DESK_GRAPH_ID)
    if assistant is None:
        return None
    wrapped = replace(assistant, graph=ResumeOnPause(assistant.graph))
    return GraphRegistry({assistant.graph_id: wrapped})


async def run_desk_turn(services: AppServices, caller: Caller, message: str,
                        thread_id: str | None, context: dict[str, Any] | None,
                        state: Any) -> TurnResult:
    """Run one turn for ``caller`` and return its record; ``state`` (the request's) gets thread and run ids.

    Raises:
        Problem: 404 for another user's thread, 503 when the desk graph is not served or Redis failed
            mid-run, 409 when the run was cancelled, 500 when the graph failed.

    """
    registry = services.chat_registry
    if registry is None:
        raise Problem(503, f"This server does not serve the {DESK_GRAPH_ID!r} graph.")
    body = RunCreate(assistant_id=DESK_GRAPH_ID, input={"messages": [{"type": "human", "content": message}]},
                     context=context, if_not_exists="create", multitask_strategy="enqueue")
    try:
        record, run = await admit_run(body, caller, thread_id=thread_id or new_id(), registry=registry,
                                      threads=services.threads, runs=services.runs, executor=services.executor)
    except NotFound as exc:
        raise Problem(404, str(exc)) from None
    state.thread_id, state.run_id = record["thread_id"], record["run_id"]
    await run.done.wait()
    if run.store_failed:  # answered like any Redis outage: 503 with Retry-After
        raise RedisConnectionError("Redis stopped answering during the turn")
    error = (orjson.loads(run.result) if run.result else {}).get("__error__")
    if error is not None:
        if error.get("error") == "UserInterrupt":
            raise Problem(409, "The turn was cancelled before it finished.")
        raise Problem(500, f"The turn failed ({error.get('error', 'error')}): {error.get('message', '')}".strip())
    graph = services.registry.resolve(DESK_GRAPH_ID).graph  # the served graph, not the resume wrapper
    return await adescribe_turn(graph, {"configurable": {"thread_id": record["thread_id"]}}, caller.entitlements)
