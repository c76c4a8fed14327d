"""The model provider API of the original brief: providers, health, a live check (admin) and usage.

Everything reports the chain the served graph answers with (`server.desk_services.served_models`).
"""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

from fastapi import APIRouter, Depends, Header
from langchain_core.messages import HumanMessage
from pydantic import BaseModel, Field

from llm.calls import ainvoke_link
from llm.chain import ModelChain
from llm.link import ProviderLink
from llm.reports import ProviderHealth, ProviderInfo, UsageReport
from server.auth import AuthError, bearer_token, verify_token
from server.deps import CurrentCaller, Services
from server.desk_services import Desk
from server.problems import Problem
from server.runs.caller import Caller

router = APIRouter(prefix="/genai", tags=["genai"])
CHECK_TIMEOUT_S = 30.0
CHECK_PROMPT = "Health check: reply with the single word OK."


class ProviderCheck(BaseModel):
    """The outcome of one live request through one link."""

    name: str
    provider: str
    model: str
    ok: bool
    latency_ms: float = Field(description="Wall time of the request, retries included.")
    error: str | None = Field(None, description="Why it failed, when it did.")
    answer_chars: int = Field(0, description="Length of the answer's text.")


def _models(desk: Desk) -> ModelChain:
    if desk.models is None:
        raise Problem(503, "The model chain is not loaded yet.")
    return desk.models


def _link(models: ModelChain, name: str) -> ProviderLink:
    for link in models.links:
        if link.name == name:
            return link
    raise Problem(404, f"No provider named {name!r}; configured: {', '.join(models.names)}.")


async def require_admin(caller: CurrentCaller, services: Services, desk: Desk,
                        authorization: Annotated[str | None, Header()] = None) -> Caller:
    """Return the caller if their token has the ``admin`` role or FXDESK_ADMIN_USERS names them (else 403)."""
    if caller.user_id in desk.settings.admins:
        return caller
    if authorization is not None:
        try:
            if verify_token(bearer_token(authorization), services.jwt_keys).role == "admin":
                return caller
        except AuthError:
            pass
    raise Problem(403, f"{caller.user_id!r} is not an administrator: this needs a token with role 'admin' "
                       "or a user listed in FXDESK_ADMIN_USERS.")


@router.get("/providers", response_model=list[ProviderInfo])
async def providers(_: CurrentCaller, desk: Desk) -> list[ProviderInfo]:
    """List the chain's links in fallback order."""
    return _models(desk).providers()


@router.get("/providers/{name}/health", response_model=ProviderHealth, responses={404: {"description": "Unknown"}})
async def provider_health(name: str, _: CurrentCaller, desk: Desk) -> ProviderHealth:
    """Return one link's live health in this process (breaker, keys cooling, last error)."""
    models = _models(desk)
    return models.health(_link(models, name).name)


@router.post("/providers/{name}/check", response_model=ProviderCheck,
             responses={403: {"description": "Not an administrator"}, 404: {"description": "Unknown provider"}})
async def check_provider(name: str, _: Annotated[Caller, Depends(require_admin)], desk: Desk) -> ProviderCheck:
    """Send one tiny real request through this link only (its retries, no fallback) and report it (admin)."""
    link = _link(_models(desk), name)
    started = time.perf_counter()
    error, chars = None, 0
    try:
        message = await asyncio.wait_for(ainvoke_link(link.bind(), [HumanMessage(CHECK_PROMPT)], None),
                                         CHECK_TIMEOUT_S)
        chars = len(message.text)
    except TimeoutError:
        error = f"no answer within {CHECK_TIMEOUT_S:.0f} s"
    except Exception as exc:  # the failure is the report, not a server error
        error = f"{type(exc).__name__}: {exc}"
    return ProviderCheck(name=link.name, provider=link.kind, model=link.model, ok=error is None,
                         latency_ms=round((time.perf_counter() - started) * 1000, 2), error=error, answer_chars=chars)


@router.get("/usage", response_model=UsageReport)
async def usage(_: CurrentCaller, desk: Desk) -> UsageReport:
    """Return requests, failures, fallbacks, tokens, cost and latency per provider and model."""
    # The usage store may be Redis (blocking client): read it off the event loop.
    return await asyncio.to_thread(_models(desk).usage)
