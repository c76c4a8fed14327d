"""The psychology specialist: a tool-calling loop over the psychology desk's tools."""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.tools import BaseTool
from langgraph.graph.state import CompiledStateGraph

from agents.loop import ModelSource, build_desk_agent
from agents.options import AgentOptions
from tools.scope import ScopeGate

DESK = "psychology"


def build_psychology_agent(models: ModelSource, tools: Sequence[BaseTool],
                           options: AgentOptions | None = None, *,
                           gate: ScopeGate | None = None) -> CompiledStateGraph:
    """Build the psychology agent with its own prompt from the registry."""
    return build_desk_agent(DESK, models, tools, options, gate=gate)
