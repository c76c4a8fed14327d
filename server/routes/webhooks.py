"""Admin view of webhooks that could not be delivered (the dead-letter list)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from server.routes.genai import require_admin
from server.routes.responses import json_response
from server.runs.caller import Caller

router = APIRouter(tags=["webhooks"])


@router.get("/webhooks/dead-letters")
async def dead_letters(request: Request, _: Annotated[Caller, Depends(require_admin)],
                       limit: Annotated[int, Query(ge=1, le=1000)] = 50,
                       offset: Annotated[int, Query(ge=0)] = 0) -> Response:
    """Return webhooks that failed every attempt, newest first, with their payload and last error (admin)."""
    return json_response(await request.app.state.webhooks.dead_letters(limit=limit, offset=offset))
