r"""Key layout of the Redis checkpointer and the pure helpers shared by the sync and async savers.

Plain Redis only (hashes, sorted sets, sets, MULTI/EXEC, one read-only Lua script): no RedisJSON or
RediSearch, so it runs on Redis >= 6.2, Valkey, managed Redis and Redis Cluster (pass a
``RedisCluster`` client; the conformance suite runs against a local three-node cluster in the tests).

Key layout (``P`` = the saver's prefix, default ``fxdesk:cp:``; ``T`` = ``{thread_id}``, a hash tag,
so every key of a thread lives in one Cluster slot and one MULTI/EXEC can cover them)::

    P T:idx    ZSET  member "ns\0checkpoint_id", all scores 0. Lexicographic order = time order
                     (checkpoint ids are uuid6), so ZREVRANGEBYLEX gives newest first, ``before``
                     is an exclusive upper bound and ``limit`` is LIMIT. Written LAST in the MULTI
                     that stores a checkpoint: a checkpoint exists only once it is indexed.
    P T:cp     HASH  "ns\0checkpoint_id" -> record: ``<n>:`` and n length-prefixed blob fields
                     ``<len>:<field>`` (one per channel version the checkpoint refers to, readable
                     by the Lua script), then msgpack [parent_id, ckpt_type, ckpt_bytes, meta_type,
                     meta_bytes, channels] (the checkpoint without channel_values, its metadata).
    P T:blob   HASH  "ns\0channel\0version" -> one channel value at one version. Written only for
                     channels whose version changed. A value is either ``F<type>\0<bytes>`` (full)
                     or ``D<len>:<base field><type>\0<bytes>`` (a list that extends the list stored
                     at ``base field``: only the new items are stored; see ``checkpoint/_delta.py``).
    P T:wix    ZSET  member "ns\0checkpoint_id\0task_id\0idx", scores 0: finds one checkpoint's
                     pending writes by range.
    P T:w      HASH  same member -> msgpack [task_id, idx, channel, type, bytes, task_path].
    P run:R    SET   JSON [thread_id, ns, checkpoint_id] of every checkpoint whose metadata has
                     run_id R (for ``delete_for_runs``). Not hash-tagged: on a standalone Redis it is
                     written inside the checkpoint's MULTI, on a Cluster just before it.

A thread has five keys whatever its length and number of namespaces, so the optional TTL is
refreshed on every write with five PEXPIREs and a whole thread expires together. ``delete_thread``
is one DEL. Every write command is idempotent (HSET of the same value, HSETNX, ZADD, SADD), so the
redis-py ``Retry`` policy may safely replay a transaction whose reply was lost.

Byte formats live in ``checkpoint/_codec.py``, the commands of one write in ``checkpoint/_plans.py``,
every operation as a sequence of round trips in ``checkpoint/_ops.py``, the read script in
``checkpoint/_scripts.py``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, NamedTuple

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import CheckpointMetadata, get_checkpoint_id

__all__ = [
    "DEFAULT_PREFIX",
    "Command",
    "KeyLayout",
    "ThreadKeys",
    "blob_field",
    "checkpoint_config",
    "member",
    "metadata_matches",
    "next_version",
    "ns_range",
    "split_member",
    "target_of",
    "write_field",
    "write_range",
]

DEFAULT_PREFIX = "fxdesk:cp:"
SEP = "\x00"

Command = tuple[Any, ...]


class ThreadKeys(NamedTuple):
    """The five keys of one thread, in the order the Lua script expects them."""

    idx: str
    cp: str
    blob: str
    wix: str
    w: str


@dataclass(frozen=True)
class KeyLayout:
    """Builds every key and member name from the saver's prefix."""

    prefix: str = DEFAULT_PREFIX

    def thread(self, thread_id: str) -> ThreadKeys:
        """Return the keys of one thread (hash-tagged by the thread id)."""
        base = f"{self.prefix}{{{thread_id}}}:"
        return ThreadKeys(base + "idx", base + "cp", base + "blob", base + "wix", base + "w")

    def run(self, run_id: str) -> str:
        """Return the key of the run index for ``run_id``."""
        return f"{self.prefix}run:{run_id}"

    def idx_scan_pattern(self) -> str:
        """Return a SCAN MATCH pattern for every thread's index key under this prefix."""
        escaped = "".join("\\" + c if c in "*?[]\\" else c for c in self.prefix)
        return escaped + "{*}:idx"

    def thread_of_idx_key(self, key: bytes | str) -> str:
        """Recover the thread id from an index key found by SCAN."""
        text = key.decode() if isinstance(key, bytes) else key
        return text[len(self.prefix) + 1 : -len("}:idx")]


def member(ns: str, checkpoint_id: str) -> str:
    """Return the index / record member of one checkpoint."""
    return f"{ns}{SEP}{checkpoint_id}"


def blob_field(ns: str, channel: str, version: Any) -> str:
    """Return the blob field of one channel version."""
    return f"{ns}{SEP}{channel}{SEP}{version}"


def write_field(ns: str, checkpoint_id: str, task_id: str, idx: int) -> str:
    """Return the member / field of one pending write."""
    return f"{ns}{SEP}{checkpoint_id}{SEP}{task_id}{SEP}{idx}"


def write_range(ns: str, checkpoint_id: str) -> tuple[str, str]:
    """Return the ZRANGEBYLEX bounds of one checkpoint's pending writes."""
    return f"[{ns}{SEP}{checkpoint_id}{SEP}", f"({ns}{SEP}{checkpoint_id}\x01"


def ns_range(ns: str, before: str | None = None) -> tuple[str, str]:
    """Return ZREVRANGEBYLEX (max, min) bounds of a namespace, optionally strictly before an id."""
    upper = f"({ns}{SEP}{before}" if before else f"({ns}\x01"
    return upper, f"[{ns}{SEP}"


def split_member(raw: bytes | str) -> tuple[str, str]:
    """Split an index member into (namespace, checkpoint id)."""
    text = raw.decode() if isinstance(raw, bytes) else raw
    ns, _, cid = text.rpartition(SEP)
    return ns, cid


def next_version(current: str | int | None) -> str:
    """Return the next channel version: zero-padded counter plus a random suffix.

    The random part keeps two forks of one parent from writing the same blob field.
    """
    if current is None:
        n = 0
    elif isinstance(current, int):
        n = current
    else:
        n = int(current.split(".")[0])
    return f"{n + 1:032}.{random.random():016}"


def checkpoint_config(thread_id: str, ns: str, checkpoint_id: str) -> RunnableConfig:
    """Return the config that addresses one stored checkpoint."""
    return {"configurable": {"thread_id": thread_id, "checkpoint_ns": ns, "checkpoint_id": checkpoint_id}}


def target_of(config: RunnableConfig) -> tuple[str, str, str | None]:
    """Return (thread id, namespace, checkpoint id or None) of a config."""
    conf = config["configurable"]
    return str(conf["thread_id"]), conf.get("checkpoint_ns", "") or "", get_checkpoint_id(config)


def metadata_matches(metadata: CheckpointMetadata, filter: dict[str, Any] | None) -> bool:
    """Return True if every key of ``filter`` equals the metadata value (like InMemorySaver)."""
    return not filter or all(metadata.get(k) == v for k, v in filter.items())
