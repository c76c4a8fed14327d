"""The offline model (deterministic, no network): the last link of every chain."""

from __future__ import annotations

from collections.abc import Mapping

from langchain_core.caches import BaseCache
from langchain_core.language_models import BaseChatModel

from llm.settings import ChainSettings, ModelSpec


def api_keys(spec: ModelSpec, env: Mapping[str, str]) -> list[str] | None:
    """Return ``[]``: the offline model needs no key."""
    return []


def build(spec: ModelSpec, settings: ChainSettings, key: str | None,
          env: Mapping[str, str], cache: BaseCache | None) -> BaseChatModel:
    """Return an ``OfflineChatModel`` (never cached: it is cheaper to answer than to look up)."""
    from llm.offline import OfflineChatModel

    return OfflineChatModel()
