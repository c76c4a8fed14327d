"""Hand-off tools ``transfer_to_<desk>``: how the supervisor's model names the desk(s) to run.

They are bound to the supervisor's model but never executed by a `ToolNode`: the supervisor reads
the calls, checks each desk against the caller's role, and answers every call with a ToolMessage so
the thread stays valid for any provider.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, Field

from agents.history import HANDOFF_PREFIX
from tools.contract import DESKS as CONTRACT_DESKS
from tools.contract import REGISTRY, Registry
from tools.desks import DESKS, Desk

# What each desk answers, from the desk contract: the hand-off's description is the supervisor's prompt text.
DESK_DESCRIPTIONS: dict[Desk, str] = {cast(Desk, d.name): d.summary for d in CONTRACT_DESKS}


class TransferArgs(BaseModel):
    """Arguments of a hand-off."""

    reason: str = Field("", description="One short sentence: what this desk should answer.")


def handoff_name(desk: str) -> str:
    """Return the hand-off tool name for ``desk``."""
    return f"{HANDOFF_PREFIX}{desk}"


def desk_of(tool_name: str) -> str | None:
    """Return the desk a hand-off tool name points at, or None for another tool."""
    return tool_name[len(HANDOFF_PREFIX):] if tool_name.startswith(HANDOFF_PREFIX) else None


def build_handoff_tool(desk: str, summary: str | None = None) -> BaseTool:
    """Return the ``transfer_to_<desk>`` tool (its description is prompt text for the supervisor).

    Args:
        desk: The desk's name.
        summary: What the desk answers (default: the desk contract's summary).

    """
    summary = summary if summary is not None else DESK_DESCRIPTIONS[cast(Desk, desk)]

    def _transfer(reason: str = "") -> str:
        return f"Transferred to {desk}."

    return StructuredTool.from_function(
        func=_transfer,
        name=handoff_name(desk),
        description=f"Hand the user's question to the {desk} desk: {summary}.",
        args_schema=TransferArgs,
    )


def build_handoff_tools(desks: Iterable[str] = DESKS, registry: Registry = REGISTRY) -> list[BaseTool]:
    """Return hand-off tools for ``desks``, in the contract's desk order, described by the contract."""
    wanted = set(desks)
    return [build_handoff_tool(d.name, d.summary) for d in registry.desks if d.name in wanted]
