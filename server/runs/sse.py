"""Server-sent event framing exactly as `langgraph dev` writes it (``event:``, ``data:``, CRLF)."""

from __future__ import annotations

SEP = b"\r\n"
HEARTBEAT = b": heartbeat" + SEP + SEP


def _field(value: bytes) -> bytes:
    return value.replace(b"\r", b"").replace(b"\n", b"")


def sse_frame(event: str, data: bytes, event_id: str | None = None) -> bytes:
    """Return one SSE frame with JSON ``data`` (already serialised) for ``event``."""
    frame = b"event: " + _field(event.encode()) + SEP + b"data: " + data + SEP
    if event_id is not None:
        frame += b"id: " + _field(event_id.encode()) + SEP
    return frame + SEP
