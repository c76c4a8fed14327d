"""Usage and cost accounting per provider and model, in memory or in Redis hashes shared by replicas.

Redis layout (all under the configured prefix, plain commands only):

- ``{prefix}usage:index`` — set of ``provider|model`` members seen.
- ``{prefix}usage:{provider|model}`` — hash of integer counters: ``requests``, ``successes``,
  ``failures:<kind>``, ``fallbacks``, ``cache_hits``, ``input_tokens``, ``output_tokens``,
  ``cost_nanos`` (cost in nano-dollars, so HINCRBY keeps totals exact).
- ``{prefix}latency:{provider|model}`` — list of the last ``LATENCY_SAMPLES`` latencies in ms.
"""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Protocol

from langchain_core.messages import AIMessage

from llm.prices import NANOS_PER_USD, PriceTable
from llm.reports import ModelUsage, percentile

LATENCY_SAMPLES = 1000

Counters = dict[str, int]


class UsageStore(Protocol):
    """Where counters and latency samples live."""

    kind: str

    def incr(self, provider: str, model: str, fields: Mapping[str, int]) -> None:
        """Add ``fields`` to the counters of one provider and model."""
        ...

    def add_latency(self, provider: str, model: str, ms: float) -> None:
        """Record one latency sample."""
        ...

    def snapshot(self) -> dict[tuple[str, str], tuple[Counters, list[float]]]:
        """Return every (provider, model) with its counters and latency samples."""
        ...


class MemoryUsageStore:
    """Counters in this process only."""

    kind = "memory"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counters: dict[tuple[str, str], Counters] = defaultdict(lambda: defaultdict(int))
        self._latency: dict[tuple[str, str], deque[float]] = defaultdict(lambda: deque(maxlen=LATENCY_SAMPLES))

    def incr(self, provider: str, model: str, fields: Mapping[str, int]) -> None:
        """Add ``fields`` to the counters of one provider and model."""
        with self._lock:
            counters = self._counters[(provider, model)]
            for name, value in fields.items():
                counters[name] += value

    def add_latency(self, provider: str, model: str, ms: float) -> None:
        """Record one latency sample."""
        with self._lock:
            self._latency[(provider, model)].append(ms)

    def snapshot(self) -> dict[tuple[str, str], tuple[Counters, list[float]]]:
        """Return every (provider, model) with its counters and latency samples."""
        with self._lock:
            keys = set(self._counters) | set(self._latency)
            return {k: (dict(self._counters.get(k, {})), list(self._latency.get(k, ()))) for k in keys}


class RedisUsageStore:
    """Counters in Redis hashes, so every replica adds to and reads the same totals."""

    kind = "redis"

    def __init__(self, client: Any, prefix: str) -> None:
        self._client = client
        self._prefix = prefix

    def _member(self, provider: str, model: str) -> str:
        return f"{provider}|{model}"

    def incr(self, provider: str, model: str, fields: Mapping[str, int]) -> None:
        """Add ``fields`` to the counters of one provider and model."""
        member = self._member(provider, model)
        pipe = self._client.pipeline(transaction=False)
        pipe.sadd(f"{self._prefix}usage:index", member)
        for name, value in fields.items():
            pipe.hincrby(f"{self._prefix}usage:{member}", name, value)
        pipe.execute()

    def add_latency(self, provider: str, model: str, ms: float) -> None:
        """Record one latency sample (the list is trimmed to the newest ``LATENCY_SAMPLES``)."""
        member = self._member(provider, model)
        key = f"{self._prefix}latency:{member}"
        pipe = self._client.pipeline(transaction=False)
        pipe.sadd(f"{self._prefix}usage:index", member)
        pipe.lpush(key, f"{ms:.3f}")
        pipe.ltrim(key, 0, LATENCY_SAMPLES - 1)
        pipe.execute()

    def snapshot(self) -> dict[tuple[str, str], tuple[Counters, list[float]]]:
        """Return every (provider, model) with its counters and latency samples."""
        members = sorted(m.decode() if isinstance(m, bytes) else m
                         for m in self._client.smembers(f"{self._prefix}usage:index"))
        pipe = self._client.pipeline(transaction=False)
        for member in members:
            pipe.hgetall(f"{self._prefix}usage:{member}")
            pipe.lrange(f"{self._prefix}latency:{member}", 0, -1)
        replies = pipe.execute()
        out = {}
        for i, member in enumerate(members):
            counters = {_text(k): int(v) for k, v in replies[2 * i].items()}
            samples = [float(v) for v in replies[2 * i + 1]]
            provider, _, model = member.partition("|")
            out[(provider, model)] = (counters, samples)
        return out


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class UsageRecorder:
    """Turns chain events into counter increments; reads them back as ``ModelUsage`` rows."""

    def __init__(self, store: UsageStore, prices: PriceTable) -> None:
        self.store = store
        self.prices = prices

    def attempt(self, provider: str, model: str) -> None:
        """Count a request sent to a provider."""
        self.store.incr(provider, model, {"requests": 1})

    def success(self, provider: str, model: str, message: AIMessage, latency_s: float) -> None:
        """Count a success with its tokens (from ``usage_metadata``), cost and latency."""
        usage = message.usage_metadata or {}
        input_tokens = int(usage.get("input_tokens", 0))
        output_tokens = int(usage.get("output_tokens", 0))
        self.store.incr(provider, model, {
            "successes": 1, "input_tokens": input_tokens, "output_tokens": output_tokens,
            "cost_nanos": self.prices.cost_nanos(model, input_tokens, output_tokens),
        })
        self.store.add_latency(provider, model, latency_s * 1000)

    def cache_hit(self, provider: str, model: str) -> None:
        """Count an answer served from the response cache (no tokens spent, no request sent)."""
        self.store.incr(provider, model, {"cache_hits": 1})

    def failure(self, provider: str, model: str, kind: str) -> None:
        """Count a failure (or a skip: ``breaker_open``, ``no_key``) by kind."""
        self.store.incr(provider, model, {f"failures:{kind}": 1})

    def fallback(self, provider: str, model: str) -> None:
        """Count a call that left this provider for the next link."""
        self.store.incr(provider, model, {"fallbacks": 1})

    def rows(self) -> list[ModelUsage]:
        """Return one ``ModelUsage`` per provider and model seen, sorted by provider then model."""
        rows = []
        for (provider, model), (counters, samples) in sorted(self.store.snapshot().items()):
            rows.append(ModelUsage(
                provider=provider, model=model,
                requests=counters.get("requests", 0), successes=counters.get("successes", 0),
                failures={k.split(":", 1)[1]: v for k, v in counters.items() if k.startswith("failures:")},
                fallbacks=counters.get("fallbacks", 0), cache_hits=counters.get("cache_hits", 0),
                input_tokens=counters.get("input_tokens", 0), output_tokens=counters.get("output_tokens", 0),
                cost_usd=Decimal(counters.get("cost_nanos", 0)) / NANOS_PER_USD,
                latency_p50_ms=percentile(samples, 50), latency_p95_ms=percentile(samples, 95),
            ))
        return rows
