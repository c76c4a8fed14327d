"""The run event relay: every event of a run goes to a Redis Stream that any replica can follow.

Each run writes ``P api:run-events:{rid}`` (a Redis Stream, trimmed to about ``maxlen`` entries and
expiring ``ttl`` seconds after its last write). Entry ids are chosen by the writer as
``{run start ms}-{n}`` (n = 1, 2, ...), so the replica that runs the graph knows each event's id
at once and can put it on its own SSE frames, and a client reconnecting with ``Last-Event-ID``
continues from exactly that entry on any replica. The last entry of a finished run is an end
marker, so followers stop without polling; a follower of a run whose replica died stops when the
run's liveness key lapses.

Writes are batched in a pipeline by one task per run: the run never waits for Redis, and a Redis
that stops answering loses relay entries, never the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from redis.asyncio import Redis

from server.runs.keys import ApiKeys

log = logging.getLogger(__name__)
END_EVENT = "__end__"  # internal marker, never sent to a client
FOLLOW_BLOCK_MS = 500
_STREAM_ID = re.compile(r"^\d+(-\d+)?$")

# (entry id, event name, JSON data)
RelayEvent = tuple[str, str, bytes]


class InvalidEventId(ValueError):
    """A ``Last-Event-ID`` that is not a stream id such as ``1733100000000-7``."""


def parse_event_id(value: str | None) -> str:
    """Return the stream id to continue after (``0-0``: from the start); raise `InvalidEventId`.

    ``-1`` also means from the start: the JS SDK's ``joinStream`` sends it when it has no id.
    """
    if value is None or not value.strip() or value.strip() == "-1":
        return "0-0"
    value = value.strip()
    if not _STREAM_ID.match(value):
        raise InvalidEventId(f"Invalid Last-Event-ID {value!r}: expected a stream id like '1733100000000-7'")
    return value


class RunRelay:
    """Writes one run's events, in order, to its stream; `publish` returns the event's id at once."""

    def __init__(self, redis: Redis, key: str, *, maxlen: int, ttl_seconds: int):
        self._redis, self._key, self._maxlen, self._ttl = redis, key, maxlen, ttl_seconds
        self._base = int(time.time() * 1000)
        self._seq = 0
        self._queue: asyncio.Queue[RelayEvent | None] = asyncio.Queue()
        self._task = asyncio.create_task(self._write(), name=f"relay-{key}")
        self._failed = False

    def publish(self, event: str, data: bytes) -> str:
        """Queue one event for the stream and return its id."""
        self._seq += 1
        event_id = f"{self._base}-{self._seq}"
        self._queue.put_nowait((event_id, event, data))
        return event_id

    async def close(self, status: str, timeout: float = 5.0) -> None:
        """Write the end marker and wait (bounded) until every queued event is in Redis."""
        self.publish(END_EVENT, status.encode())
        self._queue.put_nowait(None)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.shield(self._task), timeout)
        if not self._task.done():
            self._task.cancel()

    async def _write(self) -> None:
        while True:
            first = await self._queue.get()
            batch = [first] if first is not None else []
            stop = first is None
            while not stop and not self._queue.empty():
                item = self._queue.get_nowait()
                if item is None:
                    stop = True
                else:
                    batch.append(item)
            if batch:
                await self._flush(batch)
            if stop:
                return

    async def _flush(self, batch: list[RelayEvent]) -> None:
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for event_id, event, data in batch:
                    pipe.xadd(self._key, {"e": event, "d": data}, id=event_id, maxlen=self._maxlen, approximate=True)
                pipe.expire(self._key, self._ttl)
                await pipe.execute()
        except Exception as exc:  # the relay is best effort: the run goes on without it
            if not self._failed:
                log.warning("event relay %s failed: %s", self._key, exc)
            self._failed = True


@dataclass(frozen=True)
class EventLog:
    """Opens relays for runs and follows any run's stream, for one key prefix."""

    redis: Redis
    keys: ApiKeys
    maxlen: int = 10_000
    ttl_seconds: int = 3600

    def open(self, run_id: str) -> RunRelay:
        """Return a new relay writing ``run_id``'s events."""
        return RunRelay(self.redis, self.keys.run_events(run_id), maxlen=self.maxlen, ttl_seconds=self.ttl_seconds)

    async def exists(self, run_id: str) -> bool:
        """Return whether the run's stream is (still) in Redis."""
        return bool(await self.redis.exists(self.keys.run_events(run_id)))

    async def follow(self, run_id: str, after: str,
                     finished: Callable[[], Awaitable[bool]]) -> AsyncIterator[RelayEvent]:
        """Yield the run's events after id ``after``, live, until its end marker.

        ``finished`` is asked whenever nothing arrived for a while: once it says the run is over
        (e.g. its replica died and wrote no end marker) the events still stored are drained and
        the stream ends.
        """
        key = self.keys.run_events(run_id)
        draining = False
        while True:
            found = await self.redis.xread({key: after}, count=500, block=None if draining else FOLLOW_BLOCK_MS)
            entries = found[0][1] if found else []
            for raw_id, fields in entries:
                after = raw_id.decode()
                event = fields[b"e"].decode()
                if event == END_EVENT:
                    return
                yield after, event, fields[b"d"]
            if entries:
                continue
            if draining:
                return
            draining = await finished()
