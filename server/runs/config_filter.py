"""What a client may put in ``config.configurable`` (and checkpoint selectors): never LangGraph's own keys.

LangGraph keeps its runtime in ``configurable`` under keys that start with ``__`` (``__pregel_send``,
``__pregel_checkpointer``, ``__pregel_scratchpad`` ...); a client that sets them can change how the
graph runs. They are dropped before the graph sees the config (issue 12), as are the keys the
server sets itself (``thread_id``, ``run_id``, ``checkpoint_ns``, the assistant and graph ids).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

SERVER_KEYS = frozenset({"thread_id", "checkpoint_ns", "run_id", "graph_id", "assistant_id"})


def is_reserved(key: object) -> bool:
    """Return whether a client may not set ``key``: LangGraph's ``__`` keys (or a non-string key)."""
    return not isinstance(key, str) or key.startswith("__")


def client_configurable(values: Mapping[str, Any] | None, *, drop: Iterable[str] = SERVER_KEYS) -> dict[str, Any]:
    """Return ``values`` without reserved keys and without ``drop`` (the keys the server sets)."""
    dropped = set(drop)
    return {k: v for k, v in (values or {}).items() if not is_reserved(k) and k not in dropped}
