"""Provider factories: configuration in, LangChain chat models out (SDKs imported only when used)."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Protocol

from langchain_core.caches import BaseCache
from langchain_core.language_models import BaseChatModel

from llm.settings import ChainSettings, ModelSpec

__all__ = ["ProviderFactory", "factory_for"]

_MODULES = {
    "openai": "llm.providers.openai",
    "groq": "llm.providers.groq",
    "bedrock": "llm.providers.bedrock",
    "offline": "llm.providers.offline",
}


class ProviderFactory(Protocol):
    """What every ``llm/providers/<name>.py`` module offers."""

    def api_keys(self, spec: ModelSpec, env: Mapping[str, str]) -> list[str] | None:
        """Return the keys to rotate ([] means the SDK finds its own; ``None`` means not configured)."""
        ...

    def build(self, spec: ModelSpec, settings: ChainSettings, key: str | None,
              env: Mapping[str, str], cache: BaseCache | None) -> BaseChatModel:
        """Return a chat model for one key, with the SDK's own retries off and our timeout set."""
        ...


def factory_for(provider: str) -> ProviderFactory:
    """Return the factory module of ``provider`` (importing its SDK only now)."""
    try:
        return importlib.import_module(_MODULES[provider])  # type: ignore[return-value]
    except KeyError:
        raise ValueError(f"unknown model provider {provider!r}; expected one of {sorted(_MODULES)}") from None
