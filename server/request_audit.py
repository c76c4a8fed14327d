"""Request audit: one structured log line and one ``audit`` row per HTTP request.

Each request is recorded as who (user, role), what (``http:<METHOD> <route template>``), on which
thread and run, the status and the duration. The decision follows the status: below 400
``allowed``, 4xx ``denied``, 5xx ``error``. Rows are written by one background task in batches off
the event loop, so a request never waits for the database; tool calls are audited by the tools.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from data import schema
from server.ids import is_safe_id

if TYPE_CHECKING:
    from data.database import Database

log = logging.getLogger("fxdesk.audit")
QUEUE_MAX = 10_000
BATCH_MAX = 500
_RUN_LOCATION = re.compile(r"^(?:/threads/(?P<thread>[^/]+))?/runs/(?P<run>[^/]+)$")


@dataclass(frozen=True)
class RequestRecord:
    """One audited request."""

    at: datetime
    user_id: str
    role: str
    method: str
    route: str
    status: int
    duration_ms: float
    thread_id: str | None = None
    run_id: str | None = None

    @property
    def decision(self) -> str:
        """``allowed`` below 400, ``denied`` for 4xx, ``error`` for 5xx."""
        return decision_for(self.status)

    def log_line(self) -> str:
        """Return the record as one JSON object (the structured log line)."""
        data = asdict(self)
        data["at"] = self.at.isoformat()
        data["decision"] = self.decision
        data["duration_ms"] = round(self.duration_ms, 2)
        return json.dumps({"event": "http_request", **data}, separators=(",", ":"))

    def row(self) -> dict[str, Any]:
        """Return the ``audit`` table row (tool ``http:<METHOD> <route>``; columns sized for PostgreSQL)."""
        return {"at": self.at.replace(tzinfo=None), "user_id": self.user_id[:32], "role": self.role[:16],
                "tool": f"http:{self.method} {self.route}"[:64], "args": json.dumps({"status": self.status}),
                "decision": self.decision, "detail": f"{self.status} in {self.duration_ms:.1f} ms",
                "thread_id": (self.thread_id or None) and self.thread_id[:64],
                "run_id": (self.run_id or None) and self.run_id[:64]}


def decision_for(status: int) -> str:
    """Map an HTTP status to the audit decision."""
    if status < 400:
        return "allowed"
    return "denied" if status < 500 else "error"


class AuditWriter:
    """Queues records and inserts them in batches from one background task."""

    def __init__(self, db: Database | None):
        self.db = db
        self.dropped = 0
        self._queue: asyncio.Queue[RequestRecord] = asyncio.Queue(QUEUE_MAX)
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        """Start the writer task."""
        self._task = asyncio.create_task(self._run(), name="fxdesk-request-audit")

    async def stop(self) -> None:
        """Write what is queued, then stop."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.flush()

    def record(self, record: RequestRecord) -> None:
        """Log the record now and queue its row (dropped, and counted, if the queue is full)."""
        log.info(record.log_line())
        try:
            self._queue.put_nowait(record)
        except asyncio.QueueFull:
            self.dropped += 1

    async def flush(self) -> int:
        """Insert every queued row now; return how many were written."""
        batch = []
        while not self._queue.empty():
            batch.append(self._queue.get_nowait())
        if batch:
            await self._write(batch)
        return len(batch)

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < BATCH_MAX and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            await self._write(batch)

    async def _write(self, batch: list[RequestRecord]) -> None:
        if self.db is None:
            return
        rows = [r.row() for r in batch]
        try:
            await asyncio.to_thread(self._insert, rows)
        except Exception as exc:  # the database being down must not take requests down with it
            log.warning("request audit: %d rows not written: %s", len(rows), exc)

    def _insert(self, rows: list[dict[str, Any]]) -> None:
        assert self.db is not None
        with self.db.engine.begin() as conn:
            conn.execute(insert(schema.audit), rows)


class RequestAuditMiddleware:
    """Audits every HTTP request once it is answered (or failed)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, then record it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state = scope.setdefault("state", {})
        status, location = 500, None

        async def recording_send(message: Message) -> None:
            nonlocal status, location
            if message["type"] == "http.response.start":
                status = message["status"]
                location = dict(message.get("headers") or []).get(b"content-location")
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            services = getattr(scope["app"].state, "services", None)
            writer = services.audit if services is not None else None
            if writer is not None:
                writer.record(_record(scope, state, status, location, time.perf_counter() - started))


def _record(scope: Scope, state: dict, status: int, location: bytes | None, seconds: float) -> RequestRecord:
    caller = state.get("caller")
    params = scope.get("path_params") or {}
    thread_id = state.get("thread_id") or params.get("thread_id")
    run_id = state.get("run_id") or params.get("run_id")
    if location and (match := _RUN_LOCATION.match(location.decode("latin-1"))):
        thread_id = thread_id or match["thread"]
        run_id = run_id or match["run"]
    # Only ids that follow the id rule are recorded: a refused 10k-character id never reaches the
    # VARCHAR(64) columns, not even cut short (issue 12).
    return RequestRecord(at=datetime.now(UTC), user_id=caller.user_id if caller else "anonymous",
                         role=caller.entitlements.role if caller else "-", method=scope.get("method", "GET"),
                         route=route_template(scope), status=status, duration_ms=seconds * 1000,
                         thread_id=thread_id if is_safe_id(thread_id) else None,
                         run_id=run_id if is_safe_id(run_id) else None)


def route_template(scope: Scope) -> str:
    """Return the matched route's template; for requests answered before routing, match it here."""
    route = scope.get("route")
    if route is not None and getattr(route, "path", None):
        return route.path
    app = scope.get("app")
    for candidate in getattr(getattr(app, "router", None), "routes", ()):
        match, _ = candidate.matches(scope)
        if match == Match.FULL:
            return getattr(candidate, "path", scope.get("path", ""))
    return scope.get("path", "")
