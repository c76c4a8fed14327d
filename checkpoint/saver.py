"""RedisSaver: the blocking LangGraph checkpoint saver on plain Redis (``redis.Redis``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any

import redis
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
from checkpoint._conn import build_client, redact_url
from checkpoint._ops import Emit, Scan, Step
from checkpoint._scripts import GET_TUPLE_LUA
from checkpoint._settings import SaverSettings
from checkpoint.base import DEFAULT_PREFIX
from checkpoint.errors import CheckpointStoreUnavailable

__all__ = ["RedisSaver"]

_UNREACHABLE = (redis.ConnectionError, redis.TimeoutError, OSError)


class RedisSaver(SaverSettings, BaseCheckpointSaver[str]):
    """Checkpoint saver on a blocking ``redis.Redis`` client.

    Args:
        client: A ``redis.Redis`` with ``decode_responses=False`` (use ``checkpoint.build_client``).
        prefix: Prefix of every key, e.g. ``"fxdesk:cp:"``; give each app or test its own.
        ttl: Seconds of inactivity after which a thread expires; refreshed on every write. None: keep.
        serde: Serializer (default LangGraph's JsonPlusSerializer; ``EncryptedSerializer`` works).
        delta_lists: Store grown lists (message histories) as deltas over the previous blob.
        url: URL shown in errors (defaults to one derived from the client).

    The async methods run the blocking ones in the default executor; use ``AsyncRedisSaver`` in
    async code.

    """

    def __init__(self, client: redis.Redis, *, prefix: str = DEFAULT_PREFIX, ttl: float | None = None,
                 serde: SerializerProtocol | None = None, delta_lists: bool = True,
                 url: str | None = None) -> None:
        super().__init__(serde=serde)
        self._init_settings(client, prefix=prefix, ttl=ttl, delta_lists=delta_lists, url=url)

    @classmethod
    @contextmanager
    def from_conn_string(cls, url: str, *, prefix: str = DEFAULT_PREFIX, ttl: float | None = None,
                         serde: SerializerProtocol | None = None, delta_lists: bool = True) -> Iterator[RedisSaver]:
        """Open a client for ``url``, set up and yield a saver, and close the client on exit.

        Raises:
            CheckpointStoreUnavailable: Redis does not answer at ``url``.

        """
        client = build_client(url)
        try:
            saver = cls(client, prefix=prefix, ttl=ttl, serde=serde, delta_lists=delta_lists, url=redact_url(url))
            saver.setup()
            yield saver
        finally:
            client.close()

    from_url = from_conn_string

    def setup(self) -> None:
        """Check that Redis answers and load the read script (idempotent).

        Raises:
            CheckpointStoreUnavailable: Redis does not answer.

        """
        try:
            self.client.ping()
            self.client.script_load(GET_TUPLE_LUA)
        except _UNREACHABLE as exc:
            raise CheckpointStoreUnavailable(self.url, exc) from exc

    async def asetup(self) -> None:
        """Async ``setup`` (runs in the default executor)."""
        await self._in_thread(self.setup)

    # --- driving the operations ----------------------------------------------------------------

    def _send(self, step: Step) -> list[Any]:
        if len(step.commands) == 1 and not step.transaction:
            return [self.client.execute_command(*step.commands[0])]
        pipe = self.client.pipeline(transaction=step.transaction)
        for cmd in step.commands:
            pipe.execute_command(*cmd)
        return pipe.execute()

    def _execute(self, step: Step | Scan) -> Any:
        try:
            if isinstance(step, Scan):
                return list(self.client.scan_iter(match=step.pattern, count=1000))
            try:
                return self._send(step)
            except NoScriptError:  # Redis restarted or SCRIPT FLUSH: load again, once.
                self.client.script_load(GET_TUPLE_LUA)
                return self._send(step)
        except _UNREACHABLE as exc:  # the retry policy has given up
            raise CheckpointStoreUnavailable(self.url, exc) from exc

    def _drive(self, op: _ops.Op) -> Iterator[CheckpointTuple]:
        try:
            step = op.send(None)
            while True:
                if isinstance(step, Emit):
                    yield step.item
                    step = op.send(None)
                else:
                    step = op.send(self._execute(step))
        except StopIteration as stop:
            return stop.value

    def _run(self, op: _ops.Op) -> Any:
        gen = self._drive(op)
        while True:
            try:
                next(gen)
            except StopIteration as stop:
                return stop.value

    # --- BaseCheckpointSaver -------------------------------------------------------------------

    def get_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        """Return the checkpoint addressed by ``config`` (the latest if it has no checkpoint_id)."""
        return self._run(_ops.get_tuple(self, config))

    def list(self, config: RunnableConfig | None, *, filter: dict[str, Any] | None = None,
             before: RunnableConfig | None = None, limit: int | None = None) -> Iterator[CheckpointTuple]:
        """Yield checkpoints newest first, filtered by thread, namespace, metadata, ``before``, ``limit``."""
        yield from self._drive(_ops.list_tuples(self, config, filter=filter, before=before, limit=limit))

    def put(self, config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata,
            new_versions: ChannelVersions) -> RunnableConfig:
        """Store a checkpoint atomically; only channels in ``new_versions`` are written."""
        return self._run(_ops.put(self, config, checkpoint, metadata, new_versions))

    def put_writes(self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str,
                   task_path: str = "") -> None:
        """Store a task's pending writes for the checkpoint in ``config``."""
        self._run(_ops.put_writes(self, config, writes, task_id, task_path))

    def delete_thread(self, thread_id: str) -> None:
        """Delete every checkpoint and write of a thread."""
        self._run(_ops.delete_thread(self, thread_id))

    def delete_for_runs(self, run_ids: Sequence[str]) -> None:
        """Delete the checkpoints and writes created by the given runs."""
        self._run(_ops.delete_for_runs(self, run_ids))

    def copy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        """Copy all checkpoints and writes of one thread into another."""
        self._run(_ops.copy_thread(self, source_thread_id, target_thread_id))

    def prune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        """Keep only the latest checkpoint per namespace (``keep_latest``) or delete all (``delete``)."""
        self._run(_ops.prune(self, thread_ids, strategy))

    # --- async API over the blocking client ----------------------------------------------------

    async def _in_thread(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(None, partial(fn, *args, **kwargs))

    async def aget_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        """Async ``get_tuple`` (runs in the default executor)."""
        return await self._in_thread(self.get_tuple, config)

    async def alist(self, config: RunnableConfig | None, *, filter: dict[str, Any] | None = None,
                    before: RunnableConfig | None = None, limit: int | None = None) -> AsyncIterator[CheckpointTuple]:
        """Async ``list`` (collected in the default executor)."""
        items = await self._in_thread(lambda: list(self.list(config, filter=filter, before=before, limit=limit)))
        for item in items:
            yield item

    async def aput(self, config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata,
                   new_versions: ChannelVersions) -> RunnableConfig:
        """Async ``put`` (runs in the default executor)."""
        return await self._in_thread(self.put, config, checkpoint, metadata, new_versions)

    async def aput_writes(self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str,
                          task_path: str = "") -> None:
        """Async ``put_writes`` (runs in the default executor)."""
        await self._in_thread(self.put_writes, config, writes, task_id, task_path)

    async def adelete_thread(self, thread_id: str) -> None:
        """Async ``delete_thread`` (runs in the default executor)."""
        await self._in_thread(self.delete_thread, thread_id)

    async def adelete_for_runs(self, run_ids: Sequence[str]) -> None:
        """Async ``delete_for_runs`` (runs in the default executor)."""
        await self._in_thread(self.delete_for_runs, run_ids)

    async def acopy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        """Async ``copy_thread`` (runs in the default executor)."""
        await self._in_thread(self.copy_thread, source_thread_id, target_thread_id)

    async def aprune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        """Async ``prune`` (runs in the default executor)."""
        await self._in_thread(self.prune, thread_ids, strategy=strategy)
