"""Exact-match response cache on plain Redis (GET/SET with TTL), as a langchain-core ``BaseCache``.

LangChain builds the lookup from the whole request: ``prompt`` is the serialised message list
(tool results included) and ``llm_string`` holds the model, its parameters and the bound tools.
The key is a SHA-256 of both, so two users whose tool results differ never share an entry.
Answers served from the cache carry ``response_metadata["fxdesk_cache"] == "hit"`` so the chain
counts them without counting their tokens again.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from langchain_core.caches import RETURN_VAL_TYPE, BaseCache
from langchain_core.messages import message_to_dict, messages_from_dict
from langchain_core.outputs import ChatGeneration, Generation

HIT_MARK = "fxdesk_cache"


class RedisResponseCache(BaseCache):
    """Response cache in Redis with a TTL and hit / miss counters (``{prefix}cache:stats``)."""

    def __init__(self, client: Any, prefix: str, ttl: int = 3600) -> None:
        self._client = client
        self._prefix = prefix
        self._ttl = ttl

    def _key(self, prompt: str, llm_string: str) -> str:
        digest = hashlib.sha256(f"{llm_string}\x00{prompt}".encode()).hexdigest()
        return f"{self._prefix}cache:{digest}"

    def _count(self, field: str) -> None:
        self._client.hincrby(f"{self._prefix}cache:stats", field, 1)

    def lookup(self, prompt: str, llm_string: str) -> RETURN_VAL_TYPE | None:
        """Return the cached generations of this exact request, or ``None``."""
        raw = self._client.get(self._key(prompt, llm_string))
        if raw is None:
            self._count("misses")
            return None
        self._count("hits")
        generations: list[Generation] = []
        for item in json.loads(raw):
            if "message" in item:
                [message] = messages_from_dict([item["message"]])
                message.response_metadata[HIT_MARK] = "hit"
                generations.append(ChatGeneration(message=message, generation_info=item.get("info")))
            else:
                generations.append(Generation(text=item["text"], generation_info=item.get("info")))
        return generations

    def update(self, prompt: str, llm_string: str, return_val: RETURN_VAL_TYPE) -> None:
        """Store the generations of this request for ``ttl`` seconds (plain JSON, no object revival)."""
        items = [{"message": message_to_dict(g.message), "info": g.generation_info} if isinstance(g, ChatGeneration)
                 else {"text": g.text, "info": g.generation_info} for g in return_val]
        self._client.set(self._key(prompt, llm_string), json.dumps(items, default=str), ex=self._ttl)

    def clear(self, **kwargs: Any) -> None:
        """Delete every cached answer under the prefix (never the whole database)."""
        keys = list(self._client.scan_iter(match=f"{self._prefix}cache:*", count=500))
        for i in range(0, len(keys), 500):
            self._client.delete(*keys[i:i + 500])

    def stats(self) -> tuple[int, int]:
        """Return ``(hits, misses)`` across every replica."""
        raw = self._client.hgetall(f"{self._prefix}cache:stats")
        values = {(k.decode() if isinstance(k, bytes) else k): int(v) for k, v in raw.items()}
        return values.get("hits", 0), values.get("misses", 0)

