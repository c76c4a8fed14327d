"""fxdesk's own turn endpoints: ``POST /chat`` and the original brief's ``POST /api/risk/position/summary``.

Both answer the ``fxdesk ask --json`` record (DESIGN §7) and run through the LangGraph API's
thread ownership, run queue and executor (`server.chat_turn`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from server.chat_turn import run_desk_turn
from server.deps import CurrentCaller, Services
from server.ids import SafeId

router = APIRouter(tags=["fxdesk"])

_PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing, invalid or expired token (problem+json)."},
    403: {"description": "The context names another user or widens the caller's scope (problem+json)."},
    404: {"description": "The thread belongs to another user (problem+json)."},
    413: {"description": "Request body too large (problem+json)."},
    422: {"description": "Invalid body, or the message is longer than FXDESK_MAX_MESSAGE_CHARS (problem+json)."},
    429: {"description": "Per-user rate limit reached; see Retry-After (problem+json)."},
}


class ToolCallRecord(BaseModel):
    """One desk tool call of the turn and its result."""

    agent: str = Field(description="The desk that called the tool, e.g. position_risk.")
    name: str = Field(description="The tool, e.g. get_net_open_position.")
    args: dict[str, Any] = Field(description="The arguments the model wrote.")
    result: Any = Field(description="The tool's JSON result (status ok / not_entitled / error).")


class TurnResponse(BaseModel):
    """One turn, exactly as ``fxdesk ask --json`` prints it."""

    thread_id: str
    user_id: str
    route: list[str] = Field(description="Desks consulted this turn, in order.")
    tool_calls: list[ToolCallRecord]
    answer: str
    model: str = Field(description="provider:model that wrote the answer, e.g. offline:fxdesk-offline.")


class ChatRequest(BaseModel):
    """A message to the desk, in a new thread or a thread of yours."""

    model_config = ConfigDict(extra="forbid")

    message: str = Field(min_length=1, description="Your message (at most FXDESK_MAX_MESSAGE_CHARS characters).",
                         examples=["What's my EUR/USD exposure today?"])
    thread_id: SafeId | None = Field(None, description="Continue this thread; omit to start a new one.")


class ScopeRequest(BaseModel):
    """A narrowing of the caller's scope: it may only name the caller and subsets of their entitlements."""

    model_config = ConfigDict(extra="forbid")

    user_id: str | None = Field(None, description="Must be the authenticated user (in --dev mode: stands in for "
                                                  "a token).")
    role: str | None = Field(None, description="Must be the caller's role.")
    books: list[str] | None = Field(None, description="A subset of the caller's books.")
    customers: list[str] | None = Field(None, description="A subset of the caller's customers.")
    as_of: date | None = Field(None, description="Desk date (default: the dataset's).")


class PositionSummaryRequest(BaseModel):
    """The original brief's request: a message and the scope to answer it in."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "message": "What's my EUR/USD exposure today?",
        "context": {"user_id": "trader_aruna", "books": ["FX-G10"], "customers": ["Cust203"]}}]})

    message: str = Field(min_length=1, description="Your question (at most FXDESK_MAX_MESSAGE_CHARS characters).")
    context: ScopeRequest | None = None
    thread_id: SafeId | None = Field(None, description="Continue this thread; omit to start a new one.")


@router.post("/chat", response_model=TurnResponse, responses=_PROBLEMS)
async def chat(body: ChatRequest, caller: CurrentCaller, services: Services,
               request: Request) -> dict[str, Any]:
    """Send one message to the desk and get the turn's record; a paused confirmation takes it as the answer."""
    result = await run_desk_turn(services, caller, body.message, body.thread_id, None, request.state)
    return result.as_json()


@router.post("/api/risk/position/summary", response_model=TurnResponse, responses=_PROBLEMS)
async def position_summary(body: PositionSummaryRequest, caller: CurrentCaller, services: Services,
                           request: Request) -> dict[str, Any]:
    """Answer a position question in the caller's scope, narrowed by ``context`` (never widened: 403)."""
    context = body.context.model_dump(mode="json", exclude_none=True) if body.context else None
    result = await run_desk_turn(services, caller, body.message, body.thread_id, context, request.state)
    return result.as_json()
