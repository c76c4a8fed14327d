"""Read endpoints of the web desk's panel: positions, limits, VaR, P&L, journal, behaviour, candles and the pair list.

Every figure comes from the same scoped desk tools the agents call (`tools.desks.build_desk_tools`
over the runtime's scope gate), invoked with the authenticated caller's `Context`: one data path,
the same scope checks and the same audit rows (thread ``web-desk-panel``). A tool's refusal
(``not_entitled``) is passed through as data, so the panel can say "not available for your role" instead of failing.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from langchain_core.tools import BaseTool
from langgraph.prebuilt import ToolRuntime

from data.calendar import business_days
from data.queries.rates import pair_universe
from llm.offline.lexicon import NICKNAMES
from server.deps import CurrentCaller
from server.panel_limit import charge_panel
from server.problems import Problem
from tools.context import Context
from tools.errors import ToolInputError
from tools.windows import resolve_window

# Each request is charged its tool calls against the caller's panel budget first (server.panel_limit).
router = APIRouter(prefix="/desk/panel", tags=["web desk"], dependencies=[Depends(charge_panel)],
                   responses={429: {"description": "Panel rate limit reached (Retry-After)"}})
PANEL_THREAD = "web-desk-panel"
PNL_DAYS_MAX = 30


def _tools(request: Request) -> dict[str, BaseTool]:
    return request.app.state.services.panel_tools


def _invoke(tool: BaseTool, context: Context, args: dict[str, Any]) -> dict[str, Any]:
    runtime = ToolRuntime(state={}, context=context, config={"configurable": {"thread_id": PANEL_THREAD}},
                          stream_writer=lambda _chunk: None, tool_call_id=f"panel-{tool.name}", store=None)
    return tool.invoke({**args, "runtime": runtime})


async def _call(request: Request, caller: CurrentCaller, name: str, **args: Any) -> dict[str, Any]:
    tool = _tools(request)[name]
    return {"name": name, "args": args,
            "result": await asyncio.to_thread(_invoke, tool, caller.entitlements, args)}


def _window(request: Request, caller: CurrentCaller, window: str) -> str:
    # A window the tools cannot read is the request's fault: 422 naming it, not a result (issue 12).
    try:
        resolve_window(window, caller.entitlements.as_of or request.app.state.services.db.as_of)
    except ToolInputError as exc:
        raise Problem(422, f"window: {exc.message}") from None
    return window


@router.get("/positions")
async def positions(request: Request, caller: CurrentCaller) -> dict[str, Any]:
    """Net open position by currency, limit utilisation per book and VaR against its limit."""
    nop, limits, var = await asyncio.gather(
        _call(request, caller, "get_net_open_position"),
        _call(request, caller, "get_limit_utilisation"),
        _call(request, caller, "get_var", method="parametric"),
    )
    return {"user_id": caller.user_id, "nop": nop, "limits": limits, "var": var}


@router.get("/pnl")
async def pnl(request: Request, caller: CurrentCaller,
              days: Annotated[int, Query(ge=1, le=PNL_DAYS_MAX)] = 10) -> dict[str, Any]:
    """Day P&L for each of the last ``days`` business days (one get_pnl call per day)."""
    end = caller.entitlements.as_of or request.app.state.services.db.as_of
    calls = [await _call(request, caller, "get_pnl", window=f"{day}..{day}") for day in business_days(end, days)]
    return {"user_id": caller.user_id, "days": calls}


@router.get("/journal")
async def journal(request: Request, caller: CurrentCaller,
                  window: Annotated[str, Query(max_length=60)] = "last 90 days") -> dict[str, Any]:
    """Return the caller's journal statistics over a window."""
    window = _window(request, caller, window)
    return {"user_id": caller.user_id, "stats": await _call(request, caller, "get_journal_stats", window=window)}


@router.get("/behaviour")
async def behaviour(request: Request, caller: CurrentCaller,
                    window: Annotated[str, Query(max_length=60)] = "last 30 days") -> dict[str, Any]:
    """Return the caller's behaviour flags with their evidence over a window."""
    window = _window(request, caller, window)
    return {"user_id": caller.user_id,
            "report": await _call(request, caller, "get_behaviour_report", window=window)}


@router.get("/pairs")
async def pairs(request: Request, caller: CurrentCaller) -> dict[str, Any]:
    """Return the pair universe from the ``pairs`` table (reference data: every authenticated caller may read it)."""
    universe = await asyncio.to_thread(pair_universe, request.app.state.services.db.engine)
    # the desk's nicknames ("cable", "fibre") of the pairs it trades, as the offline model reads them
    nicknames = {word: pair for word, pair in NICKNAMES.items() if pair in universe.codes}
    return {"user_id": caller.user_id, "pairs": universe.as_rows(), "currencies": list(universe.currencies),
            "nicknames": nicknames}


@router.get("/rates")
async def rates(request: Request, caller: CurrentCaller, pair: Annotated[str, Query(max_length=12)],
                window: Annotated[str, Query(max_length=60)] = "last 3 months") -> dict[str, Any]:
    """Daily candles of one pair (refused when the pair's book is outside the caller's scope)."""
    window = _window(request, caller, window)
    return {"user_id": caller.user_id, "history": await _call(request, caller, "get_rate_history", pair=pair,
                                                              window=window)}


