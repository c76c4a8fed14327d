"""Response helpers shared by the API routers: orjson bodies, SSE streams and keep-alive waits."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from fastapi.responses import Response, StreamingResponse

from server.runs.encoding import dumps
from server.runs.local_run import LocalRun
from server.runs.sse import HEARTBEAT, sse_frame

KEEPALIVE_S = 5.0


def json_response(body: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Return ``body`` as JSON, serialised like the LangGraph server does."""
    return Response(dumps(body), status_code=status_code, media_type="application/json", headers=headers)


def sse_response(run: LocalRun, *, cancel_on_disconnect: Callable[[], Awaitable[None]] | None,
                 headers: dict[str, str], with_ids: bool = False) -> StreamingResponse:
    """Stream a local run's events as SSE; the run goes on if the client leaves (unless told to cancel).

    ``with_ids`` puts each event's relay id on its frame (``stream_resumable`` runs), so the client
    can reconnect with ``Last-Event-ID``.
    """
    queue = run.subscribe()

    async def frames() -> AsyncIterator[bytes]:
        finished = False
        try:
            while True:
                try:
                    item = await asyncio.wait_for(queue.get(), timeout=KEEPALIVE_S)
                except TimeoutError:
                    yield HEARTBEAT
                    continue
                if item is None:
                    finished = True
                    return
                yield sse_frame(item[0], item[1], item[2] if with_ids else None)
        finally:
            run.unsubscribe(queue)
            if not finished and cancel_on_disconnect is not None:
                with contextlib.suppress(Exception):
                    await cancel_on_disconnect()

    return StreamingResponse(frames(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no", **headers})


def event_stream_response(frames: AsyncIterator[bytes], *, on_disconnect: Callable[[], Awaitable[None]] | None,
                          headers: dict[str, str]) -> StreamingResponse:
    """Stream ready-made SSE ``frames`` with a heartbeat while none comes; ``on_disconnect`` if the client leaves."""

    async def body() -> AsyncIterator[bytes]:
        finished = False
        pending = asyncio.ensure_future(anext(frames, None))
        try:
            while True:
                done, _ = await asyncio.wait({pending}, timeout=KEEPALIVE_S)
                if not done:
                    yield HEARTBEAT
                    continue
                frame = pending.result()
                if frame is None:
                    finished = True
                    return
                yield frame
                pending = asyncio.ensure_future(anext(frames, None))
        finally:
            if not pending.done():
                pending.cancel()
            with contextlib.suppress(BaseException):
                await frames.aclose()
            if not finished and on_disconnect is not None:
                with contextlib.suppress(Exception):
                    await on_disconnect()

    return StreamingResponse(body(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no", **headers})


def waiting_response(result: Callable[[], Awaitable[bytes]], headers: dict[str, str]) -> StreamingResponse:
    """Return the JSON from ``result()``, writing a newline every 5 s meanwhile so proxies keep the line open."""

    async def body() -> AsyncIterator[bytes]:
        task = asyncio.ensure_future(result())
        try:
            while True:
                done, _ = await asyncio.wait({task}, timeout=KEEPALIVE_S)
                if done:
                    yield task.result()
                    return
                yield b"\n"
        finally:
            if not task.done():
                task.cancel()

    return StreamingResponse(body(), media_type="application/json", headers=headers)
