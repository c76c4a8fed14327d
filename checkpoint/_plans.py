"""Write plans: the exact commands of one checkpoint put or one put_writes, built without I/O.

A plan is the body of one MULTI/EXEC (plus, on Redis Cluster, the cross-slot run-index commands
sent just before it). Building plans apart from sending them keeps the sync and async savers
identical and lets unit tests check ordering and content without a server.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import ormsgpack
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    WRITES_IDX_MAP,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    SerializerProtocol,
    get_checkpoint_metadata,
)

from checkpoint._codec import encode_delta, encode_full, pack_record
from checkpoint._delta import DeltaPlan, ListDeltaCache, Remembered
from checkpoint.base import Command, KeyLayout, blob_field, checkpoint_config, member, target_of, write_field

__all__ = ["WritePlan", "plan_put", "plan_put_writes"]


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
