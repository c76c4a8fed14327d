"""The run executor: waits for the run's turn on its thread, streams the graph, records the outcome.

Runs execute on the replica that accepted them, as asyncio tasks independent of the request, so a
background run goes on after its client disconnects. Ordering per thread comes from the Redis queue
(`server.runs.runs_store`): a run starts only when it is the queue's head; a head whose replica
stopped renewing its ``alive`` key is dropped. One heartbeat task per process renews the keys of
its runs and obeys cancel requests written by any replica.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from langchain_core.runnables import RunnableConfig
from langgraph.types import Command
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from server.runs.clock import now_iso
from server.runs.encoding import dumps, error_payload
from server.runs.events import EventMapper, graph_modes
from server.runs.local_run import LocalRun
from server.runs.registry import Assistant
from server.runs.relay import EventLog
from server.runs.runs_store import TERMINAL, RunStore, finish
from server.runs.threads_store import ThreadStore

log = logging.getLogger(__name__)
HEARTBEAT_S = 0.5
JOIN_POLL_S = 0.05
# Graph executions at once per process. More only adds GIL contention and Redis connections (the
# checkpointer's pool is finite); the rest wait as ``pending``, like `langgraph dev`'s job slots.
MAX_CONCURRENT_RUNS = 24


@dataclass
class RunJob:
    """Everything needed to execute one admitted run."""

    run_id: str
    thread_id: str
    assistant: Assistant
    input: Any
    command: dict[str, Any] | None
    context: Any
    config: RunnableConfig
    stream_mode: list[str]
    position: int = 1
    temporary: bool = False
    options: dict[str, Any] = field(default_factory=dict)


class Executor:
    """Starts runs as tasks, tracks the local ones and reports their outcome."""

    def __init__(self, runs: RunStore, threads: ThreadStore, max_concurrent: int = MAX_CONCURRENT_RUNS,
                 events: EventLog | None = None):
        self.runs = runs
        self.threads = threads
        self.events = events
        # Called (as tasks, never awaited by the run) with (job, status, result) once a run is recorded.
        self.finish_hooks: list[Callable[[RunJob, str, bytes], Awaitable[None]]] = []
        self._hook_tasks: set[asyncio.Task] = set()
        self.local: dict[str, LocalRun] = {}
        self._slots = asyncio.Semaphore(max_concurrent)
        self._turns: dict[str, asyncio.Event] = {}
        self._heartbeat: asyncio.Task | None = None
        self._holds = 0
        self._starts_open = asyncio.Event()
        self._starts_open.set()

    async def start(self) -> None:
        """Start the heartbeat task."""
        self._heartbeat = asyncio.create_task(self._beat(), name="fxdesk-run-heartbeat")

    async def stop(self) -> None:
        """Cancel the heartbeat and every local run (their records say ``interrupted``)."""
        if self._heartbeat:
            self._heartbeat.cancel()
        tasks = [run.task for run in self.local.values() if run.task]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    @contextlib.asynccontextmanager
    async def holding_starts(self) -> AsyncIterator[None]:
        """Admit a batch before any of it runs: runs submitted meanwhile start when the block ends.

        The cron scheduler admits a minute's ticks inside it, so the runs of the first ticks do not
        take the event loop from the admission of the last ones (tick lag). Runs already executing
        go on.
        """
        self._holds += 1
        self._starts_open.clear()
        try:
            yield
        finally:
            self._holds -= 1
            if not self._holds:
                self._starts_open.set()

    def submit(self, job: RunJob) -> LocalRun:
        """Start executing ``job``; return its handle (subscribe before awaiting anything)."""
        run = LocalRun(job.run_id, job.thread_id)
        if self.events is not None and not job.temporary:
            run.relay = self.events.open(job.run_id)
        self.local[job.run_id] = run
        run.task = asyncio.create_task(self._execute(run, job), name=f"run-{job.run_id}")
        return run

    async def join(self, run_id: str) -> str | None:
        """Wait until the run finishes on whichever replica owns it; return its final status."""
        if (run := self.local.get(run_id)) is not None:
            await run.done.wait()
            return run.status
        while True:
            status = await self.runs.status(run_id)
            if status is None or status in TERMINAL:
                return status
            if not await self.runs.is_alive(run_id):
                # Its replica died (finishing writes the status before dropping the alive key).
                status = await self.runs.status(run_id)
                if status is None or status in TERMINAL:
                    return status
                record = await self.runs.get(run_id)
                if record is not None:
                    await self.runs.drop_orphan(record["thread_id"], run_id)
                return "error"
            await asyncio.sleep(JOIN_POLL_S)

    async def finished(self, run_id: str) -> bool:
        """Return whether the run is over: recorded as ended, gone, or no replica owns it any more."""
        if (run := self.local.get(run_id)) is not None:
            return run.done.is_set()
        status = await self.runs.status(run_id)
        if status is None or status in TERMINAL:
            return True
        if await self.runs.is_alive(run_id):
            return False
        await self.join(run_id)  # its replica died: join records it failed and frees its thread
        return True

    async def cancel(self, run_id: str, action: str = "interrupt") -> None:
        """Stop the run here if it is local, else ask its replica to."""
        if (run := self.local.get(run_id)) is not None and run.task is not None:
            run.cancel_action = action
            run.task.cancel()
            return
        await self.runs.request_cancel(run_id, action)

    async def _execute(self, run: LocalRun, job: RunJob) -> None:
        status, result = "error", b"{}"
        values: Any = None
        started = False
        try:
            if not job.temporary and job.position > 1:
                await self._wait_turn(job.thread_id, job.run_id)
            await self._starts_open.wait()
            async with self._slots:
                if not job.temporary:
                    started = True
                    await self._mark_running(job)
                run.publish("metadata", dumps({"run_id": job.run_id, "attempt": 1}))
                values = await self._stream(run, job)
            result = dumps(values) if values is not None else b"{}"
            status = "interrupted" if isinstance(values, dict) and values.get("__interrupt__") else "success"
        except asyncio.CancelledError:
            status = "interrupted"
            result = dumps({"__error__": {"error": "UserInterrupt", "message": "Run was cancelled"}})
        except Exception as exc:  # the graph's failure is the run's outcome, not the server's
            log.warning("run %s failed: %s: %s", job.run_id, type(exc).__name__, exc)
            run.store_failed = isinstance(exc, (RedisConnectionError, RedisTimeoutError))
            payload = error_payload(exc)
            run.publish("error", dumps(payload))
            result = dumps({"__error__": payload})
        finally:
            if run.relay is not None:  # every event is in Redis before the status says the run ended
                await run.relay.close(status)
            with contextlib.suppress(Exception):
                await self._record_outcome(job, status, values, result, run.cancel_action, started)
            self.local.pop(job.run_id, None)
            self._wake(job.thread_id)
            run.close(result, status)
            for hook in self.finish_hooks:
                task = asyncio.create_task(_run_hook(hook, job, status, result), name=f"run-hook-{job.run_id}")
                self._hook_tasks.add(task)
                task.add_done_callback(self._hook_tasks.discard)

    async def _stream(self, run: LocalRun, job: RunJob) -> Any:
        graph = job.assistant.graph
        graph_input = Command(**_command_kwargs(job.command)) if job.command else job.input
        mapper = EventMapper(job.stream_mode)
        subgraphs = bool(job.options.get("subgraphs"))
        last_values: Any = None
        async for item in graph.astream(
            graph_input, job.config, context=job.context, stream_mode=graph_modes(job.stream_mode),
            subgraphs=subgraphs, interrupt_before=job.options.get("interrupt_before"),
            interrupt_after=job.options.get("interrupt_after"), durability=job.options.get("durability"),
        ):
            ns, mode, chunk = item if subgraphs else ((), *item)
            if mode == "values" and not ns:
                last_values = chunk
            if run.has_subscribers:
                for event, payload in mapper.map(ns, mode, chunk):
                    run.publish(event, dumps(payload))
        return last_values

    async def _mark_running(self, job: RunJob) -> None:
        keys, now = self.runs.keys, now_iso()
        async with self.runs.redis.pipeline(transaction=False) as pipe:
            pipe.hset(keys.run(job.run_id), mapping={"status": "running", "updated_at": now})
            pipe.hset(keys.thread(job.thread_id), mapping={"status": "busy", "updated_at": now})
            await pipe.execute()

    async def _record_outcome(self, job: RunJob, status: str, values: Any, result: bytes,
                              cancel_action: str | None, started: bool) -> None:
        if job.temporary:
            checkpointer = job.assistant.graph.checkpointer
            if checkpointer is not None:
                await checkpointer.adelete_thread(job.thread_id)
            return
        thread_fields: dict[str, Any] = {"status": "idle", "error": b"null", "interrupts": b"{}"}
        if status == "success":
            thread_fields["values"] = result
        elif status == "interrupted" and values is not None:
            clean = {k: v for k, v in values.items() if k != "__interrupt__"}
            thread_fields["values"] = dumps(clean)
            thread_fields["status"] = "interrupted"
            thread_fields["interrupts"] = dumps(await self._pending_interrupts(job))
        elif status == "error":
            thread_fields["status"] = "error"
            thread_fields["error"] = dumps(_loads_error(result))
        # A run cancelled while still queued never touched the thread: leave its status to the running one.
        await finish(self.runs, job.thread_id, job.run_id, status, thread_fields if started else None)
        if cancel_action == "rollback":
            # Rollback = as if the run never happened: its record and the checkpoints it wrote go.
            await self.runs.delete(job.thread_id, job.run_id)
            checkpointer = job.assistant.graph.checkpointer
            if checkpointer is not None:
                with contextlib.suppress(NotImplementedError):
                    await checkpointer.adelete_for_runs([job.run_id])

    async def _pending_interrupts(self, job: RunJob) -> dict[str, list[dict[str, Any]]]:
        state = await job.assistant.graph.aget_state({"configurable": {"thread_id": job.thread_id}})
        return {task.id: [{"id": i.id, "value": i.value} for i in task.interrupts]
                for task in state.tasks if task.interrupts}

    async def _wait_turn(self, thread_id: str, run_id: str) -> None:
        delay = 0.005
        while True:
            head = await self.runs.head(thread_id)
            if head is None or head == run_id:
                return
            if head not in self.local and not await self.runs.is_alive(head):
                log.warning("dropping run %s: its replica stopped renewing it", head)
                await self.runs.drop_orphan(thread_id, head)
                continue
            event = self._turns.setdefault(thread_id, asyncio.Event())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), timeout=delay)
            delay = min(delay * 2, 0.1)

    def _wake(self, thread_id: str) -> None:
        if (event := self._turns.pop(thread_id, None)) is not None:
            event.set()

    async def _beat(self) -> None:
        failing = False
        while True:
            await asyncio.sleep(HEARTBEAT_S)
            try:
                ids = list(self.local)
                await self.runs.keep_alive(ids)
                for run_id, action in (await self.runs.cancel_requested(ids)).items():
                    await self.cancel(run_id, action)
                if failing:
                    log.warning("run heartbeat recovered")
                failing = False
            except Exception as exc:  # Redis down: keep beating, the next beat may succeed; log once
                if not failing:
                    log.warning("run heartbeat failed: %s", exc)
                failing = True


async def _run_hook(hook: Callable[[RunJob, str, bytes], Awaitable[None]], job: RunJob, status: str,
                    result: bytes) -> None:
    try:
        await hook(job, status, result)
    except Exception:  # a hook (webhook, cron bookkeeping) never fails the run
        log.exception("run %s: finish hook failed", job.run_id)


def _command_kwargs(command: dict[str, Any]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    if "resume" in command:
        kwargs["resume"] = command["resume"]
    if command.get("update") is not None:
        update = command["update"]
        if isinstance(update, list) and all(isinstance(t, list) and len(t) == 2 for t in update):
            update = [tuple(t) for t in update]
        kwargs["update"] = update
    if command.get("goto") is not None:
        goto = command["goto"]
        kwargs["goto"] = goto if isinstance(goto, (list, str)) else [goto]
    return kwargs


def _loads_error(result: bytes) -> Any:
    return orjson.loads(result).get("__error__")
