"""A run executing in this process: its task, its live event fan-out and its final answer."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

# One (event, JSON bytes) pair; ``None`` ends a subscriber's stream.
Frame = tuple[str, bytes]


@dataclass
class LocalRun:
    """Events go to every current subscriber; ``result`` is the ``runs.wait`` body once ``done``."""

    run_id: str
    thread_id: str
    task: asyncio.Task | None = None
    result: bytes | None = None
    status: str = "pending"
    cancel_action: str | None = None
    store_failed: bool = False  # the run failed because Redis stopped answering
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
        """Whether anyone is streaming this run (saves serialising events nobody reads)."""
        return bool(self._subscribers)

    def publish(self, event: str, data: bytes) -> None:
        """Deliver one event to every subscriber."""
        for queue in self._subscribers:
            queue.put_nowait((event, data))

    def close(self, result: bytes, status: str) -> None:
        """Record the final answer and end every subscriber's stream."""
        self.result, self.status = result, status
        for queue in self._subscribers:
            queue.put_nowait(None)
        self._subscribers.clear()
        self.done.set()
