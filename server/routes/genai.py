"""The model provider API of the original brief: providers, health, a live check (admin) and usage (admin).

Everything reports the chain the desk graph answers with (the composition root's, `server.runtime`).
"""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

from fastapi import APIRouter, Depends
from langchain_core.messages import HumanMessage
from pydantic import BaseModel, Field

from llm.calls import ainvoke_link
from llm.chain import ModelChain
from llm.link import ProviderLink
from llm.reports import ProviderHealth, ProviderInfo, UsageReport
from server.deps import CurrentCaller, Services
from server.problems import Problem
from server.runs.caller import Caller
from server.settings import Settings

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


def _models(services: Services) -> ModelChain:
    return services.models


def _link(models: ModelChain, name: str) -> ProviderLink:
    for link in models.links:
        if link.name == name:
            return link
    raise Problem(404, f"No provider named {name!r}; configured: {', '.join(models.names)}.")


def is_admin(caller: Caller, settings: Settings) -> bool:
    """Whether the server makes ``caller`` an administrator (FXDESK_ADMIN_USERS; never a token claim)."""
    return caller.user_id in settings.admins


async def require_admin(caller: CurrentCaller, services: Services) -> Caller:
    """Return the caller if FXDESK_ADMIN_USERS names them, else 403.

    Admin rights come from the server's user configuration like every other entitlement, never from
    the token: a token's ``role`` claim of ``admin`` grants nothing (issue 12, finding 5).
    """
    if is_admin(caller, services.settings):
        return caller
    raise Problem(403, f"{caller.user_id!r} is not an administrator: only users listed in FXDESK_ADMIN_USERS "
                       "may use this endpoint.")


Admin = Annotated[Caller, Depends(require_admin)]
_ADMIN_ONLY = {403: {"description": "Not an administrator"}}


@router.get("/providers", response_model=list[ProviderInfo])
async def providers(caller: CurrentCaller, services: Services) -> list[ProviderInfo]:
    """List the chain's links in fallback order; only administrators see the providers' base URLs."""
    links = _models(services).providers()
    if is_admin(caller, services.settings):
        return links
    return [link.model_copy(update={"base_url": None}) for link in links]


@router.get("/providers/{name}/health", response_model=ProviderHealth, responses={404: {"description": "Unknown"}})
async def provider_health(name: str, _: CurrentCaller, services: Services) -> ProviderHealth:
    """Return one link's live health in this process (breaker, keys cooling, last error)."""
    models = _models(services)
    return models.health(_link(models, name).name)


@router.post("/providers/{name}/check", response_model=ProviderCheck,
             responses={**_ADMIN_ONLY, 404: {"description": "Unknown provider"}})
async def check_provider(name: str, _: Admin, services: Services) -> ProviderCheck:
    """Send one tiny real request through this link only (its retries, no fallback) and report it (admin)."""
    link = _link(_models(services), name)
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


@router.get("/usage", response_model=UsageReport, responses=_ADMIN_ONLY)
async def usage(_: Admin, services: Services) -> UsageReport:
    """Return requests, failures, fallbacks, tokens, cost and latency per provider and model (admin).

    The usage is the whole server's (every user's turns), so only administrators read it.
    """
    # The usage store may be Redis (blocking client): read it off the event loop.
    return await asyncio.to_thread(_models(services).usage)
