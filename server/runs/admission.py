"""Admitting a run: assistant, caller context, thread ownership, multitask strategy, record, start.

The record is stored and queued in one Redis call (`RunStore.admit`), then the executor takes the job.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from pydantic import BaseModel

from server.runs.caller import Caller, run_context
from server.runs.clock import now_iso
from server.runs.config_filter import client_configurable
from server.runs.executor import Executor, RunJob
from server.runs.local_run import LocalRun
from server.runs.registry import Assistant, GraphRegistry
from server.runs.requests import RunCreate
from server.runs.runs_store import RunStore
from server.runs.threads_store import ThreadStore
from tools.context import Context


class NotFound(LookupError):
    """The assistant or thread does not exist for this caller."""


def new_id() -> str:
    """Return a new run or thread id."""
    return str(uuid4())


async def admit_run(body: RunCreate, caller: Caller, *, thread_id: str | None, registry: GraphRegistry,
                    threads: ThreadStore, runs: RunStore, executor: Executor,
                    default_durability: str = "async", run_id: str | None = None) -> tuple[dict[str, Any], LocalRun]:
    """Create and start a run on ``thread_id`` (``None``: a stateless run on a temporary thread).

    ``run_id`` is chosen by the caller only when it must be stable (a cron tick); default a new uuid.
    """
    assistant = registry.resolve(body.assistant_id)
    if assistant is None:
        raise NotFound(f"Assistant {body.assistant_id} not found")
    context = run_context(caller, body.context)
    temporary = thread_id is None
    thread_id = thread_id or new_id()
    metadata: dict[str, Any] = {}
    if temporary:
        # No record is written for a stateless run: check the store answers before running on it.
        await runs.redis.ping()
    else:
        metadata = await _thread_metadata(body, caller, thread_id, assistant, threads)
    run_id = run_id or new_id()
    record = _record(body, run_id, thread_id, assistant, context, metadata, temporary, default_durability)
    position = 1
    if not temporary:
        strategy = body.multitask_strategy or "enqueue"
        superseded = await runs.in_flight(thread_id) if strategy in ("interrupt", "rollback") else []
        position = await runs.admit(record, reject_if_busy=strategy == "reject")
        for old in superseded:
            await executor.cancel(old, strategy)
    job = RunJob(run_id=run_id, thread_id=thread_id, assistant=assistant, input=body.input, command=body.command,
                 context=_graph_context(assistant, context, body.context), config=record["kwargs"]["config"],
                 stream_mode=body.modes(), position=position, temporary=temporary,
                 options={"subgraphs": body.stream_subgraphs, "interrupt_before": body.interrupt_before,
                          "interrupt_after": body.interrupt_after, "durability": record["kwargs"]["durability"],
                          "webhook": body.webhook})
    return record, executor.submit(job)


async def _thread_metadata(body: RunCreate, caller: Caller, thread_id: str, assistant: Assistant,
                           threads: ThreadStore) -> dict[str, Any]:
    owner, metadata = await threads.owner_and_metadata(thread_id)
    tags = {"graph_id": assistant.graph_id, "assistant_id": assistant.assistant_id}
    if owner is None:
        if body.if_not_exists != "create":
            raise NotFound(f"Thread {thread_id} not found")
        created = await threads.create(caller.user_id, thread_id, tags)
        if created is None:  # created by a concurrent request: check who won
            return await _thread_metadata(body.model_copy(update={"if_not_exists": None}), caller, thread_id,
                                          assistant, threads)
        return tags
    if owner != caller.user_id:
        raise NotFound(f"Thread {thread_id} not found")
    if any(metadata.get(k) != v for k, v in tags.items()):
        await threads.merge_metadata(thread_id, tags)
    # Like `langgraph dev`, the run's metadata starts from its thread's.
    return {**metadata, **tags}


def _record(body: RunCreate, run_id: str, thread_id: str, assistant: Assistant, context: Context,
            thread_metadata: dict[str, Any], temporary: bool, default_durability: str) -> dict[str, Any]:
    metadata = {**thread_metadata, **(body.metadata or {}), **assistant.run_metadata}
    user_config = body.config or {}
    configurable = client_configurable(user_config.get("configurable"))
    configurable.update(thread_id=thread_id, graph_id=assistant.graph_id, assistant_id=assistant.assistant_id,
                        run_id=run_id)
    checkpoint = dict(body.checkpoint or {})
    if body.checkpoint_id:
        checkpoint["checkpoint_id"] = body.checkpoint_id
    configurable.update(client_configurable(checkpoint, drop={"thread_id"}))
    config: dict[str, Any] = {"configurable": configurable,
                              "metadata": {**metadata, "run_id": run_id, "thread_id": thread_id,
                                           "graph_id": assistant.graph_id, "assistant_id": assistant.assistant_id,
                                           "user_id": context.user_id}}
    for key in ("recursion_limit", "tags", "max_concurrency"):
        if key in user_config:
            config[key] = user_config[key]
    durability = body.durability or ("exit" if body.checkpoint_during is False else default_durability)
    now = now_iso()
    kwargs = {"input": body.input, "command": body.command, "config": config,
              "context": context.model_dump(mode="json"), "stream_mode": body.modes(),
              "interrupt_before": body.interrupt_before, "interrupt_after": body.interrupt_after,
              "webhook": body.webhook, "feedback_keys": None, "temporary": temporary,
              "subgraphs": body.stream_subgraphs, "resumable": body.stream_resumable,
              "checkpoint_during": durability != "exit", "durability": durability}
    return {"run_id": run_id, "thread_id": thread_id, "assistant_id": assistant.assistant_id, "metadata": metadata,
            "status": "pending", "kwargs": kwargs, "multitask_strategy": body.multitask_strategy or "enqueue",
            "created_at": now, "updated_at": now}


def _graph_context(assistant: Assistant, context: Context, requested: dict[str, Any] | None) -> Any:
    schema = getattr(assistant.graph, "context_schema", None)
    if schema is None or (isinstance(schema, type) and issubclass(schema, Context)):
        return context
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        return schema.model_validate(requested or {})
    return requested
