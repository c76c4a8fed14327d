"""Provider errors, typed by how the chain reacts to them rather than by what caused them.

The taxonomy:

- ``Retryable``: the provider may answer if asked again (429, 5xx, timeout, connection error,
  malformed response, a key the provider rejected). Back off, retry within the provider's budget,
  then fall through to the next provider.
- ``Unavailable``: do not even try this provider now (breaker open, every key cooling down).
  Skip it at once, at no cost.
- ``BadRequest``: the request itself is wrong (400, 413, 422): no provider can fix it, so it is
  neither retried nor hidden behind a fallback.

``kind`` names the cause for usage accounting (``timeout``, ``server_error``, ``rate_limited``,
``connection``, ``malformed``, ``key_rejected``, ``not_found``, ``breaker_open``, ``no_key``,
``bad_request``). ``retry_after`` carries the provider's ``Retry-After`` in seconds when it sent one.
"""

from __future__ import annotations


class ProviderError(Exception):
    """A model provider call failed; ``provider`` names the link, ``kind`` the cause."""

    def __init__(self, message: str, *, provider: str = "", kind: str = "error",
                 status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.provider = provider
        self.kind = kind
        self.status = status
        self.retry_after = retry_after

    def __str__(self) -> str:
        where = f"[{self.provider}] " if self.provider else ""
        status = f" (HTTP {self.status})" if self.status is not None else ""
        return f"{where}{self.kind}{status}: {self.args[0] if self.args else ''}"


class Retryable(ProviderError):
    """Back off and retry this provider, then fall through to the next one."""


class Unavailable(ProviderError):
    """Skip this provider at once (breaker open, no usable key)."""


class BadRequest(ProviderError):
    """Our own request is wrong: do not retry, do not fall back, surface it."""


# Kinds that say nothing about the provider's health: they do not count towards its breaker.
KEY_KINDS = frozenset({"rate_limited", "key_rejected"})
