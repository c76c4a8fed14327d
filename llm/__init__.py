"""Model access for fxdesk: the provider fallback chain, its errors, usage and cost."""

from llm.chain import ModelChain
from llm.config import build_chain, load_models
from llm.errors import BadRequest, ProviderError, Retryable, Unavailable
from llm.reports import ModelUsage, ProviderHealth, ProviderInfo, UsageReport

__all__ = [
    "BadRequest",
    "ModelChain",
    "ModelUsage",
    "ProviderError",
    "ProviderHealth",
    "ProviderInfo",
    "Retryable",
    "Unavailable",
    "UsageReport",
    "build_chain",
    "load_models",
]
