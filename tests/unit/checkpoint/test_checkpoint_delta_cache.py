"""The list-delta cache: identity prefixes only, bounded depth, bounded size, per-thread forgetting."""

from __future__ import annotations

from checkpoint._delta import ListDeltaCache, Remembered


def test_extension_by_the_same_objects_is_planned_as_a_suffix():
    cache = ListDeltaCache()
    a, b, c = object(), object(), object()
    cache.remember("t", "", "m", Remembered("f1", (a, b), depth=3))
    plan = cache.plan("t", "", "m", [a, b, c])
    assert plan.base_field == "f1" and plan.suffix == [c] and plan.depth == 4


def test_equal_but_not_identical_prefix_or_shrinking_list_gets_no_delta():
    cache = ListDeltaCache()
    cache.remember("t", "", "m", Remembered("f1", ("x" * 3000,), depth=0))
    assert cache.plan("t", "", "m", ["".join(["x"] * 3000), 2]) is None  # equal, but a new object
    assert cache.plan("t", "", "m", ["x"]) is None
    assert cache.plan("t", "", "m", ("not", "a", "list")) is None
    assert cache.plan("other", "", "m", []) is None


def test_chain_depth_limit_forces_a_full_blob():
    cache = ListDeltaCache(max_depth=2)
    a = object()
    cache.remember("t", "", "m", Remembered("f", (a,), depth=2))
    assert cache.plan("t", "", "m", [a, object()]) is None


def test_cache_is_bounded_and_forgets_a_whole_thread():
    cache = ListDeltaCache(max_entries=2)
    a = object()
    for key in ("t1", "t2", "t3"):
        cache.remember(key, "", "m", Remembered("f", (a,), 0))
    assert cache.plan("t1", "", "m", [a]) is None and cache.plan("t3", "", "m", [a]) is not None
    cache.forget_thread("t3")
    assert cache.plan("t3", "", "m", [a]) is None and cache.plan("t2", "", "m", [a]) is not None
