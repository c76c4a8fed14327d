r"""Key layout of the Redis checkpointer and the pure helpers shared by the sync and async savers.

Plain Redis only (hashes, sorted sets, sets, MULTI/EXEC, one read-only Lua script): no RedisJSON or
RediSearch, so it runs on Redis >= 6.2, Valkey, managed Redis and Redis Cluster.

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
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import ormsgpack
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    WRITES_IDX_MAP,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
    PendingWrite,
    SerializerProtocol,
    get_checkpoint_id,
    get_checkpoint_metadata,
    writes_sort_key,
)

from checkpoint._delta import DeltaPlan, ListDeltaCache, Remembered
from checkpoint.errors import CheckpointCorrupted

__all__ = [
    "DEFAULT_PREFIX",
    "Command",
    "KeyLayout",
    "ThreadKeys",
    "WritePlan",
    "checkpoint_config",
    "decode_tuple",
    "next_version",
    "plan_put",
    "plan_put_writes",
    "metadata_matches",
    "ns_range",
    "decode_record_metadata",
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


# --- blobs -------------------------------------------------------------------------------------


def encode_full(typed: tuple[str, bytes]) -> bytes:
    """Encode a full channel value."""
    return b"F" + typed[0].encode() + b"\x00" + typed[1]


def encode_delta(base_field: str, typed: tuple[str, bytes]) -> bytes:
    """Encode a list suffix that extends the value stored at ``base_field``."""
    base = base_field.encode()
    return b"D" + str(len(base)).encode() + b":" + base + typed[0].encode() + b"\x00" + typed[1]


def _typed_part(blob: bytes) -> tuple[str, bytes]:
    if blob[:1] == b"F":
        body = blob[1:]
    else:
        colon = blob.index(b":", 1)
        body = blob[colon + 1 + int(blob[1:colon]) :]
    type_, _, data = body.partition(b"\x00")
    return type_.decode(), data


def decode_chain(chain: Sequence[bytes], serde: SerializerProtocol, where: str) -> Any:
    """Rebuild one channel value from its chain (newest link first, full value last)."""
    if chain[-1][:1] != b"F":
        raise CheckpointCorrupted(f"delta chain of {where!r} ends without a full value (base deleted?)")
    value = serde.loads_typed(_typed_part(chain[-1]))
    if len(chain) == 1:
        return value
    value = list(value)
    for link in reversed(chain[:-1]):
        value.extend(serde.loads_typed(_typed_part(link)))
    return value


def delta_base(blob: bytes) -> str | None:
    """Return the base field a delta blob points to, or None for a full blob."""
    if blob[:1] != b"D":
        return None
    colon = blob.index(b":", 1)
    return blob[colon + 1 : colon + 1 + int(blob[1:colon])].decode()


# --- records and writes ------------------------------------------------------------------------


def pack_record(
    parent: str | None, ckpt: tuple[str, bytes], meta: tuple[str, bytes], fields: list[str], channels: list[str]
) -> bytes:
    """Pack a checkpoint record: length-prefixed blob fields (readable from Lua), then msgpack."""
    head = [f"{len(fields)}:".encode()]
    for f in fields:
        raw = f.encode()
        head.append(str(len(raw)).encode() + b":" + raw)
    return b"".join(head) + ormsgpack.packb([parent, ckpt[0], ckpt[1], meta[0], meta[1], channels])


def unpack_record(record: bytes) -> tuple[list[str], list[Any]]:
    """Split a record into (blob fields, [parent, ckpt_type, ckpt, meta_type, meta, channels])."""
    colon = record.index(b":")
    count, pos = int(record[:colon]), colon + 1
    fields = []
    for _ in range(count):
        colon = record.index(b":", pos)
        end = colon + 1 + int(record[pos:colon])
        fields.append(record[colon + 1 : end].decode())
        pos = end
    return fields, ormsgpack.unpackb(record[pos:])


def decode_record_metadata(record: bytes, serde: SerializerProtocol) -> CheckpointMetadata:
    """Decode only the metadata of a record (used to filter before loading values)."""
    rest = unpack_record(record)[1]
    return serde.loads_typed((rest[3], rest[4]))


def record_fields(record: bytes) -> list[str]:
    """Return the blob fields a record refers to."""
    return unpack_record(record)[0]


def _unpack_write(raw: bytes) -> tuple[str, int, str, str, bytes, str]:
    task_id, idx, channel, type_, data, task_path = ormsgpack.unpackb(raw)
    return task_id, idx, channel, type_, data, task_path


def decode_tuple(
    raw: Sequence[Any],
    thread_id: str,
    ns: str,
    serde: SerializerProtocol,
    cache: ListDeltaCache | None = None,
) -> CheckpointTuple:
    """Build a CheckpointTuple from the Lua script's reply; remember loaded lists for deltas."""
    cid_raw, record, chains, write_values = raw
    cid = cid_raw.decode() if isinstance(cid_raw, bytes) else cid_raw
    fields, (parent, ck_type, ck_bytes, md_type, md_bytes, channels) = unpack_record(record)
    checkpoint: Checkpoint = serde.loads_typed((ck_type, ck_bytes))
    values: dict[str, Any] = {}
    for channel, fld, chain in zip(channels, fields, chains, strict=True):
        if not chain:
            continue
        value = decode_chain(chain, serde, fld)
        values[channel] = value
        if cache is not None and isinstance(value, list):
            cache.remember(thread_id, ns, channel, Remembered(fld, tuple(value), len(chain) - 1))
    writes = sorted(
        (_unpack_write(w) for w in write_values if w),
        key=lambda w: writes_sort_key(w[5], w[0], w[1]),
    )
    pending: list[PendingWrite] = [(w[0], w[2], serde.loads_typed((w[3], w[4]))) for w in writes]
    return CheckpointTuple(
        config=checkpoint_config(thread_id, ns, cid),
        checkpoint={**checkpoint, "channel_values": values},
        metadata=serde.loads_typed((md_type, md_bytes)),
        parent_config=checkpoint_config(thread_id, ns, parent) if parent else None,
        pending_writes=pending,
    )


def metadata_matches(metadata: CheckpointMetadata, filter: dict[str, Any] | None) -> bool:
    """Return True if every key of ``filter`` equals the metadata value (like InMemorySaver)."""
    return not filter or all(metadata.get(k) == v for k, v in filter.items())


# --- write plans -------------------------------------------------------------------------------


@dataclass
class WritePlan:
    """Commands for one MULTI/EXEC, the commands to send before it, and what to do after success."""

    commands: list[Command] = field(default_factory=list)
    pre: list[Command] = field(default_factory=list)
    remember: list[tuple[str, str, str, Remembered]] = field(default_factory=list)
    payload_bytes: int = 0

    def commit(self, cache: ListDeltaCache | None) -> None:
        """Record the lists just stored, once EXEC has succeeded."""
        if cache is not None:
            for thread_id, ns, channel, entry in self.remember:
                cache.remember(thread_id, ns, channel, entry)


def _expire(keys: Iterable[str], ttl_ms: int | None) -> list[Command]:
    return [("PEXPIRE", k, ttl_ms) for k in keys] if ttl_ms else []


def plan_put(
    layout: KeyLayout,
    serde: SerializerProtocol,
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    new_versions: ChannelVersions,
    *,
    ttl_ms: int | None,
    cache: ListDeltaCache | None,
    run_index_in_transaction: bool,
) -> tuple[WritePlan, RunnableConfig]:
    """Plan the commands that store one checkpoint; the index entry is the last data write."""
    thread_id, ns, parent = target_of(config)
    cid = checkpoint["id"]
    keys = layout.thread(thread_id)
    values = checkpoint["channel_values"]
    plan = WritePlan()

    blob_args: list[Any] = []
    for channel, version in new_versions.items():
        if channel not in values:
            continue
        fld = blob_field(ns, channel, version)
        value = values[channel]
        delta: DeltaPlan | None = cache.plan(thread_id, ns, channel, value) if cache else None
        if delta is not None:
            blob = encode_delta(delta.base_field, serde.dumps_typed(delta.suffix))
            depth = delta.depth
        else:
            blob = encode_full(serde.dumps_typed(value))
            depth = 0
        blob_args += [fld, blob]
        plan.payload_bytes += len(blob)
        if isinstance(value, list):
            plan.remember.append((thread_id, ns, channel, Remembered(fld, tuple(value), depth)))

    body = {k: v for k, v in checkpoint.items() if k != "channel_values"}
    channels = list(checkpoint["channel_versions"])
    fields = [blob_field(ns, ch, checkpoint["channel_versions"][ch]) for ch in channels]
    meta = get_checkpoint_metadata(config, metadata)
    record = pack_record(parent, serde.dumps_typed(body), serde.dumps_typed(meta), fields, channels)
    plan.payload_bytes += len(record)

    if blob_args:
        plan.commands.append(("HSET", keys.blob, *blob_args))
    plan.commands.append(("HSET", keys.cp, member(ns, cid), record))
    run_id = meta.get("run_id")
    if run_id:
        run_cmds = [("SADD", layout.run(str(run_id)), json.dumps([thread_id, ns, cid]))]
        run_cmds += _expire([layout.run(str(run_id))], ttl_ms)
        (plan.commands if run_index_in_transaction else plan.pre).extend(run_cmds)
    plan.commands += _expire([keys.cp, keys.blob, keys.wix, keys.w], ttl_ms)
    plan.commands.append(("ZADD", keys.idx, 0, member(ns, cid)))
    plan.commands += _expire([keys.idx], ttl_ms)
    return plan, checkpoint_config(thread_id, ns, cid)


def plan_put_writes(
    layout: KeyLayout,
    serde: SerializerProtocol,
    config: RunnableConfig,
    writes: Sequence[tuple[str, Any]],
    task_id: str,
    task_path: str,
    *,
    ttl_ms: int | None,
) -> WritePlan:
    """Plan the commands that store one task's writes (first write of a (task, idx) wins)."""
    thread_id, ns, cid = target_of(config)
    if cid is None:
        raise ValueError("put_writes needs a config with checkpoint_id")
    keys = layout.thread(thread_id)
    plan = WritePlan()
    members: list[str] = []
    for i, (channel, value) in enumerate(writes):
        idx = WRITES_IDX_MAP.get(channel, i)
        fld = write_field(ns, cid, task_id, idx)
        type_, data = serde.dumps_typed(value)
        packed = ormsgpack.packb([task_id, idx, channel, type_, data, task_path])
        plan.payload_bytes += len(packed)
        # Regular writes are idempotent (a replayed task keeps its first result); special ones
        # (error, interrupt, resume) overwrite, as in LangGraph's own savers.
        plan.commands.append(("HSETNX" if idx >= 0 else "HSET", keys.w, fld, packed))
        members.append(fld)
    if members:
        zadd_args: list[Any] = []
        for m in members:
            zadd_args += [0, m]
        plan.commands.append(("ZADD", keys.wix, *zadd_args))
    plan.commands += _expire(keys, ttl_ms)
    return plan
