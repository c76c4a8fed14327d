"""Typed error results: what a tool returns when the input is wrong, so the model can explain it.

Tools never raise at the model. Bad input becomes ``{"error": {"type": ..., "message": ...}}``,
a scope refusal becomes ``{"status": "not_entitled", ...}`` (see `tools.scope.Denied`).
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
