"""Test helper for issue 12's regression tests: an in-process fxdesk app whose 500s are answers, not raises."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from tests.integration.server.desk_app import desk_client

RUN_INPUT = {"messages": [{"role": "user", "content": "hi"}]}


@asynccontextmanager
async def answering_client(redis_url: str, prefix: str, **settings: object) -> AsyncIterator[httpx.AsyncClient]:
    """Yield `desk_client`, but a server error comes back as the 500 a real client would see."""
    async with desk_client(redis_url, prefix, **settings) as client:
        client._transport = httpx.ASGITransport(app=client.app, raise_app_exceptions=False)  # type: ignore[attr-defined]
        yield client


def assert_problem(response: httpx.Response, status: int, *mentions: str) -> dict:
    """Assert ``response`` is a problem+json with ``status`` whose detail names each of ``mentions``."""
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    problem = response.json()
    assert problem["status"] == status and problem["type"].startswith("https://fxdesk.dev/problems/")
    for word in mentions:
        assert word in problem["detail"], (word, problem["detail"])
    for leak in ("Traceback", "validation errors for", "pydantic", "For further information"):
        assert leak not in response.text, response.text[:500]
    return problem
