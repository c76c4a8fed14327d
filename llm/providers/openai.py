"""OpenAI and any OpenAI-compatible server (vLLM, Ollama, LM Studio) through ``ChatOpenAI``."""

from __future__ import annotations

from collections.abc import Mapping

from langchain_core.caches import BaseCache
from langchain_core.language_models import BaseChatModel

from llm.keys import keys_from_env
from llm.settings import ChainSettings, ModelSpec

# Local OpenAI-compatible servers accept any key; the SDK insists on one being set.
_PLACEHOLDER_KEY = "not-needed"


def base_url(spec: ModelSpec, env: Mapping[str, str]) -> str | None:
    """Return the entry's ``base_url``, else ``OPENAI_BASE_URL``, else the SDK default."""
    return spec.base_url or env.get("OPENAI_BASE_URL") or None


def api_keys(spec: ModelSpec, env: Mapping[str, str]) -> list[str] | None:
    """Return ``OPENAI_API_KEY``, ``_2`` … ``_9`` (or ``<api_key_env>_API_KEY…``).

    A custom ``base_url`` without keys is a local server: one placeholder key. The public API
    without any key is not configured (``None``).
    """
    keys = keys_from_env(spec.api_key_env or "OPENAI", env)
    if keys:
        return keys
    return [_PLACEHOLDER_KEY] if base_url(spec, env) else None


def build(spec: ModelSpec, settings: ChainSettings, key: str | None,
          env: Mapping[str, str], cache: BaseCache | None) -> BaseChatModel:
    """Return a ``ChatOpenAI`` for one key; the SDK's retries are off (ours are the only ones)."""
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=spec.model,
        api_key=key or _PLACEHOLDER_KEY,
        base_url=base_url(spec, env),
        timeout=spec.timeout or settings.timeout,
        max_retries=0,
        temperature=spec.temperature,
        max_tokens=spec.max_tokens,
        stream_usage=True,
        cache=cache,
    )
