"""Per-tool answer templates for the main result shapes; anything else falls back to the generic renderer.

A template takes the tool's result dict and returns markdown, or None to defer to the generic
renderer (e.g. when the result has an unexpected shape). Templates quote numbers only from the result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["TEMPLATES"]

Template = Callable[[Mapping[str, Any]], str | None]

TEMPLATES: dict[str, Template] = {}
