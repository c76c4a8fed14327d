"""Liveness, readiness and Prometheus metrics: ``/healthz``, ``/readyz``, ``/metrics``.

``/healthz`` touches nothing (the process answers). ``/readyz`` checks what a request needs, each
check bounded to about a second and all at once: Redis answers PING, the desk database answers
``SELECT 1``, and at least one model link is usable (the offline model always is). Failing checks
give a 503 problem naming them.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy import text

from server.deps import Services
from server.problems import MEDIA_TYPE
from server.services import AppServices

router = APIRouter(tags=["health"])
CHECK_TIMEOUT_S = 1.0


class Liveness(BaseModel):
    """The process is up."""

    status: str = "ok"


class Readiness(BaseModel):
    """Each dependency's check: ``ok`` or why it failed."""

    status: str
    checks: dict[str, str]


@router.get("/healthz", response_model=Liveness)
async def healthz() -> Liveness:
    """Answer 200 while the process is alive (no dependency is touched)."""
    return Liveness()


@router.get("/readyz", response_model=Readiness, responses={503: {"description": "A check failed (problem+json)"}})
async def readyz(request: Request, services: Services) -> Any:
    """Check Redis, the database and the model chain; 503 with the failing checks named."""
    names = ("redis", "database", "models")
    outcomes = await asyncio.gather(_bounded(_redis(request)), _bounded(_database(services)),
                                    _bounded(_models(services)))
    checks = dict(zip(names, outcomes, strict=True))
    failed = [name for name, outcome in checks.items() if outcome != "ok"]
    if not failed:
        return Readiness(status="ok", checks=checks)
    detail = "Not ready: " + "; ".join(f"{name}: {checks[name]}" for name in failed)
    return JSONResponse({"type": "https://fxdesk.dev/problems/service-unavailable", "title": "Service Unavailable",
                         "status": 503, "detail": detail, "checks": checks}, status_code=503, media_type=MEDIA_TYPE,
                        headers={"Retry-After": "1"})


@router.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
async def metrics(services: Services) -> Response:
    """Return every metric in the Prometheus text format (model usage is read on each scrape)."""
    body = await asyncio.to_thread(services.metrics.render)
    return Response(body, media_type=services.metrics.content_type)


async def _bounded(check: Any) -> str:
    try:
        return await asyncio.wait_for(check, CHECK_TIMEOUT_S)
    except TimeoutError:
        return f"no answer within {CHECK_TIMEOUT_S:.0f} s"
    except Exception as exc:  # a failed check is the answer, not a server error
        return f"{type(exc).__name__}: {exc}"


async def _redis(request: Request) -> str:
    await request.app.state.services.redis.ping()
    return "ok"


async def _database(services: AppServices) -> str:
    def select_one() -> None:
        with services.db.engine.connect() as conn:
            conn.execute(text("SELECT 1")).scalar_one()

    await asyncio.to_thread(select_one)
    return "ok"


async def _models(services: AppServices) -> str:
    models = services.models
    usable = [link.name for link in models.links if models.health(link.name).status in ("up", "degraded")]
    return "ok" if usable else "no model link is usable (every breaker open or key missing)"
