"""Run records in Redis and the per-thread run queue that orders runs across replicas.

A run is created by one Lua call that applies the multitask strategy and, if admitted, writes the
record, indexes it under its thread, appends it to the thread's queue and marks it alive — so
``reject`` is decided atomically against every replica's in-flight runs. The head of the queue is
the run executing; the others wait their turn (``enqueue``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import orjson
from redis.asyncio import Redis

from server.runs.clock import now_iso, now_score
from server.runs.encoding import dumps
from server.runs.keys import ApiKeys

RunStatus = Literal["pending", "running", "success", "error", "timeout", "interrupted"]
TERMINAL: frozenset[str] = frozenset({"success", "error", "timeout", "interrupted"})
ALIVE_MS = 5000

# KEYS: queue, run, thread_runs, alive. ARGV: run_id, record, status, updated_at, score, reject, alive_ms, ttl_s.
# Returns the run's 1-based position in the queue, or 0 when rejected.
_ADMIT = """
if ARGV[6] == '1' and redis.call('LLEN', KEYS[1]) > 0 then return 0 end
redis.call('HSET', KEYS[2], 'record', ARGV[2], 'status', ARGV[3], 'updated_at', ARGV[4])
if tonumber(ARGV[8]) > 0 then redis.call('EXPIRE', KEYS[2], ARGV[8]) end
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
redis.call('SET', KEYS[4], '1', 'PX', ARGV[7])
return redis.call('RPUSH', KEYS[1], ARGV[1])
"""


class Rejected(Exception):
    """The thread already has a run in flight and the strategy was ``reject``."""


@dataclass
class RunStore:
    """Create, read, list and finish run records for one key prefix."""

    redis: Redis
    keys: ApiKeys
    ttl_seconds: int | None = None

    def __post_init__(self) -> None:
        self._admit = self.redis.register_script(_ADMIT)

    async def admit(self, record: dict[str, Any], *, reject_if_busy: bool) -> int:
        """Store the run and queue it on its thread; return its queue position or raise `Rejected`."""
        run_id, thread_id = record["run_id"], record["thread_id"]
        position = await self._admit(
            keys=[self.keys.thread_queue(thread_id), self.keys.run(run_id), self.keys.thread_runs(thread_id),
                  self.keys.run_alive(run_id)],
            args=[run_id, dumps(record), record["status"], record["updated_at"], now_score(),
                  "1" if reject_if_busy else "0", ALIVE_MS, self.ttl_seconds or 0])
        if position == 0:
            raise Rejected(thread_id)
        return int(position)

    async def get(self, run_id: str) -> dict[str, Any] | None:
        """Return the run record with its current status, or ``None``."""
        raw = await self.redis.hgetall(self.keys.run(run_id))
        return _record(raw) if raw else None

    async def status(self, run_id: str) -> str | None:
        """Return just the run's status (cheap enough to poll)."""
        found = await self.redis.hget(self.keys.run(run_id), "status")
        return None if found is None else found.decode()

    async def set_status(self, run_id: str, status: RunStatus) -> None:
        """Record a new status and bump ``updated_at``."""
        await self.redis.hset(self.keys.run(run_id), mapping={"status": status, "updated_at": now_iso()})

    async def list(self, thread_id: str, *, limit: int = 10, offset: int = 0,
                   status: str | None = None) -> list[dict[str, Any]]:
        """Return the thread's runs, newest first."""
        run_ids = await self.redis.zrevrange(self.keys.thread_runs(thread_id), 0, -1)
        async with self.redis.pipeline(transaction=False) as pipe:
            for rid in run_ids:
                pipe.hgetall(self.keys.run(rid.decode()))
            raws = await pipe.execute() if run_ids else []
        records = [_record(raw) for raw in raws if raw]
        if status:
            records = [r for r in records if r["status"] == status]
        return records[offset:offset + limit]

    async def in_flight(self, thread_id: str) -> list[str]:
        """Return the ids queued or running on the thread, head first."""
        return [rid.decode() for rid in await self.redis.lrange(self.keys.thread_queue(thread_id), 0, -1)]

    async def head(self, thread_id: str) -> str | None:
        """Return the run currently at the head of the thread's queue."""
        found = await self.redis.lindex(self.keys.thread_queue(thread_id), 0)
        return None if found is None else found.decode()

    async def is_alive(self, run_id: str) -> bool:
        """Return whether a replica still owns the run."""
        return bool(await self.redis.exists(self.keys.run_alive(run_id)))

    async def drop_orphan(self, thread_id: str, run_id: str) -> None:
        """Remove a run whose replica died from the queue and mark it failed."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.lrem(self.keys.thread_queue(thread_id), 1, run_id)
            pipe.hset(self.keys.run(run_id), mapping={"status": "error", "updated_at": now_iso()})
            await pipe.execute()

    async def request_cancel(self, run_id: str, action: str) -> None:
        """Ask whichever replica owns the run to stop it."""
        await self.redis.set(self.keys.run_cancel(run_id), action, ex=600)

    async def cancel_requested(self, run_ids: list[str]) -> dict[str, str]:
        """Return ``{run_id: action}`` for the runs someone asked to cancel."""
        if not run_ids:
            return {}
        found = await self.redis.mget([self.keys.run_cancel(rid) for rid in run_ids])
        return {rid: value.decode() for rid, value in zip(run_ids, found, strict=True) if value is not None}

    async def keep_alive(self, run_ids: list[str]) -> None:
        """Renew the liveness keys of the runs this replica owns."""
        if not run_ids:
            return
        async with self.redis.pipeline(transaction=False) as pipe:
            for rid in run_ids:
                pipe.set(self.keys.run_alive(rid), "1", px=ALIVE_MS)
            await pipe.execute()

    async def delete(self, thread_id: str, run_id: str) -> None:
        """Delete one run record."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.delete(self.keys.run(run_id))
            pipe.zrem(self.keys.thread_runs(thread_id), run_id)
            await pipe.execute()


def _record(raw: dict) -> dict[str, Any]:
    record = orjson.loads(raw[b"record"])
    record["status"] = raw[b"status"].decode()
    record["updated_at"] = raw[b"updated_at"].decode()
    if b"webhook" in raw:  # the delivery outcome, written by `server.webhooks` when the run has ended
        record["webhook_delivery"] = orjson.loads(raw[b"webhook"])
    return record


async def finish(store: RunStore, thread_id: str, run_id: str, status: RunStatus,
                 thread_fields: dict[str, Any] | None) -> None:
    """Record the run's final status, update its thread and free the thread's queue, in one round trip."""
    keys, now = store.keys, now_iso()
    async with store.redis.pipeline(transaction=False) as pipe:
        pipe.hset(keys.run(run_id), mapping={"status": status, "updated_at": now})
        if thread_fields is not None:
            pipe.hset(keys.thread(thread_id), mapping={"updated_at": now, "state_updated_at": now, **thread_fields})
        pipe.lrem(keys.thread_queue(thread_id), 1, run_id)
        pipe.delete(keys.run_alive(run_id), keys.run_cancel(run_id))
        await pipe.execute()
