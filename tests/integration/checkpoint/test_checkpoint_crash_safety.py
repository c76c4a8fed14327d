"""A checkpoint is visible only when every part is written: dropped connections leave nothing behind."""

from __future__ import annotations

import pytest
import redis
from langgraph.checkpoint.base import empty_checkpoint
from redis.connection import Connection

from checkpoint import AsyncRedisSaver, CheckpointStoreUnavailable, RedisSaver, build_async_client, build_client
from checkpoint._plans import plan_put

EXEC = b"*1\r\n$4\r\nEXEC\r\n"


def _checkpoint(values: dict, versions: dict) -> dict:
    cp = empty_checkpoint()
    cp["channel_values"] = values
    cp["channel_versions"] = versions
    return cp


def _put_first(saver) -> dict:
    config = {"configurable": {"thread_id": "t", "checkpoint_ns": ""}}
    return saver.put(config, _checkpoint({"a": "one"}, {"a": 1}), {"source": "input", "step": -1}, {"a": 1})


def _drop_before_exec(monkeypatch, times: int) -> list[int]:
    """Make the next ``times`` transactions lose their connection after MULTI..commands, before EXEC."""
    original = Connection.send_packed_command
    dropped = []

    def send(self, command, check_health=True):
        data = b"".join(command) if isinstance(command, list) else command
        if len(dropped) < times and isinstance(data, bytes) and data.endswith(EXEC):
            original(self, [data[: -len(EXEC)]], check_health)
            dropped.append(1)
            self.disconnect()
            raise redis.ConnectionError("connection dropped before EXEC")
        return original(self, command, check_health)

    monkeypatch.setattr(Connection, "send_packed_command", send)
    return dropped


def test_put_whose_exec_never_arrives_leaves_no_trace(redis_url, redis_prefix, monkeypatch):
    saver = RedisSaver(build_client(redis_url, retries=0), prefix=redis_prefix)
    saver.setup()
    first = _put_first(saver)
    keys = saver.layout.thread("t")
    blob_fields_before = saver.client.hkeys(keys.blob)

    dropped = _drop_before_exec(monkeypatch, times=1)
    second = _checkpoint({"a": "two", "b": "new"}, {"a": 2, "b": 1})
    with pytest.raises(CheckpointStoreUnavailable, match="127.0.0.1"):
        saver.put(first, second, {"source": "loop", "step": 0}, {"a": 2, "b": 1})
    assert dropped == [1]

    latest = saver.get_tuple({"configurable": {"thread_id": "t", "checkpoint_ns": ""}})
    assert latest.checkpoint["id"] == first["configurable"]["checkpoint_id"]
    assert latest.checkpoint["channel_values"] == {"a": "one"}
    assert [t.checkpoint["id"] for t in saver.list(None)] == [first["configurable"]["checkpoint_id"]]
    assert saver.client.hkeys(keys.blob) == blob_fields_before
    assert saver.client.hlen(keys.cp) == 1
    saver.client.close()


def test_transient_disconnect_is_retried_and_the_checkpoint_is_complete(redis_url, redis_prefix, monkeypatch):
    with RedisSaver.from_conn_string(redis_url, prefix=redis_prefix) as saver:
        first = _put_first(saver)
        dropped = _drop_before_exec(monkeypatch, times=2)
        second = _checkpoint({"a": "two", "b": "new"}, {"a": 2, "b": 1})
        stored = saver.put(first, second, {"source": "loop", "step": 0}, {"a": 2, "b": 1})
        assert dropped == [1, 1]
        tup = saver.get_tuple(stored)
        assert tup.checkpoint["channel_values"] == {"a": "two", "b": "new"}
        assert tup.parent_config["configurable"]["checkpoint_id"] == first["configurable"]["checkpoint_id"]


def test_put_writes_whose_exec_never_arrives_stores_no_write(redis_url, redis_prefix, monkeypatch):
    saver = RedisSaver(build_client(redis_url, retries=0), prefix=redis_prefix)
    first = _put_first(saver)
    _drop_before_exec(monkeypatch, times=1)
    with pytest.raises(redis.ConnectionError):
        saver.put_writes(first, [("a", "x"), ("b", "y")], "task-1")
    assert saver.get_tuple(first).pending_writes == []
    saver.put_writes(first, [("a", "x"), ("b", "y")], "task-1")
    assert saver.get_tuple(first).pending_writes == [("task-1", "a", "x"), ("task-1", "b", "y")]
    saver.client.close()


async def test_client_killed_mid_transaction_leaves_no_partial_checkpoint(redis_url, redis_prefix):
    async with AsyncRedisSaver.from_conn_string(redis_url, prefix=redis_prefix) as saver:
        config = {"configurable": {"thread_id": "t", "checkpoint_ns": ""}}
        first = await saver.aput(config, _checkpoint({"a": "one"}, {"a": 1}), {"step": -1}, {"a": 1})
        keys = saver.layout.thread("t")

        # Queue a whole put inside MULTI on a raw connection, then kill that client before EXEC.
        plan, _ = plan_put(saver.layout, saver.serde, first, _checkpoint({"a": "two"}, {"a": 2}),
                           {"step": 0}, {"a": 2}, ttl_ms=None, cache=None, run_index_in_transaction=True)
        raw = Connection(host="127.0.0.1", port=int(redis_url.rsplit(":", 1)[1].split("/")[0]))
        raw.send_command("CLIENT", "ID")
        client_id = raw.read_response()
        raw.send_command("MULTI")
        assert raw.read_response() == b"OK"
        for cmd in plan.commands:
            raw.send_command(*cmd)
            assert raw.read_response() == b"QUEUED"
        killer = redis.Redis.from_url(redis_url)
        assert killer.client_kill_filter(_id=client_id) == 1
        killer.close()
        raw.disconnect()

        latest = await saver.aget_tuple(config)
        assert latest.checkpoint["id"] == first["configurable"]["checkpoint_id"]
        assert latest.checkpoint["channel_values"] == {"a": "one"}
        assert await saver.client.hlen(keys.blob) == 1
        assert await saver.client.zcard(keys.idx) == 1


def _kill_named(redis_url: str, name: str) -> int:
    admin = redis.Redis.from_url(redis_url)
    ids = [c["id"] for c in admin.client_list() if c.get("name") == name]
    for client_id in ids:
        admin.client_kill_filter(_id=client_id)
    admin.close()
    return len(ids)


async def test_async_saver_reconnects_after_its_connections_are_killed(redis_url, redis_prefix):
    name = f"cp-kill-{redis_prefix.split(':')[1][:8]}"
    saver = AsyncRedisSaver(build_async_client(redis_url, client_name=name), prefix=redis_prefix)
    await saver.asetup()
    config = {"configurable": {"thread_id": "t", "checkpoint_ns": ""}}
    first = await saver.aput(config, _checkpoint({"a": "one"}, {"a": 1}), {"step": -1}, {"a": 1})
    assert _kill_named(redis_url, name) >= 1

    second = await saver.aput(first, _checkpoint({"a": "two"}, {"a": 2}), {"step": 0}, {"a": 2})
    tup = await saver.aget_tuple(config)
    assert tup.config == second and tup.checkpoint["channel_values"] == {"a": "two"}
    await saver.client.aclose()


async def test_async_saver_without_retries_raises_instead_of_losing_a_write(redis_url, redis_prefix):
    name = f"cp-noretry-{redis_prefix.split(':')[1][:8]}"
    saver = AsyncRedisSaver(build_async_client(redis_url, retries=0, client_name=name), prefix=redis_prefix)
    await saver.asetup()
    config = {"configurable": {"thread_id": "t", "checkpoint_ns": ""}}
    first = await saver.aput(config, _checkpoint({"a": "one"}, {"a": 1}), {"step": -1}, {"a": 1})
    assert _kill_named(redis_url, name) >= 1
    with pytest.raises(CheckpointStoreUnavailable, match="127.0.0.1"):
        await saver.aput(first, _checkpoint({"a": "two"}, {"a": 2}), {"step": 0}, {"a": 2})
    tup = await saver.aget_tuple(config)  # the next call reconnects
    assert tup.config == first and tup.checkpoint["channel_values"] == {"a": "one"}
    await saver.client.aclose()
