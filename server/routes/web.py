"""The web desk: the built single-page app at ``/`` and, under ``--dev`` only, demo sign-in.

The assets are built from ``web/`` (``npm ci && npm run build``) into ``server/web_dist/`` and ship
inside the Python package, so ``fxdesk serve`` needs no Node. ``/dev/users`` and ``/dev/token``
answer 404 unless the app runs with ``--dev`` (loopback only): they mint development JWTs for any
demo user without a password.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from server.auth import mint_token
from server.deps import Services

WEB_DIST = Path(__file__).resolve().parents[1] / "web_dist"
DEV_TOKEN_TTL = timedelta(hours=8)
_NOT_BUILT = ("<!doctype html><title>fxdesk</title><p>The web desk is not built: run "
              "<code>npm ci &amp;&amp; npm run build</code> in <code>web/</code>.</p>")

router = APIRouter(tags=["web desk"])


class DevTokenRequest(BaseModel):
    """Body of ``POST /dev/token``."""

    user_id: str = Field(min_length=1, max_length=64, description="A demo user, e.g. trader_aruna.")


@router.get("/", include_in_schema=False, response_model=None)
async def index() -> FileResponse | HTMLResponse:
    """Serve the web desk's page."""
    page = WEB_DIST / "index.html"
    if not page.is_file():
        return HTMLResponse(_NOT_BUILT, status_code=503)
    return FileResponse(page, headers={"Cache-Control": "no-cache"})


@router.get("/dev/users", include_in_schema=False)
async def dev_users(request: Request, services: Services) -> list[dict[str, Any]]:
    """List the demo users for the sign-in picker (``--dev`` only)."""
    _require_dev(services.dev)
    from data.users import list_users

    users = await asyncio.to_thread(list_users, request.app.state.services.db)
    return [{"user_id": u.user_id, "name": u.name, "role": u.role, "books": list(u.books)} for u in users]


@router.post("/dev/token", include_in_schema=False)
async def dev_token(body: DevTokenRequest, services: Services) -> dict[str, Any]:
    """Mint a development token for a demo user (``--dev`` only)."""
    _require_dev(services.dev)
    found = await services.entitlements(body.user_id)
    if found is None:
        raise HTTPException(404, f"Unknown user {body.user_id!r}.")
    token = mint_token(found.user_id, found.role, services.jwt_keys, ttl=DEV_TOKEN_TTL)
    return {"token": token, "user_id": found.user_id, "role": found.role,
            "expires_in": int(DEV_TOKEN_TTL.total_seconds())}


def install_web(app: FastAPI) -> FastAPI:
    """Mount the web desk (page, hashed assets, dev sign-in) on ``app``."""
    app.include_router(router)
    assets = WEB_DIST / "assets"
    if assets.is_dir():
        app.mount("/assets", StaticFiles(directory=assets), name="web-assets")
    return app


def _require_dev(dev: bool) -> None:
    if not dev:
        raise HTTPException(404, "Not Found")
