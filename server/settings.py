"""Process settings: one frozen object read once from the environment and passed down (no global config)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from prompts import parse_pins


class Settings(BaseSettings):
    """Everything the CLI and server read from ``FXDESK_*`` variables; immutable once built."""

    model_config = SettingsConfigDict(env_prefix="FXDESK_", frozen=True, extra="ignore")

    home: Path = Field(default_factory=lambda: Path.home() / ".fxdesk",
                       description="Folder for the SQLite database and checkpoints.")
    redis_url: str | None = Field(None, validation_alias=AliasChoices("FXDESK_REDIS_URL", "REDIS_URL"),
                                  description="Redis for checkpoints; unset or not answering: SQLite.")
    key_prefix: str = Field("fxdesk:", description="Prefix of every Redis key we write.")
    checkpoint_ttl_seconds: float | None = Field(None, gt=0, description="Expire threads idle this long (Redis).")
    database_url: str | None = Field(None, description="SQLAlchemy URL of the desk database (default: SQLite).")
    max_hops: int = Field(6, ge=1, le=50, description="Hand-offs between desks allowed per turn.")
    history_tokens: int = Field(4000, ge=200, description="Approximate token budget of history per model call.")
    prompt_versions: str = Field("", description="Pinned prompts, e.g. 'supervisor=v1,compliance=v2'.")
    max_concurrent_runs: int = Field(8, ge=1, le=256,
                                     description="Graph runs executing at once per server process; more wait.")
    run_record_ttl_seconds: int = Field(30 * 24 * 3600, ge=60,
                                        description="Keep API thread and run records this long (Redis).")
    rate_limit: str = Field("120/minute",
                            description="Run-creating requests per user, e.g. '120/minute' (Redis, all replicas).")
    rate_burst: int | None = Field(None, ge=1,
                                   description="Requests allowed at once (default: min(count, 20)).")
    max_body_bytes: int = Field(256 * 1024, ge=1024, description="Largest request body accepted (413 above).")
    max_message_chars: int = Field(4000, ge=1, description="Longest user message accepted (422 above).")
    admin_users: str = Field("", description="Users allowed admin endpoints besides 'admin' role tokens (a,b).")
    durability: Literal["sync", "async", "exit"] = Field(
        "async", description="When checkpoints are written: every step (sync/async) or once per turn (exit).")

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
