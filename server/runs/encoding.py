"""JSON encoding of graph output for the API: messages, interrupts, Send, sets, UUIDs and errors.

Mirrors what `langgraph dev` sends so clients parse both the same way: pydantic models (messages)
by ``model_dump()``, dataclasses by field, and exceptions as ``{"error", "message"}`` where the
message is shown only for error types whose text is about the caller's input, never a traceback.
"""

from __future__ import annotations

import uuid
from base64 import b64encode
from datetime import timedelta
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import orjson
from langgraph.errors import EmptyInputError, GraphBubbleUp, GraphRecursionError, InvalidUpdateError
from langgraph.types import Send
from pydantic import ValidationError

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY

# Errors whose message describes the request or the graph's own rules; anything else is hidden.
SHOWN_ERRORS: tuple[type[BaseException], ...] = (
    ValueError, TypeError, KeyError, TimeoutError, RecursionError, GraphRecursionError,
    InvalidUpdateError, GraphBubbleUp, EmptyInputError, ValidationError,
)


def error_payload(exc: BaseException) -> dict[str, str]:
    """Return the ``{"error", "message"}`` body for an exception, hiding internal details."""
    if isinstance(exc, ValidationError):
        # The field and the reason, not pydantic's report ("2 validation errors for HumanMessage…", issue 12).
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())) or "input"
        return {"error": "InvalidInput", "message": f"{where}: {first.get('msg', 'invalid value')}"}
    if isinstance(exc, SHOWN_ERRORS):
        return {"error": type(exc).__name__, "message": _own_words(str(exc))}
    return {"error": type(exc).__name__, "message": "An internal error occurred"}


def _own_words(text: str) -> str:
    # Library messages end with a troubleshooting link; the first line is what the caller needs.
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("For troubleshooting")]
    return lines[0] if lines else text


def _default(obj: Any) -> Any:
    if isinstance(obj, Send):
        return {"node": obj.node, "args": obj.arg}
    if hasattr(obj, "model_dump") and not isinstance(obj, type):
        return obj.model_dump()
    if hasattr(obj, "_asdict") and not isinstance(obj, type):
        return obj._asdict()
    if isinstance(obj, BaseException):
        return error_payload(obj)
    if isinstance(obj, (set, frozenset)):
        return list(obj)
    if isinstance(obj, timedelta):
        return obj.total_seconds()
    if isinstance(obj, Decimal):
        return float(obj)
    if isinstance(obj, (uuid.UUID, Path)):
        return str(obj)
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, (bytes, bytearray)):
        return b64encode(obj).decode()
    raise TypeError(f"Type is not JSON serializable: {type(obj).__name__}")


def dumps(obj: Any) -> bytes:
    """Serialise ``obj`` to JSON bytes the way the LangGraph server does."""
    return orjson.dumps(obj, default=_default, option=_OPTIONS)


def loads(data: bytes | str | None) -> Any:
    """Parse JSON bytes; ``None`` stays ``None``."""
    return None if data is None else orjson.loads(data)
