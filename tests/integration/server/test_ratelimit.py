import asyncio

import pytest
from redis.asyncio import Redis

from server.ratelimit import Rate, RateLimiter


@pytest.fixture
async def aredis(redis_url):
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


async def test_burst_is_allowed_then_the_next_request_must_wait(aredis, redis_prefix):
    limiter = RateLimiter(aredis, Rate.parse("3/minute"), prefix=redis_prefix)
    decisions = [await limiter.check("trader_aruna") for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    # 3/minute = one every 20 s; a full burst was spent, so the wait is about 20 s.
    assert 19 < decisions[-1].retry_after_s <= 20
    assert decisions[-1].retry_after_header == "20"


async def test_users_have_separate_budgets(aredis, redis_prefix):
    limiter = RateLimiter(aredis, Rate.parse("1/minute"), prefix=redis_prefix)
    assert (await limiter.check("trader_aruna")).allowed
    assert not (await limiter.check("trader_aruna")).allowed
    assert (await limiter.check("trader_li")).allowed


async def test_two_replicas_share_one_budget(aredis, redis_url, redis_prefix):
    other = Redis.from_url(redis_url)
    try:
        first = RateLimiter(aredis, Rate.parse("2/minute"), prefix=redis_prefix)
        second = RateLimiter(other, Rate.parse("2/minute"), prefix=redis_prefix)
        results = [await first.check("u"), await second.check("u"), await first.check("u")]
        assert [r.allowed for r in results] == [True, True, False]
    finally:
        await other.aclose()


async def test_budget_refills_at_the_steady_rate(aredis, redis_prefix):
    limiter = RateLimiter(aredis, Rate.parse("20/second", burst=1), prefix=redis_prefix)
    assert (await limiter.check("u")).allowed
    assert not (await limiter.check("u")).allowed
    await asyncio.sleep(0.06)  # one interval is 50 ms
    assert (await limiter.check("u")).allowed


@pytest.mark.parametrize("bad", ["", "ten per minute", "0/minute", "5/fortnight"])
def test_unreadable_rate_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="60/minute"):
        Rate.parse(bad)
