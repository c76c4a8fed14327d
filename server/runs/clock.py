"""Timestamps as the LangGraph API writes them: ISO 8601 in UTC with an explicit offset."""

from __future__ import annotations

import time
from datetime import UTC, datetime


def now_iso() -> str:
    """Return the current UTC time, e.g. ``2026-11-23T13:00:39.075232+00:00``."""
    return datetime.now(UTC).isoformat()


def now_score() -> float:
    """Return the current time as a sortable float for Redis sorted sets."""
    return time.time()
