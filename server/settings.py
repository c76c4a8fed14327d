"""Process settings: one frozen object read once from the environment and passed down (no global config).

Every ``FXDESK_*`` variable the CLI, ``fxdesk serve`` and Studio read is a field here (or, for the
model chain's resilience knobs and provider keys, is read from the same environment snapshot by
`Settings.model_env`). The composition root (`server.runtime.build_runtime`) is the only reader.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from prompts import parse_pins
from tools.desks import DESKS
from tools.position_risk.conventions import RiskConventions, load_conventions
from tools.psychology.thresholds import BehaviourThresholds, load_thresholds


class Settings(BaseSettings):
    """Everything the CLI, server and Studio read from ``FXDESK_*`` variables; immutable once built."""

    model_config = SettingsConfigDict(env_prefix="FXDESK_", frozen=True, extra="ignore", populate_by_name=True)

    home: Path = Field(default_factory=lambda: Path.home() / ".fxdesk",
                       description="Folder for the SQLite database and checkpoints.")
    redis_url: str | None = Field(None, validation_alias=AliasChoices("FXDESK_REDIS_URL", "REDIS_URL"),
                                  description="Redis for checkpoints; unset or not answering: SQLite.")
    key_prefix: str = Field("fxdesk:", description="Prefix of every Redis key we write.")
    checkpoint_ttl_seconds: float | None = Field(None, gt=0, description="Expire threads idle this long (Redis).")
    database_url: str | None = Field(None, description="SQLAlchemy URL of the desk database (default: SQLite).")
    as_of: date | None = Field(None, description="Desk date override (default: the dataset's as-of date).")
    models: str = Field("", description="Model chain, e.g. 'groq:llama-3.3-70b-versatile,offline' (default: offline).")
    models_file: Path | None = Field(None, description="YAML/TOML model-chain file (instead of FXDESK_MODELS).")
    max_desks_per_turn: int = Field(
        len(DESKS), ge=1, le=len(DESKS),
        validation_alias=AliasChoices("FXDESK_MAX_DESKS_PER_TURN", "FXDESK_MAX_HOPS"),
        description="Desks one turn may consult (each at most once); the rest are named, not run.")
    history_tokens: int = Field(4000, ge=200, description="Approximate token budget of history per model call.")
    prompt_versions: str = Field("", description="Pinned prompts, e.g. 'supervisor=v1,compliance=v2'.")
    psychology: BehaviourThresholds = Field(default_factory=load_thresholds,
                                            description="Behaviour-check thresholds (FXDESK_PSY_<NAME>).")
    risk: RiskConventions = Field(default_factory=load_conventions,
                                  description="VaR quantile, backtest days, credit add-on (FXDESK_RISK_<NAME>).")
    max_concurrent_runs: int = Field(8, ge=1, le=256,
                                     description="Graph runs executing at once per server process; more wait.")
    run_record_ttl_seconds: int = Field(30 * 24 * 3600, ge=60,
                                        description="Keep API thread and run records this long (Redis).")
    rate_limit: str = Field("120/minute",
                            description="Run-creating requests per user, e.g. '120/minute' (Redis, all replicas).")
    rate_burst: int | None = Field(None, ge=1,
                                   description="Requests allowed at once (default: min(count, 20)).")
    panel_rate_limit: str = Field("300/minute", description="Tool calls per user on /desk/panel/* (a request costs "
                                                            "its tool calls, e.g. pnl?days=30 costs 30); over it 429.")
    panel_rate_burst: int = Field(60, ge=1, description="Panel tool calls allowed at once per user.")
    anonymous_rate_limit: str = Field("60/minute", description="Requests without a valid token per client address, "
                                                               "checked before auth and the audit; over it 429.")
    anonymous_rate_burst: int | None = Field(None, ge=1, description="Anonymous requests allowed at once per address "
                                                                     "(default: min(count, 20)).")
    max_body_bytes: int = Field(256 * 1024, ge=1024, description="Largest request body accepted (413 above).")
    max_message_chars: int = Field(4000, ge=1, description="Longest user message accepted (422 above).")
    admin_users: str = Field("", description="Administrators (a,b): the only users allowed admin endpoints "
                                             "(/genai/usage, provider checks); a token's role never grants it.")
    stream_max_events: int = Field(10_000, ge=100, description="Events kept per run stream for join/resume (Redis).")
    stream_ttl_seconds: int = Field(3600, ge=10,
                                    description="Keep a run's event stream this long after its last event.")
    store_max_value_bytes: int = Field(16 * 1024, ge=256,
                                       description="Largest store item value (JSON bytes); 413 above.")
    webhook_secret: str | None = Field(None, description="Signs webhook bodies (HMAC-SHA256); unset: webhooks refused.")
    webhook_allow_hosts: str = Field("", description="Webhook hosts allowed (a,b); private/loopback only if listed.")
    webhook_attempts: int = Field(5, ge=1, le=20, description="Delivery attempts before a webhook is dead-lettered.")
    webhook_backoff_seconds: float = Field(0.5, gt=0, description="First retry delay; doubles per attempt (jittered).")
    cron_poll_seconds: float = Field(0.5, gt=0, le=60,
                                     description="How often each replica looks for due cron ticks.")
    cron_lease_seconds: float = Field(10.0, gt=0,
                                      description="A claimed tick is retaken by another replica after this.")
    durability: Literal["sync", "async", "exit"] = Field(
        "async", description="When checkpoints are written: every step (sync/async) or once per turn (exit).")
    jwt_secret: SecretStr | None = Field(None, description="HS256 secret that signs and verifies tokens.")
    jwt_public_key: str | None = Field(None, description="RS256 public key (PEM or a file path) to verify tokens.")
    jwt_private_key: SecretStr | None = Field(None, description="RS256 private key (PEM or path) to mint tokens.")

    @property
    def prompt_pins(self) -> dict[str, str]:
        """Return the pinned prompt versions as a mapping."""
        return parse_pins(self.prompt_versions)

    @property
    def admins(self) -> frozenset[str]:
        """Return the users named in ``FXDESK_ADMIN_USERS``."""
        return frozenset(u.strip() for u in self.admin_users.split(",") if u.strip())

    @property
    def sqlite_checkpoints(self) -> Path:
        """Return the SQLite checkpoint file used when Redis is not available."""
        return self.home / "checkpoints.sqlite"

    @property
    def desk_database_url(self) -> str:
        """Return the desk database URL: ``database_url``, else an SQLite file under ``home``."""
        if self.database_url:
            return self.database_url
        self.home.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.home / 'fxdesk.db'}"

    @property
    def has_signing_config(self) -> bool:
        """Return True when a JWT secret or key is configured (not the generated development secret)."""
        return self.jwt_secret is not None or bool(self.jwt_public_key)

    def model_env(self, *, with_redis: bool = True) -> dict[str, str]:
        """Return the environment the model chain reads (keys, base URLs, ``FXDESK_LLM_*``), with our fields.

        Args:
            with_redis: False when Redis did not answer: usage and cache then stay in memory.

        """
        env = dict(os.environ)
        for name in ("FXDESK_MODELS", "FXDESK_MODELS_FILE", "FXDESK_REDIS_URL", "REDIS_URL"):
            env.pop(name, None)
        if self.models:
            env["FXDESK_MODELS"] = self.models
        if self.models_file:
            env["FXDESK_MODELS_FILE"] = str(self.models_file)
        if with_redis and self.redis_url:
            env["FXDESK_REDIS_URL"] = self.redis_url
        env["FXDESK_KEY_PREFIX"] = self.key_prefix
        return env
