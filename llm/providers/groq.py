"""Groq through ``ChatGroq`` (``GROQ_BASE_URL`` points it at a local server)."""

from __future__ import annotations

from collections.abc import Mapping

from langchain_core.caches import BaseCache
from langchain_core.language_models import BaseChatModel

from llm.keys import keys_from_env
from llm.settings import ChainSettings, ModelSpec


def api_keys(spec: ModelSpec, env: Mapping[str, str]) -> list[str] | None:
    """Return ``GROQ_API_KEY``, ``_2`` … ``_9``; ``None`` (not configured) when there is none."""
    return keys_from_env(spec.api_key_env or "GROQ", env) or None


def build(spec: ModelSpec, settings: ChainSettings, key: str | None,
          env: Mapping[str, str], cache: BaseCache | None) -> BaseChatModel:
    """Return a ``ChatGroq`` for one key; the SDK's retries are off (ours are the only ones)."""
    from langchain_groq import ChatGroq

    return ChatGroq(
        model=spec.model,
        api_key=key,
        base_url=spec.base_url or env.get("GROQ_BASE_URL") or None,
        timeout=spec.timeout or settings.timeout,
        max_retries=0,
        temperature=spec.temperature if spec.temperature is not None else 0.0,
        max_tokens=spec.max_tokens,
        cache=cache,
    )
