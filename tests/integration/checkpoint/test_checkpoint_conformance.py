"""The LangGraph checkpoint conformance suite against our Redis savers (async and sync)."""

from __future__ import annotations

from langgraph.checkpoint.conformance import checkpointer_test, validate
from langgraph.checkpoint.conformance.capabilities import ALL_CAPABILITIES, EXTENDED_CAPABILITIES
from langgraph.checkpoint.conformance.report import CapabilityReport

from checkpoint import AsyncRedisSaver, RedisSaver


def _assert_full(report: CapabilityReport) -> None:
    failures = {name: r.failures for name, r in report.results.items() if r.failures}
    assert not failures, failures
    assert report.conformance_level() == "FULL"
    assert {c.value for c in ALL_CAPABILITIES} == {n for n, r in report.results.items() if r.detected}
    for cap in EXTENDED_CAPABILITIES:
        result = report.results[cap.value]
        assert result.detected and result.passed is True and result.tests_passed > 0, cap


async def test_async_saver_passes_every_conformance_capability(redis_url: str, redis_prefix: str) -> None:
    @checkpointer_test(name="AsyncRedisSaver")
    async def factory():
        async with AsyncRedisSaver.from_conn_string(redis_url, prefix=redis_prefix) as saver:
            yield saver

    _assert_full(await validate(factory))


async def test_sync_saver_passes_every_conformance_capability(redis_url: str, redis_prefix: str) -> None:
    """The sync API, driven through RedisSaver's executor-backed async methods."""

    @checkpointer_test(name="RedisSaver")
    async def factory():
        with RedisSaver.from_conn_string(redis_url, prefix=redis_prefix) as saver:
            yield saver

    _assert_full(await validate(factory))


async def test_async_saver_with_ttl_passes_conformance(redis_url: str, redis_prefix: str) -> None:
    """TTL adds PEXPIRE commands to every write: they must not change behaviour."""

    @checkpointer_test(name="AsyncRedisSaver+ttl")
    async def factory():
        async with AsyncRedisSaver.from_conn_string(redis_url, prefix=redis_prefix, ttl=300) as saver:
            yield saver

    _assert_full(await validate(factory))
