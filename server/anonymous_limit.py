"""Rate limit of requests without a valid token, per client address, before auth and the request audit.

Each request to the API that carries no bearer token, or one that does not verify, is charged to
its client address (``FXDESK_ANONYMOUS_RATE_LIMIT``, Redis GCRA shared by replicas). Over the
budget it is answered 429 with ``Retry-After`` here, outside the request audit: a flood of bad
tokens writes at most a burst of ``denied`` audit rows, then only counts in ``/metrics``
(``fxdesk_http_requests_total{status="429"}``) and one warning per address and minute in the log
(issue 12, finding 4). Requests with a valid token never touch this budget, nor, under ``--dev``
(loopback only), requests without any token (they name their user in the body).

Public, cheap paths are exempt: health, readiness and metrics probes, the web desk's page and
assets, and the API documentation. If Redis does not answer the request passes (fail open): the
route answers as it would without this limit.
"""

from __future__ import annotations

import logging
import time

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from starlette.types import ASGIApp, Receive, Scope, Send

from server.auth import AuthError, bearer_token, verify_token
from server.problems import problem_response
from server.ratelimit import Rate, RateLimiter

log = logging.getLogger(__name__)
EXEMPT_PATHS = frozenset({"/", "/healthz", "/readyz", "/metrics", "/docs", "/openapi.json", "/favicon.ico"})
EXEMPT_PREFIXES = ("/assets/", "/docs/")
WARN_EVERY_S = 60.0


def is_exempt(path: str) -> bool:
    """Return whether ``path`` is public and cheap enough to serve without charging the address."""
    return path in EXEMPT_PATHS or path.startswith(EXEMPT_PREFIXES)


class AnonymousLimitMiddleware:
    """429 for an address that sends too many requests without a valid token (see the module docstring)."""

    def __init__(self, app: ASGIApp, rate: Rate, key_prefix: str):
        self.app = app
        self.rate = rate
        self.key_prefix = key_prefix
        self._warned: dict[str, float] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Charge an unauthenticated request to its address, answering 429 once the budget is spent."""
        if scope["type"] != "http" or is_exempt(scope.get("path", "")) or _has_valid_token(scope):
            await self.app(scope, receive, send)
            return
        limiter = self._limiter_of(scope)
        address = (scope.get("client") or ("unknown", 0))[0]
        if limiter is not None:
            try:
                decision = await limiter.check(address)
            except (RedisConnectionError, RedisTimeoutError):
                decision = None  # fail open: the route answers as it would without this limit
            if decision is not None and not decision.allowed:
                self._warn(address)
                detail = (f"Too many requests without a valid token from {address} (limit "
                          f"{self.rate.count} per {_period(self.rate)}); retry in {decision.retry_after_header} s.")
                await problem_response(429, detail, headers={"Retry-After": decision.retry_after_header})(
                    scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _limiter_of(self, scope: Scope) -> RateLimiter | None:
        state = scope["app"].state
        limiter = getattr(state, "anonymous_limiter", None)
        services = getattr(state, "services", None)  # built by the lifespan
        if limiter is None and services is not None:
            limiter = state.anonymous_limiter = RateLimiter(services.redis, self.rate, prefix=self.key_prefix,
                                                            name="anonymous")
        return limiter

    def _warn(self, address: str) -> None:
        now = time.monotonic()
        if now - self._warned.get(address, -WARN_EVERY_S) >= WARN_EVERY_S:
            self._warned[address] = now
            if len(self._warned) > 10_000:  # bounded memory under address spraying
                self._warned.clear()
            log.warning("anonymous rate limit: refusing requests without a valid token from %s", address)


def _has_valid_token(scope: Scope) -> bool:
    services = getattr(scope["app"].state, "services", None)
    authorization = dict(scope.get("headers") or []).get(b"authorization")
    if services is None:
        return False
    if authorization is None:
        return services.dev  # --dev (loopback only): a request without a token names its user in the body
    try:
        verify_token(bearer_token(authorization.decode("latin-1")), services.jwt_keys)
    except AuthError:
        return False
    except Exception:  # noqa: BLE001 - a token the verifier chokes on is not a valid token
        return False
    return True


def _period(rate: Rate) -> str:
    seconds = rate.period_us / 1e6
    return {1: "second", 60: "minute", 3600: "hour"}.get(int(seconds), f"{seconds:g} s")
