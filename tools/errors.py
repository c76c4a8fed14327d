"""Typed error results: what a tool returns when the input is wrong, so the model can explain it.

Tools never raise at the model. Bad input becomes ``{"error": {"type": ..., "message": ...}}``,
a scope refusal becomes ``{"status": "not_entitled", ...}`` (see `tools.scope.Denied`). A computation
that finds the model named someone else's row (a journal entry, a trade) raises `NotEntitledError`,
which the gate turns into the same refusal and a ``denied`` audit record.
"""

from __future__ import annotations

from typing import Any


class ToolInputError(ValueError):
    """An argument a person or model supplied cannot be used; ``type`` is a stable code."""

    def __init__(self, type_: str, message: str):
        super().__init__(message)
        self.type = type_
        self.message = message

    def as_result(self) -> dict[str, Any]:
        """Return the JSON result a tool hands back instead of data."""
        return {"status": "error", "error": {"type": self.type, "message": self.message}}


class NotEntitledError(Exception):
    """Raised inside a tool's computation when the named row belongs to someone the caller may not act for."""

    def __init__(self, reason: str, requested: dict[str, Any] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.requested = requested or {}
