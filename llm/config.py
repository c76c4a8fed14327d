"""``load_models``: build the fallback chain from the environment (and an optional config file)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from langchain_core.caches import BaseCache
from langchain_core.language_models import BaseChatModel

from llm.breaker import CircuitBreaker
from llm.cache import RedisResponseCache
from llm.chain import ModelChain
from llm.keys import KeyRing
from llm.link import ProviderLink
from llm.offline.tables import OfflineTables
from llm.prices import PriceTable
from llm.providers import factory_for
from llm.retry import RetryPolicy
from llm.settings import ChainSettings, ModelSpec, read_settings
from llm.usage import MemoryUsageStore, RedisUsageStore, UsageRecorder

__all__ = ["build_chain", "load_models"]


def _names(specs: list[ModelSpec]) -> list[str]:
    """Return a unique name per link: its ``name``, else its provider, numbered when repeated."""
    names, seen = [], {}
    for spec in specs:
        base = spec.name or spec.provider
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return names


def _link(spec: ModelSpec, name: str, settings: ChainSettings, env: Mapping[str, str],
          usage: UsageRecorder, cache: BaseCache | None, model: BaseChatModel | None = None) -> ProviderLink:
    factory = factory_for(spec.provider)
    keys = factory.api_keys(spec, env)
    ring = KeyRing(keys or None)
    model_cache = cache if spec.provider != "offline" else None
    offline = spec.provider == "offline"

    def build_models() -> list[BaseChatModel]:
        if model is not None:
            return [model]
        return [factory.build(spec, settings, key, env, model_cache) for key in ring.keys]

    return ProviderLink(
        name=name, kind=spec.provider, model=spec.model,
        build_models=build_models,
        keys=ring,
        # The offline model never fails for provider reasons: its breaker cannot open.
        breaker=CircuitBreaker(10**9 if offline else settings.breaker_threshold, settings.breaker_cooldown),
        policy=RetryPolicy(max_retries=0 if offline else (spec.max_retries if spec.max_retries is not None
                                                          else settings.max_retries),
                           base=settings.backoff_base, cap=settings.backoff_cap,
                           max_wait=settings.max_wait, key_cooldown=settings.key_cooldown),
        usage=usage, configured=keys is not None, expects_finish=not offline,
        base_url=spec.base_url or _env_base_url(spec, env),
    )


def _env_base_url(spec: ModelSpec, env: Mapping[str, str]) -> str | None:
    variable = {"openai": "OPENAI_BASE_URL", "groq": "GROQ_BASE_URL", "bedrock": "BEDROCK_ENDPOINT_URL"}
    return env.get(variable.get(spec.provider, ""), None) or None


def build_chain(settings: ChainSettings, env: Mapping[str, str] | None = None,
                redis_client: object | None = None, offline: BaseChatModel | None = None,
                offline_tables: OfflineTables | None = None) -> ModelChain:
    """Return the chain for ``settings``; the offline model is appended when it is not the last link.

    Args:
        settings: Parsed chain settings.
        env: Where provider variables (keys, base URLs, AWS) are read; ``os.environ`` by default.
        redis_client: A Redis client for usage and cache; made from ``settings.redis_url`` if omitted.
        offline: The last link's model; ``llm.offline.OfflineChatModel(tables=offline_tables)`` if omitted.
        offline_tables: What the offline model learns from (the composition root passes
            ``tools.contract.offline_tables()``); without them it learns from the bound tools' descriptions.

    """
    env = os.environ if env is None else env
    if offline is None and offline_tables is not None:
        from llm.offline import OfflineChatModel

        offline = OfflineChatModel(tables=offline_tables)
    specs = [s for s in settings.models if s.provider != "offline"]
    specs.append(next((s for s in settings.models if s.provider == "offline"), ModelSpec(provider="offline")))
    if redis_client is None and settings.redis_url:
        import redis

        redis_client = redis.Redis.from_url(settings.redis_url)
    prices = PriceTable(settings.prices)
    if redis_client is not None:
        usage = UsageRecorder(RedisUsageStore(redis_client, settings.redis_prefix), prices)
        cache = RedisResponseCache(redis_client, settings.redis_prefix, settings.cache_ttl) if settings.cache else None
    else:
        usage, cache = UsageRecorder(MemoryUsageStore(), prices), None
    links = [_link(spec, name, settings, env, usage, cache, offline if spec.provider == "offline" else None)
             for spec, name in zip(specs, _names(specs), strict=True)]
    return ModelChain(links, usage, cache)


def load_models(env: Mapping[str, str] | None = None, *, offline_tables: OfflineTables | None = None) -> ModelChain:
    """Build the model chain from ``FXDESK_MODELS`` / ``FXDESK_MODELS_FILE``; just ``offline`` if unset.

    Args:
        env: The environment to read; ``os.environ`` by default.
        offline_tables: The offline model's tables (``tools.contract.offline_tables()``), handed in by
            the composition root because llm/ imports nothing above it.

    """
    env = os.environ if env is None else env
    return build_chain(read_settings(env), env, offline_tables=offline_tables)
