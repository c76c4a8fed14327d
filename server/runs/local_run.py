"""A run executing in this process: its task, its live event fan-out and its final answer."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from server.runs.relay import RunRelay

# One (event, JSON bytes, event id or None) triple; ``None`` ends a subscriber's stream.
Frame = tuple[str, bytes, str | None]


@dataclass
class LocalRun:
    """Events go to every current subscriber (and the relay); ``result`` is the ``runs.wait`` body once ``done``."""

    run_id: str
    thread_id: str
    task: asyncio.Task | None = None
    result: bytes | None = None
    status: str = "pending"
    cancel_action: str | None = None
    store_failed: bool = False  # the run failed because Redis stopped answering
    relay: RunRelay | None = None  # the run's event stream in Redis, followed by other replicas
    done: asyncio.Event = field(default_factory=asyncio.Event)
    _subscribers: list[asyncio.Queue[Frame | None]] = field(default_factory=list)

    def subscribe(self) -> asyncio.Queue[Frame | None]:
        """Return a queue that receives every later event, then ``None`` at the end."""
        queue: asyncio.Queue[Frame | None] = asyncio.Queue()
        if self.done.is_set():
            queue.put_nowait(None)
        else:
            self._subscribers.append(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Frame | None]) -> None:
        """Stop delivering events to ``queue``."""
        if queue in self._subscribers:
            self._subscribers.remove(queue)

    @property
    def has_subscribers(self) -> bool:
        """Whether anyone is streaming this run, here or through the relay."""
        return bool(self._subscribers) or self.relay is not None

    def publish(self, event: str, data: bytes) -> None:
        """Deliver one event to the relay and every subscriber."""
        event_id = self.relay.publish(event, data) if self.relay is not None else None
        for queue in self._subscribers:
            queue.put_nowait((event, data, event_id))

    def close(self, result: bytes, status: str) -> None:
        """Record the final answer and end every subscriber's stream."""
        self.result, self.status = result, status
        for queue in self._subscribers:
            queue.put_nowait(None)
        self._subscribers.clear()
        self.done.set()
