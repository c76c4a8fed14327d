"""AsyncRedisSaver: the asyncio LangGraph checkpoint saver on plain Redis (``redis.asyncio``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import redis
import redis.asyncio as aioredis
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
    SerializerProtocol,
)
from redis.exceptions import NoScriptError

from checkpoint import _ops
from checkpoint._conn import build_async_client, is_cluster, pack_resp, redact_url
from checkpoint._ops import Emit, Scan, Step
from checkpoint._scripts import GET_TUPLE_LUA
from checkpoint._settings import SaverSettings
from checkpoint.base import DEFAULT_PREFIX
from checkpoint.errors import CheckpointStoreUnavailable

__all__ = ["AsyncRedisSaver"]

_UNREACHABLE = (redis.ConnectionError, redis.TimeoutError, OSError)


class AsyncRedisSaver(SaverSettings, BaseCheckpointSaver[str]):
    """Checkpoint saver on a ``redis.asyncio.Redis`` client.

    Args:
        client: A ``redis.asyncio.Redis`` with ``decode_responses=False``.
        prefix: Prefix of every key, e.g. ``"fxdesk:cp:"``; give each app or test its own.
        ttl: Seconds of inactivity after which a thread expires; refreshed on every write. None: keep.
        serde: Serializer (default LangGraph's JsonPlusSerializer; ``EncryptedSerializer`` works).
        delta_lists: Store grown lists (message histories) as deltas over the previous blob.
        url: URL shown in errors (defaults to one derived from the client).

    The sync methods (used by ``graph.get_state`` and friends) may be called from other threads
    while the saver's event loop runs; calling them on that loop raises, as in LangGraph's savers.

    """

    def __init__(self, client: aioredis.Redis, *, prefix: str = DEFAULT_PREFIX, ttl: float | None = None,
                 serde: SerializerProtocol | None = None, delta_lists: bool = True,
                 url: str | None = None) -> None:
        super().__init__(serde=serde)
        self._init_settings(client, prefix=prefix, ttl=ttl, delta_lists=delta_lists, url=url)
        # Cluster clients route per key and have their own pipelines: use the redis-py API there.
        self._direct = not is_cluster(client)
        # Connections this saver borrowed from the pool and keeps for the direct path: checking one
        # out of redis-py 8's pool (lock + bookkeeping) cost about a third of a whole round trip.
        # They stay "in use" in the pool, so closing the client still closes them.
        self._idle: list[Any] = []
        try:
            self.loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            self.loop = None

    @classmethod
    @asynccontextmanager
    async def from_conn_string(cls, url: str, *, prefix: str = DEFAULT_PREFIX, ttl: float | None = None,
                               serde: SerializerProtocol | None = None,
                               delta_lists: bool = True) -> AsyncIterator[AsyncRedisSaver]:
        """Open a client for ``url``, set up and yield a saver, and close the client on exit.

        Raises:
            CheckpointStoreUnavailable: Redis does not answer at ``url``.

        """
        client = build_async_client(url)
        try:
            saver = cls(client, prefix=prefix, ttl=ttl, serde=serde, delta_lists=delta_lists, url=redact_url(url))
            await saver.asetup()
            yield saver
        finally:
            await client.aclose()

    from_url = from_conn_string

    async def asetup(self) -> None:
        """Check that Redis answers and load the read script (idempotent).

        Raises:
            CheckpointStoreUnavailable: Redis does not answer.

        """
        self.loop = asyncio.get_running_loop()
        try:
            await self.client.ping()
            await self.client.script_load(GET_TUPLE_LUA)
        except _UNREACHABLE as exc:
            raise CheckpointStoreUnavailable(self.url, exc) from exc

    setup = asetup

    # --- driving the operations ----------------------------------------------------------------

    async def _send_direct(self, step: Step) -> list[Any]:
        """Send one step on a pooled connection: one packed write, then read every reply.

        Used for the hot path (transactions and script calls, whose replies need no redis-py
        response callbacks). It skips the Pipeline bookkeeping, which measured ~1.5x the CPU of
        this path per transaction, under the same retry policy: our writes are idempotent.
        """
        cmds = [("MULTI",), *step.commands, ("EXEC",)] if step.transaction else step.commands
        conn = self._idle.pop() if self._idle else await self.client.connection_pool.get_connection()
        try:
            packed = pack_resp(cmds)

            async def attempt() -> list[Any]:
                await conn.send_packed_command(packed)
                return [await conn.read_response() for _ in cmds]

            replies = await conn.retry.call_with_retry(attempt, lambda _err: conn.disconnect())
        except BaseException:
            await conn.disconnect()  # replies may be left unread; the next send reconnects
            raise
        finally:
            self._idle.append(conn)
        if not step.transaction:
            return replies
        for reply in replies[-1]:
            if isinstance(reply, Exception):
                raise reply
        return replies[-1]

    async def _send(self, step: Step) -> list[Any]:
        if self._direct and (step.transaction or all(c[0] == "EVALSHA" for c in step.commands)):
            return await self._send_direct(step)
        if len(step.commands) == 1 and not step.transaction:
            return [await self.client.execute_command(*step.commands[0])]
        async with self.client.pipeline(transaction=step.transaction) as pipe:
            for cmd in step.commands:
                pipe.execute_command(*cmd)
            return await pipe.execute()

    async def _execute(self, step: Step | Scan) -> Any:
        try:
            if isinstance(step, Scan):
                return [key async for key in self.client.scan_iter(match=step.pattern, count=1000)]
            try:
                return await self._send(step)
            except NoScriptError:  # Redis restarted or SCRIPT FLUSH: load again, once.
                await self.client.script_load(GET_TUPLE_LUA)
                return await self._send(step)
        except _UNREACHABLE as exc:  # the retry policy has given up
            raise CheckpointStoreUnavailable(self.url, exc) from exc

    async def _drive(self, op: _ops.Op) -> AsyncIterator[CheckpointTuple]:
        try:
            step = op.send(None)
            while True:
                if isinstance(step, Emit):
                    yield step.item
                    step = op.send(None)
                else:
                    step = op.send(await self._execute(step))
        except StopIteration:
            return

    async def _run(self, op: _ops.Op) -> Any:
        try:
            step = op.send(None)
            while True:
                step = op.send(await self._execute(step))
        except StopIteration as stop:
            return stop.value

    # --- async BaseCheckpointSaver -------------------------------------------------------------

    async def aget_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        """Return the checkpoint addressed by ``config`` (the latest if it has no checkpoint_id)."""
        return await self._run(_ops.get_tuple(self, config))

    async def alist(self, config: RunnableConfig | None, *, filter: dict[str, Any] | None = None,
                    before: RunnableConfig | None = None, limit: int | None = None) -> AsyncIterator[CheckpointTuple]:
        """Yield checkpoints newest first, filtered by thread, namespace, metadata, ``before``, ``limit``."""
        async for item in self._drive(_ops.list_tuples(self, config, filter=filter, before=before, limit=limit)):
            yield item

    async def aput(self, config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata,
                   new_versions: ChannelVersions) -> RunnableConfig:
        """Store a checkpoint atomically; only channels in ``new_versions`` are written."""
        return await self._run(_ops.put(self, config, checkpoint, metadata, new_versions))

    async def aput_writes(self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str,
                          task_path: str = "") -> None:
        """Store a task's pending writes for the checkpoint in ``config``."""
        await self._run(_ops.put_writes(self, config, writes, task_id, task_path))

    async def adelete_thread(self, thread_id: str) -> None:
        """Delete every checkpoint and write of a thread."""
        await self._run(_ops.delete_thread(self, thread_id))

    async def adelete_for_runs(self, run_ids: Sequence[str]) -> None:
        """Delete the checkpoints and writes created by the given runs."""
        await self._run(_ops.delete_for_runs(self, run_ids))

    async def acopy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        """Copy all checkpoints and writes of one thread into another."""
        await self._run(_ops.copy_thread(self, source_thread_id, target_thread_id))

    async def aprune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        """Keep only the latest checkpoint per namespace (``keep_latest``) or delete all (``delete``)."""
        await self._run(_ops.prune(self, thread_ids, strategy))

    # --- sync API, bridged onto the saver's event loop -----------------------------------------

    def _bridge(self, coro: Any) -> Any:
        if self.loop is None:
            coro.close()
            raise RuntimeError("AsyncRedisSaver: call asetup() (or use from_conn_string) before sync methods")
        try:
            if asyncio.get_running_loop() is self.loop:
                coro.close()
                raise asyncio.InvalidStateError(
                    "Synchronous calls to AsyncRedisSaver are only allowed from a different thread; "
                    "from the main thread use the async methods (graph.ainvoke, aget_state, ...)."
                )
        except RuntimeError:
            pass
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    def get_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        """Sync ``aget_tuple`` for use from another thread."""
        return self._bridge(self.aget_tuple(config))

    def list(self, config: RunnableConfig | None, *, filter: dict[str, Any] | None = None,
             before: RunnableConfig | None = None, limit: int | None = None) -> Iterator[CheckpointTuple]:
        """Sync ``alist`` for use from another thread (collects the results first)."""

        async def collect() -> list[CheckpointTuple]:
            return [t async for t in self.alist(config, filter=filter, before=before, limit=limit)]

        yield from self._bridge(collect())

    def put(self, config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata,
            new_versions: ChannelVersions) -> RunnableConfig:
        """Sync ``aput`` for use from another thread."""
        return self._bridge(self.aput(config, checkpoint, metadata, new_versions))

    def put_writes(self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str,
                   task_path: str = "") -> None:
        """Sync ``aput_writes`` for use from another thread."""
        self._bridge(self.aput_writes(config, writes, task_id, task_path))

    def delete_thread(self, thread_id: str) -> None:
        """Sync ``adelete_thread`` for use from another thread."""
        self._bridge(self.adelete_thread(thread_id))

    def delete_for_runs(self, run_ids: Sequence[str]) -> None:
        """Sync ``adelete_for_runs`` for use from another thread."""
        self._bridge(self.adelete_for_runs(run_ids))

    def copy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        """Sync ``acopy_thread`` for use from another thread."""
        self._bridge(self.acopy_thread(source_thread_id, target_thread_id))

    def prune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        """Sync ``aprune`` for use from another thread."""
        self._bridge(self.aprune(thread_ids, strategy=strategy))
