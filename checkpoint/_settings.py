"""Settings and helpers shared by RedisSaver and AsyncRedisSaver (prefix, TTL, delta cache, versions)."""

from __future__ import annotations

import hashlib
from typing import Any

from checkpoint._conn import decodes_responses, is_cluster, url_of
from checkpoint._delta import ListDeltaCache
from checkpoint._ops import WriteStats
from checkpoint._scripts import GET_TUPLE_LUA
from checkpoint.base import KeyLayout, next_version

__all__ = ["SaverSettings"]


class SaverSettings:
    """Storage settings shared by the sync and async savers (prefix, TTL, serde, delta lists)."""

    def _init_settings(self, client: Any, *, prefix: str, ttl: float | None, delta_lists: bool,
                       url: str | None) -> None:
        if decodes_responses(client):
            raise ValueError("the checkpoint saver needs a Redis client with decode_responses=False")
        if ttl is not None and ttl <= 0:
            raise ValueError(f"ttl must be a positive number of seconds, got {ttl!r}")
        self.client = client
        self.layout = KeyLayout(prefix)
        self.ttl_ms = int(ttl * 1000) if ttl else None
        self.delta_cache = ListDeltaCache() if delta_lists else None
        self.script_sha = hashlib.sha1(GET_TUPLE_LUA.encode()).hexdigest()
        self.run_index_in_transaction = not is_cluster(client)
        self.stats = WriteStats()
        self.url = url or url_of(client)

    def get_next_version(self, current: str | int | None, channel: None = None) -> str:
        """Return the next channel version (monotonic counter plus a random fork-safe suffix)."""
        return next_version(current)
