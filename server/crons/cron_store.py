"""Cron records in Redis and the due index every replica's scheduler reads.

Layout (``P`` is the prefix)::

    P api:cron:{cid}              hash: record (JSON), last_tick (JSON: tick, run_id, thread_id, error, at)
    P api:crons-due               zset cron_id -> next fire time (epoch ms); enabled crons with a future tick
    P api:user-crons:{uid}        zset cron_id -> created ms; what search/count show the creator
    P api:cron-tick:{cid}:{ms}    string: who holds the tick (a short lease), then "done" for a day

Like every API key (`server.runs.keys`), each kind has its own namespace word and a cron id is
checked against the id rule, so no cron key can name another record's key (issue 12).

A cron is owned by its creator: every read goes through the creator's index, so another user gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from redis.asyncio import Redis

from server.runs.clock import now_iso, now_score
from server.runs.encoding import dumps
from server.runs.keys import ApiKeys

# KEYS: due, tick lock, cron hash. ARGV: cron_id, tick ms, next ms (or -1: no more ticks), last_tick JSON.
# Moves the cron to its next tick only if it is still at the tick this replica ran, and marks the tick done.
_COMMIT = """
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) == tonumber(ARGV[2]) then
  if ARGV[3] == '-1' then redis.call('ZREM', KEYS[1], ARGV[1]) else redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1]) end
end
redis.call('SET', KEYS[2], 'done', 'EX', 86400)
if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('HSET', KEYS[3], 'last_tick', ARGV[4]) end
return 1
"""


def epoch_ms(moment: datetime) -> int:
    """Return ``moment`` in epoch milliseconds."""
    return int(moment.timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    """Return epoch milliseconds as a UTC datetime."""
    return datetime.fromtimestamp(ms / 1000, UTC)


@dataclass
class CronStore:
    """Create, read, search, update and delete cron records, and keep the due index."""

    redis: Redis
    keys: ApiKeys

    def __post_init__(self) -> None:
        self._commit = self.redis.register_script(_COMMIT)

    def _cron(self, cron_id: str) -> str:
        return self.keys.cron(cron_id)

    @property
    def due_key(self) -> str:
        """Return the key of the due index."""
        return self.keys.crons_due()

    def _user(self, user_id: str) -> str:
        return self.keys.user_crons(user_id)

    def tick_key(self, cron_id: str, tick_ms: int) -> str:
        """Return the lock key of one tick of one cron."""
        return self.keys.cron_tick(cron_id, tick_ms)

    async def save(self, record: dict[str, Any], next_ms: int | None) -> None:
        """Write ``record`` (new or updated) and put it in the due index at ``next_ms`` (``None``: out)."""
        cron_id = record["cron_id"]
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._cron(cron_id), "record", dumps(record))
            pipe.zadd(self._user(record["user_id"]), {cron_id: now_score()}, nx=True)
            if next_ms is None:
                pipe.zrem(self.due_key, cron_id)
            else:
                pipe.zadd(self.due_key, {cron_id: next_ms})
            await pipe.execute()

    async def get(self, cron_id: str) -> dict[str, Any] | None:
        """Return a cron record with its last tick, or ``None``."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hgetall(self._cron(cron_id))
            pipe.zscore(self.due_key, cron_id)
            raw, score = await pipe.execute()
        return _record(raw, score) if raw else None

    async def get_for(self, user_id: str, cron_id: str) -> dict[str, Any] | None:
        """Return the cron if ``user_id`` created it (else ``None``, shown as 404)."""
        if await self.redis.zscore(self._user(user_id), cron_id) is None:
            return None
        return await self.get(cron_id)

    async def list_for(self, user_id: str) -> list[dict[str, Any]]:
        """Return the user's crons, oldest first."""
        ids = [cid.decode() for cid in await self.redis.zrange(self._user(user_id), 0, -1)]
        async with self.redis.pipeline(transaction=False) as pipe:
            for cid in ids:
                pipe.hgetall(self._cron(cid))
                pipe.zscore(self.due_key, cid)
            replies = await pipe.execute() if ids else []
        return [_record(raw, score) for raw, score in zip(replies[::2], replies[1::2], strict=True) if raw]

    async def delete(self, user_id: str, cron_id: str) -> None:
        """Delete the cron and take it out of the due index."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(self._cron(cron_id))
            pipe.zrem(self.due_key, cron_id)
            pipe.zrem(self._user(user_id), cron_id)
            await pipe.execute()

    async def due(self, now_ms: int, limit: int = 2000) -> list[tuple[str, int]]:
        """Return ``(cron_id, tick ms)`` for crons whose tick is at or before ``now_ms``."""
        found = await self.redis.zrangebyscore(self.due_key, "-inf", now_ms, start=0, num=limit, withscores=True)
        return [(cid.decode(), int(score)) for cid, score in found]

    async def claim(self, cron_id: str, tick_ms: int, owner: str, lease_s: float) -> bool:
        """Take the tick for ``owner`` for ``lease_s`` seconds; ``False`` if another replica holds or ran it."""
        return bool(await self.redis.set(self.tick_key(cron_id, tick_ms), owner, nx=True, px=int(lease_s * 1000)))

    async def commit(self, cron_id: str, tick_ms: int, next_ms: int | None, last_tick: dict[str, Any]) -> None:
        """Mark the tick done, record its outcome and move the cron to ``next_ms`` (``None``: no more ticks)."""
        await self._commit(keys=[self.due_key, self.tick_key(cron_id, tick_ms), self._cron(cron_id)],
                           args=[cron_id, tick_ms, -1 if next_ms is None else next_ms,
                                 dumps({**last_tick, "at": now_iso()})])


def _record(raw: dict, due_score: float | None) -> dict[str, Any]:
    record = orjson.loads(raw[b"record"])
    record["last_tick"] = orjson.loads(raw[b"last_tick"]) if b"last_tick" in raw else None
    record["next_run_date"] = from_ms(int(due_score)).isoformat() if due_score is not None else None
    return record
