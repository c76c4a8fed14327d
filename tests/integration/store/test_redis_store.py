"""The Redis `BaseStore` on real Redis: put/get/delete, TTL, search, namespaces, size limit (issue 15)."""

from __future__ import annotations

import time

import pytest
import redis
import redis.asyncio as aioredis

from store import RedisStore, ValueTooLarge


@pytest.fixture
def stores(redis_url, redis_prefix):
    sync = RedisStore(client=redis.Redis.from_url(redis_url), prefix=redis_prefix, max_value_bytes=200)
    yield sync, RedisStore(aclient=aioredis.Redis.from_url(redis_url), prefix=redis_prefix, max_value_bytes=200)
    sync.client.close()


def test_put_get_update_keeps_created_at_and_delete_removes_the_item(stores):
    store, _ = stores
    ns = ("users", "trader_aruna", "memories")
    store.put(ns, "session", {"text": "London session only"})
    first = store.get(ns, "session")
    assert first.value == {"text": "London session only"} and first.namespace == ns
    time.sleep(0.01)
    store.put(ns, "session", {"text": "New York too"})
    second = store.get(ns, "session")
    assert second.value == {"text": "New York too"}
    assert second.created_at == first.created_at and second.updated_at > first.updated_at
    store.delete(ns, "session")
    assert store.get(ns, "session") is None
    assert store.list_namespaces() == []


def test_ttl_expires_the_item_and_search_forgets_it(stores, redis_url, redis_prefix):
    store, _ = stores
    ns = ("users", "trader_li")
    store.put(ns, "short", {"a": 1}, ttl=1)
    key = store._item_key(ns, "short")
    assert 55 <= redis.Redis.from_url(redis_url).ttl(key) <= 60
    redis.Redis.from_url(redis_url).delete(key)  # what expiry does, without waiting a minute
    assert store.search(ns) == []
    assert redis.Redis.from_url(redis_url).zcard(store._ns_key(ns)) == 0


def test_search_by_prefix_filter_limit_offset_and_keywords(stores):
    store, _ = stores
    for i in range(5):
        store.put(("users", "u1", "memories"), f"k{i}", {"kind": "fact" if i % 2 else "preference", "n": i,
                                                         "text": f"item number {i}"})
    store.put(("users", "u10"), "other", {"kind": "fact", "n": 99, "text": "someone else"})
    under_u1 = store.search(("users", "u1"), limit=100)
    assert sorted(i.key for i in under_u1) == ["k0", "k1", "k2", "k3", "k4"]  # not u10 (label prefix, not text)
    facts = store.search(("users", "u1"), filter={"kind": "fact"}, limit=100)
    assert sorted(i.value["n"] for i in facts) == [1, 3]
    big = store.search(("users",), filter={"n": {"$gte": 3}}, limit=100)
    assert sorted(i.value["n"] for i in big) == [3, 4, 99]
    page = store.search(("users", "u1"), limit=2, offset=1)
    assert [i.key for i in page] == [i.key for i in under_u1][1:3]
    hits = store.search(("users",), query="someone else")
    assert [i.key for i in hits] == ["other"] and hits[0].score == 1.0


def test_list_namespaces_with_prefix_suffix_and_depth(stores):
    store, _ = stores
    store.put(("users", "a", "memories"), "k", {"x": 1})
    store.put(("users", "b", "memories"), "k", {"x": 1})
    store.put(("desk", "reports"), "k", {"x": 1})
    assert store.list_namespaces(prefix=("users",)) == [("users", "a", "memories"), ("users", "b", "memories")]
    assert store.list_namespaces(suffix=("reports",)) == [("desk", "reports")]
    assert store.list_namespaces(max_depth=1) == [("desk",), ("users",)]
    assert store.list_namespaces(prefix=("users", "*", "memories"), limit=1, offset=1) == [("users", "b", "memories")]


def test_a_value_over_the_size_limit_is_refused(stores):
    store, _ = stores
    with pytest.raises(ValueTooLarge, match="limit is 200"):
        store.put(("users", "a"), "big", {"text": "x" * 500})
    assert store.get(("users", "a"), "big") is None


async def test_async_methods_share_the_same_data(stores):
    sync, store = stores
    await store.aput(("users", "a"), "k", {"v": 1})
    assert sync.get(("users", "a"), "k").value == {"v": 1}
    assert [i.key for i in await store.asearch(("users",))] == ["k"]
    await store.adelete(("users", "a"), "k")
    assert await store.aget(("users", "a"), "k") is None
