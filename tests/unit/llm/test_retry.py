import random

from llm.retry import RetryPolicy


def test_backoff_is_jittered_within_the_exponential_bound():
    policy = RetryPolicy(base=0.5, cap=3.0, rng=random.Random(7))
    for attempt, bound in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 3.0), (6, 3.0)]:
        waits = [policy.backoff(attempt) for _ in range(200)]
        assert all(0 <= w <= bound for w in waits)
        assert max(waits) > bound * 0.8  # jitter spreads over the whole interval


def test_backoff_is_never_shorter_than_retry_after():
    policy = RetryPolicy(base=0.1, cap=0.2, rng=random.Random(1))
    assert all(policy.backoff(0, retry_after=2.5) == 2.5 for _ in range(50))
