"""FastAPI dependencies of the LangGraph API: the per-app services and the authenticated caller.

The caller is the token's user with their entitlements from the user store. In ``--dev`` mode
(loopback only) a request without a token may name its user in ``context.user_id`` instead.
"""

from __future__ import annotations

import logging
from typing import Annotated

import orjson
from fastapi import Depends, Header, Request

from server.auth import AuthError, bearer_token, verify_token
from server.runs.caller import Caller
from server.services import AppServices

log = logging.getLogger(__name__)


def get_services(request: Request) -> AppServices:
    """Return the app's service container."""
    return request.app.state.services


Services = Annotated[AppServices, Depends(get_services)]


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
