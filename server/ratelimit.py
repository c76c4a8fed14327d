"""Per-user rate limit shared by every replica: GCRA in one Lua call on Redis, clocked by Redis itself.

GCRA (the generic cell rate algorithm) keeps one number per user, the theoretical arrival time
(TAT). A request is allowed when it would not push the TAT more than the burst tolerance past
now; otherwise the caller learns exactly how long to wait. Using Redis ``TIME`` means replicas
with skewed clocks still agree.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from redis.asyncio import Redis

_GCRA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local cost = tonumber(ARGV[3] or 1)
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + interval * cost
local allow_at = new_tat - tolerance
if allow_at > now then
  return {0, allow_at - now}
end
redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil((new_tat - now) / 1000) + 1)
return {1, 0}
"""

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(second|sec|s|minute|min|m|hour|h)\s*$")
_PERIOD_US = {"second": 1e6, "sec": 1e6, "s": 1e6, "minute": 6e7, "min": 6e7, "m": 6e7, "hour": 3.6e9, "h": 3.6e9}


@dataclass(frozen=True)
class RateDecision:
    """Whether one request may go ahead, and if not, after how many seconds to retry."""

    allowed: bool
    retry_after_s: float = 0.0

    @property
    def retry_after_header(self) -> str:
        """The whole seconds to put in a ``Retry-After`` header (at least 1)."""
        return str(max(1, math.ceil(self.retry_after_s)))


@dataclass(frozen=True)
class Rate:
    """``count`` requests per ``period_us`` microseconds, with up to ``burst`` at once."""

    count: int
    period_us: float
    burst: int

    @classmethod
    def parse(cls, text: str, burst: int | None = None) -> Rate:
        """Read "60/minute", "5/s", "1000/hour"; ``burst`` defaults to the count, capped at 20."""
        match = _RATE.match(text or "")
        if not match or int(match[1]) <= 0:
            raise ValueError(f"Cannot read the rate {text!r}: write it like '60/minute' or '5/second'.")
        count = int(match[1])
        return cls(count, _PERIOD_US[match[2]], burst or min(count, 20))

    @property
    def interval_us(self) -> float:
        """Microseconds between requests at the steady rate."""
        return self.period_us / self.count


class RateLimiter:
    """Checks one user's request against the shared limit; one Redis round trip per check.

    ``name`` keeps separate budgets apart (``panel``, ``anonymous``); the default one is the run limit.
    """

    def __init__(self, client: Redis, rate: Rate, *, prefix: str = "fxdesk:", name: str = ""):
        self._client = client
        self._rate = rate
        self._prefix = f"{prefix}ratelimit:{name + ':' if name else ''}"
        self._script = client.register_script(_GCRA)

    @property
    def rate(self) -> Rate:
        """The rate this limiter enforces."""
        return self._rate

    async def check(self, user_id: str, cost: int = 1) -> RateDecision:
        """Count this request for ``user_id`` as ``cost`` units and say whether it is allowed.

        A cost above the burst is charged as the burst, so an expensive request waits its turn but
        is never refused forever.
        """
        interval = self._rate.interval_us
        tolerance = interval * self._rate.burst
        cost = max(1, min(int(cost), self._rate.burst))
        allowed, wait_us = await self._script(keys=[f"{self._prefix}{{{user_id}}}"],
                                              args=[int(interval), int(tolerance), cost])
        return RateDecision(bool(allowed), float(wait_us) / 1e6)
