"""FastAPI dependencies of the LangGraph API: the per-app services and the authenticated caller.

The caller is the token's user with their entitlements from the user store. In ``--dev`` mode
(loopback only) a request without a token may name its user in ``context.user_id`` instead.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated

import orjson
from fastapi import Depends, Header, Request

from server.auth import AuthError, JwtKeys, bearer_token, verify_token
from server.runs.caller import Caller
from server.runs.executor import Executor
from server.runs.registry import GraphRegistry
from server.runs.runs_store import RunStore
from server.runs.threads_store import ThreadStore
from tools.context import Context

log = logging.getLogger(__name__)

# Look up a user's full entitlements; None when there is no such user.
UserLookup = Callable[[str], Awaitable[Context | None]]


@dataclass
class ApiServices:
    """What the LangGraph API routes need, built once in the app's lifespan."""

    registry: GraphRegistry
    threads: ThreadStore
    runs: RunStore
    executor: Executor
    users: UserLookup
    jwt_keys: JwtKeys
    dev: bool = False
    durability: str = "async"  # checkpoint writes when a run does not say (Settings.durability)
    _user_cache: dict[str, tuple[float, Context | None]] = field(default_factory=dict)

    async def entitlements(self, user_id: str, max_age: float = 30.0) -> Context | None:
        """Return the user's entitlements, cached briefly (the user store is a database query)."""
        hit = self._user_cache.get(user_id)
        if hit is not None and time.monotonic() - hit[0] < max_age:
            return hit[1]
        found = await self.users(user_id)
        self._user_cache[user_id] = (time.monotonic(), found)
        return found


def get_services(request: Request) -> ApiServices:
    """Return the app's `ApiServices`."""
    return request.app.state.api


Services = Annotated[ApiServices, Depends(get_services)]


async def get_caller(request: Request, services: Services,
                     authorization: Annotated[str | None, Header()] = None) -> Caller:
    """Authenticate the request and return the caller with their entitlements (401 otherwise)."""
    if authorization is None and services.dev:
        user_id = await _dev_user(request)
    else:
        claims = verify_token(bearer_token(authorization), services.jwt_keys)
        user_id = claims.user_id
    entitlements = await services.entitlements(user_id)
    if entitlements is None:
        raise AuthError(f"Unknown user {user_id!r}.")
    caller = Caller(user_id=user_id, entitlements=entitlements)
    request.state.caller = caller  # read by the request audit (server.request_audit)
    return caller


async def _dev_user(request: Request) -> str:
    body = await request.body()
    try:
        context = (orjson.loads(body) if body else {}).get("context") or {}
    except (orjson.JSONDecodeError, AttributeError):
        context = {}
    user_id = context.get("user_id") if isinstance(context, dict) else None
    if not isinstance(user_id, str):
        raise AuthError("Missing Authorization header: send 'Authorization: Bearer <token>' "
                        "(dev mode also accepts context.user_id in a run body).")
    log.warning("DEV MODE: unauthenticated request acting as %s (%s %s)", user_id, request.method, request.url.path)
    return user_id


CurrentCaller = Annotated[Caller, Depends(get_caller)]
