"""Every saver operation written once, without I/O, as a generator of Redis round trips.

Each operation yields a ``Step`` (commands for one pipeline, transactional or not), receives the
replies, and finally returns its result; ``list`` also yields ``Emit`` items. The sync saver drives
these generators with a blocking client and the async saver with ``redis.asyncio``, so both share
one implementation of the storage logic and each round trip is visible in the code.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
    SerializerProtocol,
    get_checkpoint_id,
)

from checkpoint._codec import decode_record_metadata, decode_tuple, delta_base, record_fields
from checkpoint._delta import ListDeltaCache
from checkpoint._plans import plan_put, plan_put_writes
from checkpoint.base import Command, KeyLayout, member, metadata_matches, ns_range, split_member, target_of

__all__ = ["Step", "Scan", "Emit", "WriteStats", "SaverContext", "get_tuple", "list_tuples", "put", "put_writes",
           "delete_thread", "delete_for_runs", "prune", "copy_thread"]

LIST_BATCH = 64


@dataclass(frozen=True)
class Step:
    """One round trip: the commands of one pipeline, wrapped in MULTI/EXEC if ``transaction``."""

    commands: list[Command]
    transaction: bool = False


@dataclass(frozen=True)
class Scan:
    """A full SCAN for keys matching ``pattern`` (every node of a Cluster); replies with the keys."""

    pattern: str


@dataclass(frozen=True)
class Emit:
    """An item produced by a streaming operation (``list``)."""

    item: CheckpointTuple


@dataclass
class WriteStats:
    """Counters of what this saver wrote: checkpoints, write batches and payload bytes."""

    checkpoints: int = 0
    write_batches: int = 0
    payload_bytes: int = 0
    last_checkpoint_bytes: int = 0
    per_thread_bytes: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class SaverContext(Protocol):
    """What the operations need from a saver."""

    layout: KeyLayout
    serde: SerializerProtocol
    delta_cache: ListDeltaCache | None
    ttl_ms: int | None
    script_sha: str
    run_index_in_transaction: bool
    stats: WriteStats


Op = Generator[Step | Scan | Emit, Any, Any]


def _script_call(ctx: SaverContext, thread_id: str, ns: str, checkpoint_id: str | None) -> Command:
    return ("EVALSHA", ctx.script_sha, 5, *ctx.layout.thread(thread_id), ns, checkpoint_id or "")


def get_tuple(ctx: SaverContext, config: RunnableConfig) -> Op:
    """Read one checkpoint tuple (latest of the namespace if no id) in one round trip."""
    thread_id, ns, cid = target_of(config)
    (raw,) = yield Step([_script_call(ctx, thread_id, ns, cid)])
    if not raw:
        return None
    return decode_tuple(raw, thread_id, ns, ctx.serde, ctx.delta_cache)


def list_tuples(
    ctx: SaverContext,
    config: RunnableConfig | None,
    *,
    filter: dict[str, Any] | None = None,
    before: RunnableConfig | None = None,
    limit: int | None = None,
) -> Op:
    """Yield matching checkpoints newest first, reading the index in pages."""
    if limit is not None and limit <= 0:
        return None
    if config is None:
        keys = yield Scan(ctx.layout.idx_scan_pattern())
        threads = list(dict.fromkeys(ctx.layout.thread_of_idx_key(k) for k in keys))
        ns_only: str | None = None
        only_id: str | None = None
    else:
        threads = [str(config["configurable"]["thread_id"])]
        ns_only = config["configurable"].get("checkpoint_ns")
        only_id = get_checkpoint_id(config)
    before_id = get_checkpoint_id(before) if before else None
    remaining = limit
    for thread_id in threads:
        keys = ctx.layout.thread(thread_id)
        if ns_only is not None and only_id is not None:
            upper = lower = "[" + member(ns_only, only_id)
            if before_id is not None and only_id >= before_id:
                continue
        elif ns_only is not None:
            upper, lower = ns_range(ns_only, before_id)
        else:
            upper, lower = "+", "-"
        while True:
            batch = LIST_BATCH if remaining is None or filter else min(LIST_BATCH, remaining)
            (members,) = yield Step([("ZREVRANGEBYLEX", keys.idx, upper, lower, "LIMIT", 0, batch)])
            if not members:
                break
            upper = "(" + members[-1].decode()
            wanted = [split_member(m) for m in members]
            if ns_only is None:
                wanted = [(ns, cid) for ns, cid in wanted
                          if (before_id is None or cid < before_id) and (only_id is None or cid == only_id)]
            if filter and wanted:
                (records,) = yield Step([("HMGET", keys.cp, *[member(ns, cid) for ns, cid in wanted])])
                wanted = [w for w, rec in zip(wanted, records, strict=True)
                          if rec is not None and metadata_matches(decode_record_metadata(rec, ctx.serde), filter)]
            if remaining is not None:
                wanted = wanted[:remaining]
            if wanted:
                raws = yield Step([_script_call(ctx, thread_id, ns, cid) for ns, cid in wanted])
                for (ns, _), raw in zip(wanted, raws, strict=True):
                    if raw:
                        yield Emit(decode_tuple(raw, thread_id, ns, ctx.serde))
                        if remaining is not None:
                            remaining -= 1
            if remaining is not None and remaining <= 0:
                return None
            if len(members) < batch:
                break
    return None


def put(
    ctx: SaverContext,
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    new_versions: ChannelVersions,
) -> Op:
    """Store a checkpoint in one MULTI/EXEC (one round trip on a standalone Redis)."""
    plan, stored = plan_put(
        ctx.layout, ctx.serde, config, checkpoint, metadata, new_versions,
        ttl_ms=ctx.ttl_ms, cache=ctx.delta_cache, run_index_in_transaction=ctx.run_index_in_transaction,
    )
    if plan.pre:
        yield Step(plan.pre)
    yield Step(plan.commands, transaction=True)
    plan.commit(ctx.delta_cache)
    ctx.stats.checkpoints += 1
    ctx.stats.payload_bytes += plan.payload_bytes
    ctx.stats.last_checkpoint_bytes = plan.payload_bytes
    ctx.stats.per_thread_bytes[stored["configurable"]["thread_id"]] += plan.payload_bytes
    return stored


def put_writes(
    ctx: SaverContext,
    config: RunnableConfig,
    writes: Sequence[tuple[str, Any]],
    task_id: str,
    task_path: str = "",
) -> Op:
    """Store one task's pending writes in one MULTI/EXEC."""
    plan = plan_put_writes(ctx.layout, ctx.serde, config, writes, task_id, task_path, ttl_ms=ctx.ttl_ms)
    if plan.commands:
        yield Step(plan.commands, transaction=True)
    ctx.stats.write_batches += 1
    ctx.stats.payload_bytes += plan.payload_bytes
    ctx.stats.per_thread_bytes[str(config["configurable"]["thread_id"])] += plan.payload_bytes
    return None


def delete_thread(ctx: SaverContext, thread_id: str) -> Op:
    """Delete every key of a thread (its run-index entries are left to expire or be ignored)."""
    yield Step([("DEL", *ctx.layout.thread(str(thread_id)))])
    if ctx.delta_cache is not None:
        ctx.delta_cache.forget_thread(str(thread_id))
    return None


def _drop_checkpoints(ctx: SaverContext, thread_id: str, doomed: list[tuple[str, str]],
                      write_fields: list[bytes], blob_fields: list[bytes] | None = None) -> Step:
    keys = ctx.layout.thread(thread_id)
    members = [member(ns, cid) for ns, cid in doomed]
    cmds: list[Command] = [("ZREM", keys.idx, *members), ("HDEL", keys.cp, *members)]
    if write_fields:
        cmds += [("ZREM", keys.wix, *write_fields), ("HDEL", keys.w, *write_fields)]
    if blob_fields:
        cmds.append(("HDEL", keys.blob, *blob_fields))
    return Step(cmds, transaction=True)


def delete_for_runs(ctx: SaverContext, run_ids: Sequence[str]) -> Op:
    """Delete the checkpoints (and their writes) created by the given runs.

    Channel blobs stay: later checkpoints and delta chains may still refer to them.
    """
    if not run_ids:
        return None
    run_keys = [ctx.layout.run(str(r)) for r in run_ids]
    sets = yield Step([("SMEMBERS", k) for k in run_keys])
    by_thread: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for entries in sets:
        for raw in entries:
            thread_id, ns, cid = json.loads(raw)
            by_thread[thread_id].append((ns, cid))
    for thread_id, doomed in by_thread.items():
        keys = ctx.layout.thread(thread_id)
        ranges = yield Step([("ZRANGEBYLEX", keys.wix, f"[{ns}\x00{cid}\x00", f"({ns}\x00{cid}\x01")
                             for ns, cid in doomed])
        yield _drop_checkpoints(ctx, thread_id, doomed, [f for r in ranges for f in r])
    yield Step([("DEL", k) for k in run_keys])  # one DEL each: run keys live in different slots
    return None


def prune(ctx: SaverContext, thread_ids: Sequence[str], strategy: str = "keep_latest") -> Op:
    """Prune threads: ``keep_latest`` keeps the newest checkpoint per namespace, ``delete`` all.

    Blobs no longer reachable from a kept checkpoint (directly or through a delta chain) are
    removed. Do not prune a thread while another process is writing to it.
    """
    if strategy not in ("keep_latest", "delete"):
        raise ValueError(f"unknown prune strategy {strategy!r}; use 'keep_latest' or 'delete'")
    for thread_id in map(str, thread_ids):
        if strategy == "delete":
            yield from delete_thread(ctx, thread_id)
            continue
        keys = ctx.layout.thread(thread_id)
        members, write_members, blob_names = yield Step(
            [("ZRANGE", keys.idx, 0, -1), ("ZRANGE", keys.wix, 0, -1), ("HKEYS", keys.blob)]
        )
        newest: dict[str, str] = {}
        for ns, cid in map(split_member, members):
            newest[ns] = max(newest.get(ns, cid), cid)
        doomed = [(ns, cid) for ns, cid in map(split_member, members) if newest[ns] != cid]
        if not doomed:
            continue
        kept = [member(ns, cid) for ns, cid in newest.items()]
        (records,) = yield Step([("HMGET", keys.cp, *kept)])
        live: set[str] = set()
        frontier = {f for rec in records if rec for f in record_fields(rec)}
        while frontier:
            live |= frontier
            names = sorted(frontier)
            (blobs,) = yield Step([("HMGET", keys.blob, *names)])
            frontier = {b for b in (delta_base(x) for x in blobs if x) if b and b not in live}
        doomed_members = {member(ns, cid) for ns, cid in doomed}
        doomed_writes = [w for w in write_members if w.decode().rsplit("\x00", 2)[0] in doomed_members]
        dead_blobs = [b for b in blob_names if b.decode() not in live]
        yield _drop_checkpoints(ctx, thread_id, doomed, doomed_writes, dead_blobs)
        if ctx.delta_cache is not None:
            ctx.delta_cache.forget_thread(thread_id)
    return None


def copy_thread(ctx: SaverContext, source_thread_id: str, target_thread_id: str) -> Op:
    """Copy every checkpoint, blob and write of one thread into another (merging, not replacing)."""
    src = ctx.layout.thread(str(source_thread_id))
    dst = ctx.layout.thread(str(target_thread_id))
    members, records, blobs, write_members, writes = yield Step([
        ("ZRANGE", src.idx, 0, -1), ("HGETALL", src.cp), ("HGETALL", src.blob),
        ("ZRANGE", src.wix, 0, -1), ("HGETALL", src.w),
    ])
    if not members:
        return None
    cmds: list[Command] = []
    pre: list[Command] = []
    for raw_member, record in records.items():
        run_id = decode_record_metadata(record, ctx.serde).get("run_id")
        if run_id:
            ns, cid = split_member(raw_member)
            run_cmds = [("SADD", ctx.layout.run(str(run_id)), json.dumps([str(target_thread_id), ns, cid]))]
            if ctx.ttl_ms:
                run_cmds.append(("PEXPIRE", ctx.layout.run(str(run_id)), ctx.ttl_ms))
            (cmds if ctx.run_index_in_transaction else pre).extend(run_cmds)
    for key, mapping in ((dst.blob, blobs), (dst.cp, records), (dst.w, writes)):
        if mapping:
            cmds.append(("HSET", key, *[x for kv in mapping.items() for x in kv]))
    if write_members:
        cmds.append(("ZADD", dst.wix, *[x for m in write_members for x in (0, m)]))
    cmds.append(("ZADD", dst.idx, *[x for m in members for x in (0, m)]))
    if ctx.ttl_ms:
        cmds += [("PEXPIRE", k, ctx.ttl_ms) for k in dst]
    if pre:
        yield Step(pre)
    yield Step(cmds, transaction=True)
    return None
