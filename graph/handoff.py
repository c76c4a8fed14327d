"""Hand-off tools ``transfer_to_<desk>``: how the supervisor's model names the desk(s) to run.

They are bound to the supervisor's model but never executed by a `ToolNode`: the supervisor reads
the calls, checks each desk against the caller's role, and answers every call with a ToolMessage so
the thread stays valid for any provider.
"""

from __future__ import annotations

from collections.abc import Iterable

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, Field

from agents.history import HANDOFF_PREFIX
from tools.desks import DESKS, Desk

DESK_DESCRIPTIONS: dict[Desk, str] = {
    "position_risk": "net open positions and exposure per currency or pair (with USD equivalents), P&L, "
                     "VaR, limit utilisation, and what-if of a hypothetical trade",
    "trade_journal": "the caller's trade journal: add, list or update entries; win rate, expectancy, "
                     "profit factor, streaks by tag or pair",
    "psychology": "coaching on the caller's own trading behaviour: overtrading, revenge trading, loss "
                  "chasing, time of day, streaks",
    "compliance": "limit breaches, credit utilisation, restricted-list screening, pre-trade checks, "
                  "off-market rates, late bookings, customer KYC status",
}


class TransferArgs(BaseModel):
    """Arguments of a hand-off."""

    reason: str = Field("", description="One short sentence: what this desk should answer.")


def handoff_name(desk: str) -> str:
    """Return the hand-off tool name for ``desk``."""
    return f"{HANDOFF_PREFIX}{desk}"


def desk_of(tool_name: str) -> str | None:
    """Return the desk a hand-off tool name points at, or None for another tool."""
    return tool_name[len(HANDOFF_PREFIX):] if tool_name.startswith(HANDOFF_PREFIX) else None


def build_handoff_tool(desk: Desk) -> BaseTool:
    """Return the ``transfer_to_<desk>`` tool (its description is prompt text for the supervisor)."""

    def _transfer(reason: str = "") -> str:
        return f"Transferred to {desk}."

    return StructuredTool.from_function(
        func=_transfer,
        name=handoff_name(desk),
        description=f"Hand the user's question to the {desk} desk: {DESK_DESCRIPTIONS[desk]}.",
        args_schema=TransferArgs,
    )


def build_handoff_tools(desks: Iterable[Desk] = DESKS) -> list[BaseTool]:
    """Return hand-off tools for ``desks``, in desk order."""
    wanted = set(desks)
    return [build_handoff_tool(desk) for desk in DESKS if desk in wanted]
