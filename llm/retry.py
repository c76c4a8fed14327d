"""Retry policy of one provider: how many attempts, how long to wait between them, what to honour."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RetryPolicy:
    """Jittered exponential backoff ("full jitter") that honours a provider's ``Retry-After``.

    Attributes:
        max_retries: Attempts after the first one on this provider before falling through.
        base: Backoff base in seconds (attempt n waits up to ``base * 2**n``).
        cap: Upper bound of one backoff wait.
        max_wait: Longest wait we accept before a retry (including a ``Retry-After``); a provider
            asking for longer is left for the next link instead of holding the caller.
        key_cooldown: How long a key that got 401/403 (or 429 without ``Retry-After``) sits out.

    """

    max_retries: int = 2
    base: float = 0.25
    cap: float = 4.0
    max_wait: float = 10.0
    key_cooldown: float = 60.0
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def backoff(self, attempt: int, retry_after: float | None = None) -> float:
        """Return the wait before retry number ``attempt + 1`` (``attempt`` counts from 0).

        Args:
            attempt: How many attempts have failed so far, minus one.
            retry_after: The provider's ``Retry-After`` in seconds, if it sent one; the wait is
                never shorter than that.

        """
        jittered = self.rng.uniform(0.0, min(self.cap, self.base * (2 ** attempt)))
        if retry_after is not None:
            return max(retry_after, jittered)
        return jittered
