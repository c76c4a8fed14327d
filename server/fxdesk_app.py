"""The app `fxdesk serve` runs: the LangGraph Server API (`server.app`) plus fxdesk's endpoints and limits.

On top of `create_app` this mounts ``/chat``, ``/api/risk/position/summary``, ``/genai/*``,
``/healthz``, ``/readyz`` and ``/metrics``, and wraps every request in (outermost first) metrics,
request audit, the body size limit and the run limits (rate, message length).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from server import app as api_app
from server.body_limit import BodyLimitMiddleware
from server.chat_turn import chat_registry
from server.desk_services import DESK_GRAPH_ID, DeskServices, served_models
from server.limits import LimitsMiddleware
from server.metrics import MetricsMiddleware
from server.ratelimit import Rate, RateLimiter
from server.request_audit import AuditWriter, RequestAuditMiddleware
from server.routes import chat, desk_panel, genai, health, web
from server.run_metrics import observed_registry
from server.settings import Settings


def create_fxdesk_app(*, settings: Settings | None = None, **kwargs: Any) -> FastAPI:
    """Build the fxdesk app; ``kwargs`` go to `server.app.create_app` (graphs, users, jwt_keys, dev, ...)."""
    settings = settings or Settings()
    return install_desk(api_app.create_app(settings=settings, **kwargs), settings)


def app_from_env() -> FastAPI:
    """Build the app from ``FXDESK_*`` variables (the uvicorn factory of ``fxdesk serve``)."""
    _audit_lines_to_stderr()
    return install_desk(api_app.app_from_env(), Settings())


def _audit_lines_to_stderr() -> None:
    # uvicorn configures only its own loggers: without a handler the INFO audit lines would be dropped.
    audit_log = logging.getLogger("fxdesk.audit")
    if not audit_log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        audit_log.addHandler(handler)
        audit_log.setLevel(logging.INFO)
        audit_log.propagate = False


def install_desk(app: FastAPI, settings: Settings) -> FastAPI:
    """Add fxdesk's routers, middleware and lifespan services to a LangGraph API app."""
    rate = Rate.parse(settings.rate_limit, burst=settings.rate_burst)  # fail at start on an unreadable rate
    desk = DeskServices(settings=settings)
    desk.metrics.add_usage_source(desk.usage_rows)
    app.state.desk = desk
    for router in (chat.router, genai.router, health.router, desk_panel.router):
        app.include_router(router)
    web.install_web(app)  # the web desk at / (issue 9)
    # Added innermost first: a request meets metrics, then audit, then the body limit, then run limits.
    app.add_middleware(LimitsMiddleware, desk=desk)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestAuditMiddleware, desk=desk)
    app.add_middleware(MetricsMiddleware, metrics=desk.metrics)
    api_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with api_lifespan(app):
            await _open(desk, app, rate)
            try:
                yield
            finally:
                if desk.audit is not None:
                    await desk.audit.stop()
                if desk.db is not None:
                    desk.db.engine.dispose()

    app.router.lifespan_context = lifespan
    return app


async def _open(desk: DeskServices, app: FastAPI, rate: Rate) -> None:
    from data.database import Database
    from llm.config import load_models

    services = app.state.api
    assistant = services.registry.resolve(DESK_GRAPH_ID)
    models = served_models(assistant) if assistant is not None else None
    desk.models = models or await asyncio.to_thread(load_models)
    desk.db = await asyncio.to_thread(Database.from_url, desk.settings.database_url)
    desk.limiter = RateLimiter(app.state.redis, rate, prefix=desk.settings.key_prefix)
    services.registry = observed_registry(services.registry, desk.metrics)  # runs by route, tool calls
    desk.chat_registry = chat_registry(services)
    desk.audit = AuditWriter(desk.db)
    desk.audit.start()
