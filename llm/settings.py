"""Model-chain settings: ``FXDESK_MODELS`` / ``FXDESK_MODELS_FILE`` (YAML or TOML) and ``FXDESK_LLM_*``."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from llm.prices import Price

ProviderKind = Literal["openai", "groq", "bedrock", "offline"]

DEFAULT_MODEL: dict[str, str] = {
    "openai": "gpt-4o-mini",
    "groq": "llama-3.3-70b-versatile",
    "bedrock": "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "offline": "fxdesk-offline",
}

# FXDESK_LLM_<NAME> environment knobs and the ChainSettings field each one sets.
_ENV_KNOBS = {
    "TIMEOUT": "timeout", "MAX_RETRIES": "max_retries", "BACKOFF_BASE": "backoff_base",
    "BACKOFF_CAP": "backoff_cap", "MAX_WAIT": "max_wait", "KEY_COOLDOWN": "key_cooldown",
    "BREAKER_THRESHOLD": "breaker_threshold", "BREAKER_COOLDOWN": "breaker_cooldown",
    "PREFIX": "redis_prefix", "CACHE": "cache", "CACHE_TTL": "cache_ttl",
}


class ModelSpec(BaseModel):
    """One link of the chain as configured; unset fields fall back to the chain-wide settings."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    provider: ProviderKind
    model: str = ""
    name: str = ""
    base_url: str | None = None
    api_key_env: str | None = Field(None, description="Key variable prefix, e.g. VLLM reads VLLM_API_KEY, _2 … _9.")
    region: str | None = None
    timeout: float | None = Field(None, gt=0)
    max_retries: int | None = Field(None, ge=0)
    temperature: float | None = 0.0
    max_tokens: int | None = None

    @model_validator(mode="after")
    def _defaults(self) -> ModelSpec:
        if not self.model:
            object.__setattr__(self, "model", DEFAULT_MODEL[self.provider])
        return self


class ChainSettings(BaseModel):
    """Everything ``load_models`` needs: the ordered links and the per-provider resilience knobs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    models: tuple[ModelSpec, ...] = ()
    timeout: float = Field(30.0, gt=0)
    max_retries: int = Field(2, ge=0)
    backoff_base: float = Field(0.25, ge=0)
    backoff_cap: float = Field(4.0, ge=0)
    max_wait: float = Field(10.0, ge=0)
    key_cooldown: float = Field(60.0, ge=0)
    breaker_threshold: int = Field(3, ge=1)
    breaker_cooldown: float = Field(30.0, ge=0)
    prices: dict[str, Price] = Field(default_factory=dict)
    redis_url: str | None = None
    redis_prefix: str = "fxdesk:llm:"
    cache: bool = True
    cache_ttl: int = Field(3600, ge=1)


def parse_models(value: str) -> list[ModelSpec]:
    """Parse ``FXDESK_MODELS``: comma-separated ``provider[:model]`` (split at the first colon).

    Args:
        value: e.g. ``groq:llama-3.3-70b-versatile,openai:gpt-4o-mini,offline``.

    """
    specs = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        provider, _, model = item.partition(":")
        specs.append(ModelSpec(provider=provider.strip().lower(), model=model.strip()))
    return specs


def _read_file(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text) if path.suffix.lower() == ".toml" else yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return data


def read_settings(env: Mapping[str, str]) -> ChainSettings:
    """Build the chain settings: config file first, then environment variables on top.

    Args:
        env: The environment (``FXDESK_MODELS``, ``FXDESK_MODELS_FILE``, ``FXDESK_REDIS_URL``,
            ``FXDESK_LLM_*``).

    """
    data: dict[str, Any] = {}
    if path := env.get("FXDESK_MODELS_FILE", "").strip():
        data = _read_file(Path(path))
        data.update(_flatten_breaker(data.pop("breaker", None) or {}))
    if models := env.get("FXDESK_MODELS", "").strip():
        data["models"] = parse_models(models)
    if redis_url := env.get("FXDESK_REDIS_URL", "").strip():
        data["redis_url"] = redis_url
    if key_prefix := env.get("FXDESK_KEY_PREFIX", "").strip():
        # Usage and cache keys live beside the app's other keys, so one prefix isolates a whole deployment.
        data.setdefault("redis_prefix", f"{key_prefix}llm:")
    for knob, field in _ENV_KNOBS.items():
        if (value := env.get(f"FXDESK_LLM_{knob}", "").strip()):
            data[field] = value.lower() not in ("0", "off", "false", "no") if field == "cache" else value
    return ChainSettings.model_validate(data)


def _flatten_breaker(breaker: dict[str, Any]) -> dict[str, Any]:
    out = {}
    if "failure_threshold" in breaker:
        out["breaker_threshold"] = breaker["failure_threshold"]
    if "cooldown" in breaker:
        out["breaker_cooldown"] = breaker["cooldown"]
    return out
