"""Pure helpers of the Redis checkpointer: key layout, blob and record encoding, write plans."""

from __future__ import annotations

import ormsgpack
import pytest
from langgraph.checkpoint.base import empty_checkpoint
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from redis.crc import key_slot

from checkpoint._codec import decode_chain, delta_base, encode_delta, encode_full, pack_record, unpack_record
from checkpoint._delta import ListDeltaCache
from checkpoint._plans import plan_put, plan_put_writes
from checkpoint.base import KeyLayout, blob_field, next_version, ns_range, split_member
from checkpoint.errors import CheckpointCorrupted

SERDE = JsonPlusSerializer()


@pytest.mark.parametrize("thread_id", ["t1", "user:aruna:42", "odd}brace", "{x}", "ünï"])
def test_every_key_of_a_thread_hashes_to_one_cluster_slot(thread_id):
    keys = KeyLayout("app:cp:").thread(thread_id)
    assert len({key_slot(k.encode()) for k in keys}) == 1
    assert all(k.startswith("app:cp:{") for k in keys)


def test_different_threads_usually_land_in_different_slots():
    layout = KeyLayout("p:")
    slots = {key_slot(layout.thread(f"thread-{i}").idx.encode()) for i in range(50)}
    assert len(slots) > 40


@pytest.mark.parametrize("thread_id", ["plain", "with}brace", "a:b:c"])
def test_thread_id_is_recovered_from_a_scanned_index_key(thread_id):
    layout = KeyLayout("pre[fix]*:")
    assert layout.thread_of_idx_key(layout.thread(thread_id).idx.encode()) == thread_id
    assert layout.idx_scan_pattern() == "pre\\[fix\\]\\*:{*}:idx"


def test_namespace_range_bounds_select_only_that_namespace_and_before():
    assert ns_range("") == ("(\x01", "[\x00")
    assert ns_range("child:1", before="c9") == ("(child:1\x00c9", "[child:1\x00")
    assert split_member(b"child:1\x00abc") == ("child:1", "abc")


def test_next_version_is_monotonic_and_fork_safe():
    v1 = next_version(None)
    v2 = next_version(v1)
    assert v1 < v2 and v2.startswith("0" * 31 + "2.")
    assert next_version(7).startswith("0" * 31 + "8.")
    assert next_version(v1) != next_version(v1)  # two forks of one parent get distinct blob fields


def test_delta_chain_rebuilds_the_list_in_order():
    full = encode_full(SERDE.dumps_typed(["a", "b"]))
    d1 = encode_delta("f0", SERDE.dumps_typed(["c"]))
    d2 = encode_delta("f1", SERDE.dumps_typed(["d", "e"]))
    assert delta_base(d2) == "f1" and delta_base(full) is None
    assert decode_chain([d2, d1, full], SERDE, "f2") == ["a", "b", "c", "d", "e"]
    assert decode_chain([full], SERDE, "f0") == ["a", "b"]
    with pytest.raises(CheckpointCorrupted):
        decode_chain([d2, d1], SERDE, "f2")


def test_delta_base_field_may_contain_separators():
    base = blob_field("ns:1", "messages", "0001.5")
    assert delta_base(encode_delta(base, ("json", b"[]"))) == base


def test_record_keeps_blob_fields_readable_before_the_msgpack_body():
    fields = [blob_field("", "messages", "01.2"), blob_field("", "ünï", "3")]
    record = pack_record("parent", ("json", b"{}"), ("json", b"{\"step\": 1}"), fields, ["messages", "ünï"])
    assert record.startswith(b"2:")
    got_fields, rest = unpack_record(record)
    assert got_fields == fields and rest == ["parent", "json", b"{}", "json", b"{\"step\": 1}", ["messages", "ünï"]]


def _cp(values, versions):
    cp = empty_checkpoint()
    cp["channel_values"], cp["channel_versions"] = values, versions
    return cp


def test_put_plan_writes_only_changed_channels_and_indexes_last():
    config = {"configurable": {"thread_id": "t", "checkpoint_ns": "", "checkpoint_id": "parent-id"}}
    cp = _cp({"a": "A", "b": "B"}, {"a": 2, "b": 1})
    plan, stored = plan_put(KeyLayout("p:"), SERDE, config, cp, {"run_id": "r1", "step": 1}, {"a": 2},
                            ttl_ms=None, cache=None, run_index_in_transaction=True)
    keys = KeyLayout("p:").thread("t")
    names = [(c[0], c[1]) for c in plan.commands]
    assert names == [("HSET", keys.blob), ("HSET", keys.cp), ("SADD", "p:run:r1"), ("ZADD", keys.idx)]
    assert plan.commands[0][2:4:2] == (blob_field("", "a", 2),)  # channel b unchanged: not rewritten
    assert plan.commands[-1] == ("ZADD", keys.idx, 0, "\x00" + cp["id"])
    assert stored == {"configurable": {"thread_id": "t", "checkpoint_ns": "", "checkpoint_id": cp["id"]}}
    fields, rest = unpack_record(plan.commands[1][3])
    assert fields == [blob_field("", "a", 2), blob_field("", "b", 1)] and rest[0] == "parent-id"


def test_put_plan_with_ttl_expires_all_five_thread_keys_and_the_run_key():
    config = {"configurable": {"thread_id": "t", "checkpoint_ns": ""}}
    plan, _ = plan_put(KeyLayout("p:"), SERDE, config, _cp({}, {}), {"run_id": "r1"}, {},
                       ttl_ms=1500, cache=None, run_index_in_transaction=False)
    expired = {c[1] for c in plan.commands if c[0] == "PEXPIRE"} | {c[1] for c in plan.pre if c[0] == "PEXPIRE"}
    assert expired == {*KeyLayout("p:").thread("t"), "p:run:r1"}
    assert all(c[2] == 1500 for c in plan.commands + plan.pre if c[0] == "PEXPIRE")
    assert [c[0] for c in plan.pre] == ["SADD", "PEXPIRE"]  # cluster: run index outside the MULTI


def test_put_plan_stores_a_grown_list_as_suffix_over_the_remembered_blob():
    cache = ListDeltaCache()
    layout = KeyLayout("p:")
    base = {"configurable": {"thread_id": "t", "checkpoint_ns": ""}}
    first = ["first", "second"]
    plan1, cfg1 = plan_put(layout, SERDE, base, _cp({"m": first}, {"m": 1}), {}, {"m": 1},
                           ttl_ms=None, cache=cache, run_index_in_transaction=True)
    plan1.commit(cache)
    grown = [*first, "third"]
    plan2, _ = plan_put(layout, SERDE, cfg1, _cp({"m": grown}, {"m": 2}), {}, {"m": 2},
                        ttl_ms=None, cache=cache, run_index_in_transaction=True)
    blob = plan2.commands[0][3]
    assert delta_base(blob) == blob_field("", "m", 1)
    assert decode_chain([blob, plan1.commands[0][3]], SERDE, "m2") == ["first", "second", "third"]


def test_put_writes_plan_keeps_first_regular_write_and_overwrites_special_ones():
    config = {"configurable": {"thread_id": "t", "checkpoint_ns": "", "checkpoint_id": "c1"}}
    plan = plan_put_writes(KeyLayout("p:"), SERDE, config, [("x", 1), ("__error__", "boom")], "task",
                           "path", ttl_ms=None)
    ops = [(c[0], c[2] if c[0] != "ZADD" else None) for c in plan.commands]
    assert ops == [("HSETNX", "\x00c1\x00task\x000"), ("HSET", "\x00c1\x00task\x00-1"), ("ZADD", None)]
    assert ormsgpack.unpackb(plan.commands[0][3])[:3] == ["task", 0, "x"]
    with pytest.raises(ValueError, match="checkpoint_id"):
        plan_put_writes(KeyLayout("p:"), SERDE, {"configurable": {"thread_id": "t"}}, [("x", 1)], "t", "",
                        ttl_ms=None)
