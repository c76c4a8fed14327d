"""API keys of one provider, rotated round-robin; a key the provider refuses cools down on its own."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

MAX_KEYS = 9


def keys_from_env(prefix: str, env: Mapping[str, str]) -> list[str]:
    """Return ``{PREFIX}_API_KEY`` then ``{PREFIX}_API_KEY_2`` … ``_9`` that are set and non-empty.

    Args:
        prefix: The provider's variable prefix, e.g. ``OPENAI`` or ``GROQ``.
        env: The environment to read.

    """
    names = [f"{prefix}_API_KEY"] + [f"{prefix}_API_KEY_{n}" for n in range(2, MAX_KEYS + 1)]
    return [env[name].strip() for name in names if env.get(name, "").strip()]


def fingerprint(key: str | None) -> str:
    """Return a short non-reversible label for a key (safe for logs and metrics)."""
    if key is None:
        return "-"
    return "k-" + hashlib.sha256(key.encode()).hexdigest()[:8]


@dataclass(frozen=True)
class KeySlot:
    """One key handed out for one attempt: its position in the ring and its value."""

    index: int
    key: str | None

    @property
    def label(self) -> str:
        """Return the key's fingerprint."""
        return fingerprint(self.key)


class KeyRing:
    """Round-robin over a provider's keys, skipping keys that are cooling down.

    A ring built from no keys holds a single ``None`` slot: the SDK then finds its own credentials
    (AWS chain, a local server that needs none).
    """

    def __init__(self, keys: list[str] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._keys: list[str | None] = list(keys) if keys else [None]
        self._cool_until = [0.0] * len(self._keys)
        self._next = 0
        self._clock = clock
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._keys)

    @property
    def keys(self) -> list[str | None]:
        """Return the keys in ring order."""
        return list(self._keys)

    def acquire(self) -> KeySlot | None:
        """Return the next usable key in turn, or ``None`` when every key is cooling down."""
        with self._lock:
            now = self._clock()
            n = len(self._keys)
            for step in range(n):
                index = (self._next + step) % n
                if self._cool_until[index] <= now:
                    self._next = (index + 1) % n
                    return KeySlot(index, self._keys[index])
            return None

    def cool(self, index: int, seconds: float) -> None:
        """Take one key out of rotation for ``seconds`` (a 401/403/429 answered on it)."""
        with self._lock:
            self._cool_until[index] = max(self._cool_until[index], self._clock() + seconds)

    def ready_in(self) -> float:
        """Return the seconds until some key is usable again (0 if one is usable now)."""
        with self._lock:
            return max(0.0, min(self._cool_until) - self._clock())

    def cooling(self) -> list[str]:
        """Return the fingerprints of keys cooling down now."""
        with self._lock:
            now = self._clock()
            return [fingerprint(k) for k, until in zip(self._keys, self._cool_until, strict=True) if until > now]
