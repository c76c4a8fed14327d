"""Test helper: the `fxdesk serve` app in-process (httpx ASGITransport, lifespan entered), on the real graph."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from server.app import create_app
from server.settings import Settings
from tests.integration.server.conftest import KEYS


@asynccontextmanager
async def desk_client(redis_url: str, prefix: str, *, dev: bool = False,
                      **settings: object) -> AsyncIterator[httpx.AsyncClient]:
    """Yield a client on a fresh fxdesk app (langgraph.json's graph, Redis under ``prefix``); ``client.app`` is it."""
    app = create_app(settings=Settings(redis_url=redis_url, key_prefix=prefix, **settings), jwt_keys=KEYS,
                            dev=dev)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://fxdesk.test", timeout=60) as client:
            client.app = app  # type: ignore[attr-defined]
            yield client
