"""Pydantic answers of the provider API the server exposes: providers, health, usage."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from llm.breaker import BreakerState


def percentile(samples: Sequence[float], q: float) -> float | None:
    """Return the nearest-rank ``q``-th percentile (0 < q <= 100) of ``samples``, ``None`` if empty."""
    if not samples:
        return None
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


class ProviderInfo(BaseModel):
    """One link of the chain as configured."""

    name: str
    provider: str = Field(description="openai, groq, bedrock or offline")
    model: str
    position: int = Field(description="0 is tried first")
    configured: bool = Field(description="False when no key is set: the link is skipped")
    keys: int = Field(description="API keys in rotation")
    base_url: str | None = None
    breaker: BreakerState


class ProviderHealth(BaseModel):
    """Live health of one link in this process."""

    name: str
    status: Literal["up", "degraded", "down", "unconfigured"]
    breaker: BreakerState
    consecutive_failures: int
    keys_total: int
    keys_cooling: list[str] = Field(description="fingerprints of keys sitting out a 401/403/429")
    last_error: str | None = None


class ModelUsage(BaseModel):
    """Counters of one provider and model (shared by all replicas when Redis is configured)."""

    provider: str
    model: str
    requests: int = 0
    successes: int = 0
    failures: dict[str, int] = Field(default_factory=dict, description="by kind, e.g. timeout: 2")
    fallbacks: int = Field(0, description="calls that left this link for the next one")
    cache_hits: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: Decimal = Decimal(0)
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None
    breaker: BreakerState | None = None


class CacheStats(BaseModel):
    """Response-cache counters."""

    hits: int = 0
    misses: int = 0


class UsageReport(BaseModel):
    """Usage and cost of every provider and model, plus totals."""

    store: Literal["memory", "redis"]
    models: list[ModelUsage]
    requests: int
    input_tokens: int
    output_tokens: int
    cost_usd: Decimal
    cache: CacheStats | None = None
