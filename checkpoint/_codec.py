"""Byte formats of the Redis checkpointer: channel blobs (full or delta), checkpoint records, writes.

The formats are described with the key layout in ``checkpoint/base.py``. Blob and record headers
are plain length-prefixed text so the read script (``checkpoint/_scripts.py``) can parse them
without msgpack; everything else is msgpack, and every value goes through the saver's ``serde``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ormsgpack
from langgraph.checkpoint.base import (
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
    PendingWrite,
    SerializerProtocol,
    writes_sort_key,
)

from checkpoint._delta import ListDeltaCache, Remembered
from checkpoint.base import checkpoint_config
from checkpoint.errors import CheckpointCorrupted

__all__ = [
    "decode_chain",
    "decode_record_metadata",
    "decode_tuple",
    "delta_base",
    "encode_delta",
    "encode_full",
    "pack_record",
    "record_fields",
    "unpack_record",
]


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
