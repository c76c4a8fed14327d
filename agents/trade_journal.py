"""The trade-journal specialist: a tool-calling loop over the trade-journal desk's tools."""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.tools import BaseTool
from langgraph.graph.state import CompiledStateGraph

from agents.loop import ModelSource, build_desk_agent
from agents.options import AgentOptions
from tools.scope import ScopeGate

DESK = "trade_journal"


def build_trade_journal_agent(models: ModelSource, tools: Sequence[BaseTool],
                              options: AgentOptions | None = None, *,
                              gate: ScopeGate | None = None) -> CompiledStateGraph:
    """Build the trade-journal agent with its own prompt from the registry."""
    return build_desk_agent(DESK, models, tools, options, gate=gate)
