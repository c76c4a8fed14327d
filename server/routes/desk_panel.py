"""Read endpoints of the web desk's panel: positions, limits, VaR, P&L, journal, behaviour and candles.

Every figure comes from the same scoped desk tools the agents call (`tools.desks.build_desk_tools`),
invoked with the authenticated caller's `Context`: one data path, the same scope checks and the
same audit rows (thread ``web-desk-panel``). A tool's refusal (``not_entitled``) is passed through
as data, so the panel can say "not available for your role" instead of failing.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from langchain_core.tools import BaseTool
from langgraph.prebuilt import ToolRuntime

from data.calendar import business_days
from server.deps import CurrentCaller
from tools.context import Context
from tools.desks import build_desk_tools

router = APIRouter(prefix="/desk/panel", tags=["web desk"])
PANEL_THREAD = "web-desk-panel"
PNL_DAYS_MAX = 30


def _tools(request: Request) -> dict[str, BaseTool]:
    state = request.app.state
    tools = getattr(state, "desk_panel_tools", None)
    if tools is None:
        tools = {t.name: t for desk in build_desk_tools(state.desk.db).values() for t in desk}
        state.desk_panel_tools = tools
    return tools


def _invoke(tool: BaseTool, context: Context, args: dict[str, Any]) -> dict[str, Any]:
    runtime = ToolRuntime(state={}, context=context, config={"configurable": {"thread_id": PANEL_THREAD}},
                          stream_writer=lambda _chunk: None, tool_call_id=f"panel-{tool.name}", store=None)
    return tool.invoke({**args, "runtime": runtime})


async def _call(request: Request, caller: CurrentCaller, name: str, **args: Any) -> dict[str, Any]:
    tool = _tools(request)[name]
    return {"name": name, "args": args,
            "result": await asyncio.to_thread(_invoke, tool, caller.entitlements, args)}


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
    end = caller.entitlements.as_of or request.app.state.desk.db.as_of
    calls = [await _call(request, caller, "get_pnl", window=f"{day}..{day}") for day in business_days(end, days)]
    return {"user_id": caller.user_id, "days": calls}


@router.get("/journal")
async def journal(request: Request, caller: CurrentCaller,
                  window: Annotated[str, Query(max_length=60)] = "last 90 days") -> dict[str, Any]:
    """Return the caller's journal statistics over a window."""
    return {"user_id": caller.user_id, "stats": await _call(request, caller, "get_journal_stats", window=window)}


@router.get("/behaviour")
async def behaviour(request: Request, caller: CurrentCaller,
                    window: Annotated[str, Query(max_length=60)] = "last 30 days") -> dict[str, Any]:
    """Return the caller's behaviour flags with their evidence over a window."""
    return {"user_id": caller.user_id,
            "report": await _call(request, caller, "get_behaviour_report", window=window)}


@router.get("/rates")
async def rates(request: Request, caller: CurrentCaller, pair: Annotated[str, Query(max_length=12)],
                window: Annotated[str, Query(max_length=60)] = "last 3 months") -> dict[str, Any]:
    """Daily candles of one pair (refused when the pair's book is outside the caller's scope)."""
    return {"user_id": caller.user_id, "history": await _call(request, caller, "get_rate_history", pair=pair,
                                                              window=window)}


