"""Append-only list deltas: store a grown list as "base blob + new items" instead of the whole list.

A message history (``add_messages``) is a list that every step copies and extends. Stored per
channel version, it would be rewritten in full at every step, so bytes per turn would grow with the
whole conversation. This cache remembers, per (thread, namespace, channel), the last list this
process wrote or read and the blob field that holds it. When the next value starts with the *same
objects* (identity, so the check costs nothing) the saver writes only the suffix and a pointer to
the base blob. Reads follow the chain (see ``checkpoint/_scripts.py``).

Why identity and not equality: ``add_messages`` builds a new list but keeps unchanged message
objects, and replaces a message it updates by id with a new object, which then breaks the prefix and
forces a full blob. A node that mutates an already-stored message *in place* would go unnoticed;
LangGraph state is meant to be treated as immutable, and the cost of an equality check on every
item would defeat the purpose.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

__all__ = ["ListDeltaCache", "DeltaPlan", "Remembered"]


@dataclass(frozen=True, slots=True)
class Remembered:
    """The last list stored or loaded for one channel: its blob field, items and chain depth."""

    field: str
    items: tuple[Any, ...]
    depth: int


@dataclass(frozen=True, slots=True)
class DeltaPlan:
    """Write ``suffix`` as a delta over ``base_field``; the new blob sits at ``depth`` in its chain."""

    base_field: str
    suffix: list[Any]
    depth: int


class ListDeltaCache:
    """Bounded LRU of the last list per (thread, namespace, channel), shared by all tasks of a saver.

    Args:
        max_entries: Channels remembered at once; the least recently used are forgotten first.
        max_depth: Longest delta chain before a full blob is written again (bounds read cost).

    """

    def __init__(self, max_entries: int = 4096, max_depth: int = 128) -> None:
        self._entries: OrderedDict[tuple[str, str, str], Remembered] = OrderedDict()
        self._max_entries = max_entries
        self._max_depth = max_depth
        self._lock = threading.Lock()

    def plan(self, thread_id: str, ns: str, channel: str, value: Any) -> DeltaPlan | None:
        """Return a delta plan if ``value`` extends the remembered list item for item, else None."""
        if not isinstance(value, list):
            return None
        with self._lock:
            known = self._entries.get((thread_id, ns, channel))
        if known is None or not known.items or known.depth + 1 > self._max_depth:
            return None
        n = len(known.items)
        if len(value) < n:
            return None
        for old, new in zip(known.items, value, strict=False):
            if old is not new:
                return None
        return DeltaPlan(base_field=known.field, suffix=value[n:], depth=known.depth + 1)

    def remember(self, thread_id: str, ns: str, channel: str, entry: Remembered) -> None:
        """Record the list now stored (after a successful write) or loaded (after a read)."""
        key = (thread_id, ns, channel)
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)

    def forget_thread(self, thread_id: str) -> None:
        """Drop every entry of a thread (after delete or prune may have removed its base blobs)."""
        with self._lock:
            for key in [k for k in self._entries if k[0] == thread_id]:
                del self._entries[key]
