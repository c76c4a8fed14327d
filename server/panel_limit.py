"""Rate limit of the web desk's panel reads, per user, counted in the tool calls each request makes.

A panel request fans out to desk tools (``/positions`` three, ``/pnl?days=N`` N, the others one),
so a request is charged its tool calls against ``FXDESK_PANEL_RATE_LIMIT`` (Redis GCRA shared by
every replica, a budget separate from the run limit). Over it the caller gets 429 with
``Retry-After`` before any tool runs (issue 12, finding 4).
"""

from __future__ import annotations

from fastapi import HTTPException, Request
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from server.deps import CurrentCaller, Services
from server.ratelimit import Rate, RateLimiter
from server.services import AppServices

# Tool calls of each panel endpoint; /pnl costs its ``days`` (read from the query, default below).
PANEL_COSTS = {"positions": 3, "journal": 1, "behaviour": 1, "rates": 1}
PNL_DEFAULT_DAYS = 10


def panel_cost(request: Request) -> int:
    """Return the tool calls a panel request will make (an unreadable ``days`` counts as the default)."""
    endpoint = request.url.path.rstrip("/").rsplit("/", 1)[-1]
    if endpoint == "pnl":
        days = request.query_params.get("days", "")
        return int(days) if days.isdigit() and int(days) > 0 else PNL_DEFAULT_DAYS
    return PANEL_COSTS.get(endpoint, 1)


def _limiter(request: Request, services: AppServices) -> RateLimiter:
    state = request.app.state
    limiter = getattr(state, "panel_limiter", None)
    if limiter is None:
        settings = services.settings
        rate = Rate.parse(settings.panel_rate_limit, burst=settings.panel_rate_burst)
        limiter = state.panel_limiter = RateLimiter(services.redis, rate, prefix=settings.key_prefix, name="panel")
    return limiter


async def charge_panel(request: Request, caller: CurrentCaller, services: Services) -> None:
    """Charge the caller's panel budget with this request's tool calls; 429 when it is spent, 503 without Redis."""
    limiter = _limiter(request, services)
    cost = panel_cost(request)
    try:
        decision = await limiter.check(caller.user_id, cost=cost)
    except (RedisConnectionError, RedisTimeoutError):
        raise HTTPException(503, "The state store (Redis) is not answering; retry shortly.",
                            headers={"Retry-After": "1"}) from None
    if not decision.allowed:
        setting = services.settings.panel_rate_limit
        raise HTTPException(429, f"Panel rate limit of {setting} tool calls per user reached (this request makes "
                                 f"{cost}); retry in {decision.retry_after_header} s.",
                            headers={"Retry-After": decision.retry_after_header})
