"""Thread records in Redis: owner, metadata, status and the last values, one hash per thread.

A thread belongs to the user who created it; every read takes the caller and answers ``None`` for
another user's thread, so routes turn both "absent" and "not yours" into the same 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import orjson
from redis.asyncio import Redis

from server.runs.clock import now_iso, now_score
from server.runs.encoding import dumps
from server.runs.keys import ApiKeys

ThreadStatus = Literal["idle", "busy", "interrupted", "error"]
_JSON_FIELDS = ("metadata", "config", "values", "interrupts", "error")


@dataclass(frozen=True)
class ThreadStore:
    """Create, read, search and delete thread records for one key prefix."""

    redis: Redis
    keys: ApiKeys
    ttl_seconds: int | None = None

    async def create(self, owner: str, thread_id: str, metadata: dict[str, Any]) -> dict[str, Any] | None:
        """Store a new idle thread; return its record, or ``None`` if the id is taken."""
        now = now_iso()
        fields = {"owner": owner, "thread_id": thread_id, "created_at": now, "updated_at": now,
                  "state_updated_at": now, "status": "idle", "metadata": dumps(metadata),
                  "config": b"{}", "values": b"null", "interrupts": b"{}", "error": b"null"}
        key = self.keys.thread(thread_id)
        if not await self.redis.hsetnx(key, "owner", owner):
            return None
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hset(key, mapping=fields)
            pipe.zadd(self.keys.user_threads(owner), {thread_id: now_score()})
            if self.ttl_seconds:
                pipe.expire(key, self.ttl_seconds)
            await pipe.execute()
        return _record(fields)

    async def get(self, owner: str, thread_id: str) -> dict[str, Any] | None:
        """Return the thread if it exists and belongs to ``owner``."""
        raw = await self.redis.hgetall(self.keys.thread(thread_id))
        if not raw or raw.get(b"owner", b"").decode() != owner:
            return None
        return _record(raw)

    async def exists_for(self, owner: str, thread_id: str) -> bool:
        """Return whether ``owner`` owns the thread (one round trip, no record body)."""
        found = await self.redis.hget(self.keys.thread(thread_id), "owner")
        return found is not None and found.decode() == owner

    async def owner_of(self, thread_id: str) -> str | None:
        """Return the thread's owner, or ``None`` if there is no such thread."""
        found = await self.redis.hget(self.keys.thread(thread_id), "owner")
        return None if found is None else found.decode()

    async def owner_and_metadata(self, thread_id: str) -> tuple[str | None, dict[str, Any]]:
        """Return the thread's owner (``None``: no such thread) and metadata, in one round trip."""
        owner, metadata = await self.redis.hmget(self.keys.thread(thread_id), ["owner", "metadata"])
        return (None if owner is None else owner.decode()), (orjson.loads(metadata) if metadata else {})

    async def update(self, thread_id: str, **fields: Any) -> None:
        """Set some fields (JSON fields are serialised) and bump ``updated_at``."""
        mapping: dict[str, Any] = {"updated_at": now_iso()}
        for name, value in fields.items():
            mapping[name] = dumps(value) if name in _JSON_FIELDS else value
        key = self.keys.thread(thread_id)
        if not self.ttl_seconds:
            await self.redis.hset(key, mapping=mapping)
            return
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hset(key, mapping=mapping)
            pipe.expire(key, self.ttl_seconds)
            await pipe.execute()

    async def merge_metadata(self, thread_id: str, extra: dict[str, Any]) -> None:
        """Add keys to the thread's metadata (read-merge-write; metadata changes are rare)."""
        raw = await self.redis.hget(self.keys.thread(thread_id), "metadata")
        metadata = orjson.loads(raw) if raw else {}
        if all(metadata.get(k) == v for k, v in extra.items()):
            return
        await self.update(thread_id, metadata={**metadata, **extra})

    async def search(self, owner: str, *, metadata: dict[str, Any] | None = None, status: str | None = None,
                     values: dict[str, Any] | None = None, ids: list[str] | None = None,
                     limit: int = 10, offset: int = 0, sort_by: str | None = None,
                     sort_order: str | None = None) -> list[dict[str, Any]]:
        """Return the owner's threads matching every filter, newest first by default."""
        thread_ids = [tid.decode() for tid in await self.redis.zrevrange(self.keys.user_threads(owner), 0, -1)]
        if ids is not None:
            wanted = {str(i) for i in ids}
            thread_ids = [tid for tid in thread_ids if tid in wanted]
        async with self.redis.pipeline(transaction=False) as pipe:
            for tid in thread_ids:
                pipe.hgetall(self.keys.thread(tid))
            raws = await pipe.execute() if thread_ids else []
        records = [_record(raw) for raw in raws if raw and raw.get(b"owner", b"").decode() == owner]
        records = [r for r in records if _matches(r, metadata, status, values)]
        key = sort_by or "created_at"
        if key in ("thread_id", "status", "created_at", "updated_at", "state_updated_at"):
            records.sort(key=lambda r: str(r.get(key) or ""), reverse=(sort_order or "desc") == "desc")
        return records[offset:offset + limit]

    async def delete(self, owner: str, thread_id: str) -> list[str]:
        """Delete the thread record and its run records; return the deleted run ids."""
        run_ids = [rid.decode() for rid in await self.redis.zrange(self.keys.thread_runs(thread_id), 0, -1)]
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.delete(self.keys.thread(thread_id), self.keys.thread_runs(thread_id))
            pipe.zrem(self.keys.user_threads(owner), thread_id)
            for rid in run_ids:
                pipe.delete(self.keys.run(rid))
            await pipe.execute()
        return run_ids


def _record(raw: dict) -> dict[str, Any]:
    fields = {(k.decode() if isinstance(k, bytes) else k): v for k, v in raw.items()}
    out: dict[str, Any] = {"thread_id": _text(fields["thread_id"])}
    for name in ("created_at", "updated_at", "state_updated_at"):
        out[name] = _text(fields.get(name)) or out.get("created_at")
    out["metadata"] = _json(fields.get("metadata"), {})
    out["status"] = _text(fields.get("status")) or "idle"
    out["config"] = _json(fields.get("config"), {})
    out["values"] = _json(fields.get("values"), None)
    out["error"] = _json(fields.get("error"), None)
    out["interrupts"] = _json(fields.get("interrupts"), {})
    return out


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else str(value)


def _json(value: Any, empty: Any) -> Any:
    if value is None or value == b"":
        return empty
    return orjson.loads(value)


def _matches(record: dict[str, Any], metadata: dict | None, status: str | None, values: dict | None) -> bool:
    if status and record["status"] != status:
        return False
    if metadata and any(record["metadata"].get(k) != v for k, v in metadata.items()):
        return False
    if values:
        current = record["values"] or {}
        if any(current.get(k) != v for k, v in values.items()):
            return False
    return True
