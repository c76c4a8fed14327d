"""A per-provider circuit breaker: open after N consecutive failures, one half-open probe after a cooldown."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Literal

BreakerState = Literal["closed", "open", "half_open"]


class CircuitBreaker:
    """Consecutive-failure circuit breaker, safe to share between threads and tasks.

    Closed: every call passes. After ``failure_threshold`` consecutive failures it opens: calls are
    refused at no cost until ``cooldown`` seconds have passed; then exactly one caller gets a
    half-open probe. A successful probe closes the breaker, a failed one re-opens it for another
    cooldown.
    """

    def __init__(self, failure_threshold: int = 3, cooldown: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        self.failure_threshold = failure_threshold
        self.cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False
        self.opened_count = 0

    @property
    def state(self) -> BreakerState:
        """Return the current state (``open`` turns ``half_open`` once the cooldown has passed)."""
        with self._lock:
            return self._state_locked()

    @property
    def consecutive_failures(self) -> int:
        """Return the number of failures since the last success."""
        return self._failures

    def _state_locked(self) -> BreakerState:
        if self._opened_at is None:
            return "closed"
        if self._probing or self._clock() - self._opened_at >= self.cooldown:
            return "half_open"
        return "open"

    def allow(self) -> bool:
        """Return whether a call may go out now; in half-open, only the first caller gets the probe."""
        with self._lock:
            state = self._state_locked()
            if state == "closed":
                return True
            if state == "half_open" and not self._probing:
                self._probing = True
                return True
            return False

    def record_success(self) -> None:
        """Close the breaker and reset the failure count."""
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._probing = False

    def record_failure(self) -> None:
        """Count a failure; open (or re-open after a failed probe) when the threshold is reached."""
        with self._lock:
            self._failures += 1
            if self._probing or (self._opened_at is None and self._failures >= self.failure_threshold):
                self._opened_at = self._clock()
                self.opened_count += 1
            self._probing = False

    def release(self) -> None:
        """Give back a half-open probe that ended without a verdict on the provider's health."""
        with self._lock:
            self._probing = False
