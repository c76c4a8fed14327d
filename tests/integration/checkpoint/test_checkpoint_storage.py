"""Storage behaviour of the Redis saver: TTL, encryption, delta lists, prune, errors, key prefix."""

from __future__ import annotations

import asyncio
import os
import socket
import time
from typing import Annotated, TypedDict

import pytest
import redis
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.channels.delta import DeltaChannel
from langgraph.checkpoint.base import empty_checkpoint
from langgraph.checkpoint.serde.encrypted import EncryptedSerializer
from langgraph.graph import END, START, StateGraph

from checkpoint import AsyncRedisSaver, CheckpointCorrupted, CheckpointStoreUnavailable, RedisSaver


def _cp(values: dict, versions: dict) -> dict:
    cp = empty_checkpoint()
    cp["channel_values"] = values
    cp["channel_versions"] = versions
    return cp


def _root(thread: str = "t") -> dict:
    return {"configurable": {"thread_id": thread, "checkpoint_ns": ""}}


def _grow(saver, thread: str, turns: int, *, big: int = 500) -> list[dict]:
    """Put ``turns`` checkpoints whose "messages" list grows by the same objects, like add_messages."""
    messages: list = []
    configs = []
    parent = _root(thread)
    version = None
    for i in range(turns):
        messages = [*messages, HumanMessage(f"q{i} " + "x" * big, id=f"h{i}")]
        version = saver.get_next_version(version, None)
        cp = _cp({"messages": messages, "step": i}, {"messages": version, "step": version})
        parent = saver.put(parent, cp, {"source": "loop", "step": i}, {"messages": version, "step": version})
        configs.append(parent)
    return configs


class _AesGcm:
    """A real cipher for EncryptedSerializer (AES-GCM from `cryptography`)."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def encrypt(self, plaintext: bytes) -> tuple[str, bytes]:
        nonce = os.urandom(12)
        return "aesgcm", nonce + self._aead.encrypt(nonce, plaintext, None)

    def decrypt(self, ciphername: str, ciphertext: bytes) -> bytes:
        assert ciphername == "aesgcm"
        return self._aead.decrypt(ciphertext[:12], ciphertext[12:], None)


def _all_stored_bytes(client: redis.Redis, prefix: str) -> bytes:
    out = []
    for key in client.scan_iter(match=f"{prefix}*"):
        kind = client.type(key)
        if kind == b"hash":
            out += [k + v for k, v in client.hgetall(key).items()]
        elif kind == b"zset":
            out += client.zrange(key, 0, -1)
        elif kind == b"set":
            out += list(client.smembers(key))
    return b"".join(out)


@pytest.mark.slow
def test_ttl_applies_to_every_key_of_the_thread_and_is_refreshed_on_write(redis_url, redis_prefix):
    with RedisSaver.from_conn_string(redis_url, prefix=redis_prefix, ttl=1.5) as saver:
        first = saver.put(_root(), _cp({"a": 1}, {"a": 1}), {"run_id": "r1", "step": -1}, {"a": 1})
        saver.put_writes(first, [("a", 2)], "task")
        keys = saver.layout.thread("t")
        ttls = [saver.client.pttl(k) for k in (*keys, saver.layout.run("r1"))]
        assert all(0 < t <= 1500 for t in ttls), ttls

        time.sleep(0.8)
        saver.put(first, _cp({"a": 3}, {"a": 2}), {"step": 0}, {"a": 2})
        refreshed = [saver.client.pttl(k) for k in keys]
        assert all(t > 1000 for t in refreshed), refreshed  # wix/w too, though this put wrote none

        time.sleep(1.7)
        assert saver.get_tuple(_root()) is None
        assert saver.client.exists(*keys) == 0


def test_encrypted_serializer_stores_no_plaintext_and_round_trips(redis_url, redis_prefix, redis_client):
    serde = EncryptedSerializer(_AesGcm(AESGCM.generate_key(bit_length=256)))
    with RedisSaver.from_conn_string(redis_url, prefix=redis_prefix, serde=serde) as saver:
        first = saver.put(_root(), _cp({"book": ["SECRET-FX-EM-1"]}, {"book": 1}),
                          {"source": "input", "step": -1, "customer": "SECRET-Cust310"}, {"book": 1})
        grown = saver.put(first, _cp({"book": [*saver.get_tuple(first).checkpoint["channel_values"]["book"],
                                               "SECRET-FX-EM-2"]}, {"book": 2}), {"step": 0}, {"book": 2})
        saver.put_writes(grown, [("book", "SECRET-WRITE")], "task")

        stored = _all_stored_bytes(redis_client, redis_prefix)
        assert b"SECRET" not in stored
        assert saver.client.hget(saver.layout.thread("t").blob, "\x00book\x002")[:1] == b"D"  # delta, encrypted

        tup = saver.get_tuple(_root())
        assert tup.checkpoint["channel_values"] == {"book": ["SECRET-FX-EM-1", "SECRET-FX-EM-2"]}
        assert tup.pending_writes == [("task", "book", "SECRET-WRITE")]
        found = list(saver.list(_root(), filter={"customer": "SECRET-Cust310"}))
        assert [t.config["configurable"]["checkpoint_id"] for t in found] == [first["configurable"]["checkpoint_id"]]

    with RedisSaver.from_conn_string(redis_url, prefix=redis_prefix) as plain, pytest.raises(NotImplementedError):
        plain.get_tuple(_root())


def test_grown_list_is_stored_as_delta_and_read_back_by_a_fresh_process(redis_url, redis_prefix):
    with RedisSaver.from_conn_string(redis_url, prefix=redis_prefix) as saver:
        configs = _grow(saver, "t", 4)
        fields = saver.client.hgetall(saver.layout.thread("t").blob)
        msg_blobs = [v for k, v in fields.items() if b"\x00messages\x00" in k]
        assert sorted(b[:1] for b in msg_blobs) == [b"D", b"D", b"D", b"F"]

    with RedisSaver.from_conn_string(redis_url, prefix=redis_prefix) as fresh:  # empty delta cache
        for i, config in enumerate(configs):
            values = fresh.get_tuple(config).checkpoint["channel_values"]
            assert [m.id for m in values["messages"]] == [f"h{j}" for j in range(i + 1)]
            assert values["step"] == i


def test_bytes_per_checkpoint_do_not_grow_with_history(redis_url, redis_prefix):
    with RedisSaver.from_conn_string(redis_url, prefix=redis_prefix) as saver:
        sizes = []
        messages: list = []
        parent, version = _root(), None
        for i in range(50):
            messages = [*messages, AIMessage("y" * 500, id=f"a{i}")]
            version = saver.get_next_version(version, None)
            parent = saver.put(parent, _cp({"messages": messages}, {"messages": version}), {"step": i},
                               {"messages": version})
            sizes.append(saver.stats.last_checkpoint_bytes)
        # Turn 50 carries the same one new message as turn 5; a full rewrite would be ~10x bigger.
        assert sizes[49] < sizes[4] * 1.2
        assert sizes[0] < sizes[49] * 1.5


def test_replacing_an_earlier_item_writes_a_full_blob(redis_url, redis_prefix):
    with RedisSaver.from_conn_string(redis_url, prefix=redis_prefix) as saver:
        a, b = HumanMessage("a", id="1"), HumanMessage("b", id="2")
        first = saver.put(_root(), _cp({"m": [a, b]}, {"m": 1}), {}, {"m": 1})
        second = saver.put(first, _cp({"m": [a, HumanMessage("B", id="2")]}, {"m": 2}), {}, {"m": 2})
        blob = saver.client.hget(saver.layout.thread("t").blob, "\x00m\x002")
        assert blob[:1] == b"F"
        assert [m.content for m in saver.get_tuple(second).checkpoint["channel_values"]["m"]] == ["a", "B"]


def test_missing_delta_base_is_reported_not_silently_truncated(redis_url, redis_prefix):
    with RedisSaver.from_conn_string(redis_url, prefix=redis_prefix) as saver:
        configs = _grow(saver, "t", 2)
        blob_key = saver.layout.thread("t").blob
        full = [k for k, v in saver.client.hgetall(blob_key).items() if v[:1] == b"F" and b"messages" in k]
        saver.client.hdel(blob_key, *full)
        with pytest.raises(CheckpointCorrupted):
            saver.get_tuple(configs[-1])


def test_prune_keep_latest_keeps_the_delta_chain_and_drops_dead_blobs(redis_url, redis_prefix):
    with RedisSaver.from_conn_string(redis_url, prefix=redis_prefix) as saver:
        configs = _grow(saver, "t", 5)
        saver.put_writes(configs[1], [("x", 1)], "old-task")
        blob_key = saver.layout.thread("t").blob
        assert saver.client.hlen(blob_key) == 10  # 5 message links + 5 "step" values
        saver.prune(["t"])
        remaining = saver.client.hkeys(blob_key)
        # The latest message blob needs its 4 ancestors; only the latest "step" value survives.
        assert len(remaining) == 6 and sum(b"\x00step\x00" in k for k in remaining) == 1
        assert saver.client.hlen(saver.layout.thread("t").w) == 0
        tup = saver.get_tuple(_root())
        assert tup.config == configs[-1] and len(tup.checkpoint["channel_values"]["messages"]) == 5
        assert [t.config for t in saver.list(_root())] == [configs[-1]]


def test_setup_on_unreachable_redis_names_the_url_without_password():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"redis://:hunter2@127.0.0.1:{port}/0"
    with pytest.raises(CheckpointStoreUnavailable) as err:
        with RedisSaver.from_conn_string(url):
            pass
    assert f"127.0.0.1:{port}" in str(err.value) and "hunter2" not in str(err.value)

    async def enter() -> None:
        async with AsyncRedisSaver.from_conn_string(url):
            pass

    with pytest.raises(CheckpointStoreUnavailable, match=f"127.0.0.1:{port}"):
        asyncio.run(enter())


def test_client_that_decodes_responses_is_rejected(redis_url):
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    with pytest.raises(ValueError, match="decode_responses"):
        RedisSaver(client)
    client.close()


def test_savers_with_different_prefixes_do_not_see_each_other(redis_url, redis_prefix):
    with RedisSaver.from_conn_string(redis_url, prefix=redis_prefix + "a:") as a, \
            RedisSaver.from_conn_string(redis_url, prefix=redis_prefix + "b:") as b:
        a.put(_root(), _cp({"v": "A"}, {"v": 1}), {}, {"v": 1})
        assert b.get_tuple(_root()) is None
        assert list(b.list(None)) == []
        assert [t.checkpoint["channel_values"] for t in a.list(None)] == [{"v": "A"}]


async def test_async_saver_sync_methods_work_from_another_thread(redis_url, redis_prefix):
    async with AsyncRedisSaver.from_conn_string(redis_url, prefix=redis_prefix) as saver:
        stored = await saver.aput(_root(), _cp({"v": 1}, {"v": 1}), {"step": -1}, {"v": 1})
        tup = await asyncio.to_thread(saver.get_tuple, _root())
        assert tup.config == stored
        with pytest.raises(asyncio.InvalidStateError):
            saver.get_tuple(_root())


def _extend(state: list | None, writes: list) -> list:
    out = list(state or [])
    for w in writes:
        out.extend(w)
    return out


class _DeltaState(TypedDict):
    log: Annotated[list, DeltaChannel(_extend, snapshot_frequency=3)]


async def test_delta_channel_state_is_rebuilt_from_ancestor_writes(redis_url, redis_prefix):
    """LangGraph's beta DeltaChannel stores sentinels and replays writes through get_tuple's parents."""
    builder = StateGraph(_DeltaState)
    builder.add_node("echo", lambda s: {"log": [f"echo {len(s['log'])}"]})
    builder.add_edge(START, "echo")
    builder.add_edge("echo", END)
    config = {"configurable": {"thread_id": "delta-channel"}}
    async with AsyncRedisSaver.from_conn_string(redis_url, prefix=redis_prefix) as saver:
        graph = builder.compile(checkpointer=saver)
        for i in range(5):
            await graph.ainvoke({"log": [f"in {i}"]}, config)
    async with AsyncRedisSaver.from_conn_string(redis_url, prefix=redis_prefix) as fresh:
        state = await builder.compile(checkpointer=fresh).aget_state(config)
    assert state.values["log"] == [x for i in range(5) for x in (f"in {i}", f"echo {2 * i + 1}")]


async def test_setup_is_idempotent_and_keeps_data(redis_url, redis_prefix):
    with RedisSaver.from_conn_string(redis_url, prefix=redis_prefix) as saver:
        stored = saver.put(_root(), _cp({"v": 1}, {"v": 1}), {}, {"v": 1})
        saver.setup()
        await saver.asetup()
        assert saver.get_tuple(_root()).config == stored
    async with AsyncRedisSaver.from_conn_string(redis_url, prefix=redis_prefix) as asaver:
        await asaver.asetup()
        assert (await asaver.aget_tuple(_root())).config == stored
