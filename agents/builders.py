"""Build any desk's agent by its contract name: the shared tool loop, or the desk's own builder when it has one.

The graph builds one agent per desk of the desk contract (`tools.contract.REGISTRY`), so a desk added
to the contract gets the shared tool-calling loop (`agents.loop.build_desk_agent`) under its own prompt
with no change here. Only a desk with extra steps names its own builder in `OWN_BUILDERS` (compliance:
the confirmation of a breached pre-trade check, which records decisions in the database).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from langchain_core.tools import BaseTool
from langgraph.graph.state import CompiledStateGraph

from agents.compliance import build_compliance_agent
from agents.loop import ModelSource, build_desk_agent
from agents.options import AgentOptions
from data.database import Database
from tools.scope import ScopeGate

__all__ = ["OWN_BUILDERS", "AgentBuilder", "build_agent"]

AgentBuilder = Callable[[ModelSource, Sequence[BaseTool], AgentOptions | None, Database | None, ScopeGate | None],
                        CompiledStateGraph]


def _compliance(models: ModelSource, tools: Sequence[BaseTool], options: AgentOptions | None,
                db: Database | None, gate: ScopeGate | None) -> CompiledStateGraph:
    return build_compliance_agent(models, tools, options, db=db, gate=gate)


OWN_BUILDERS: Mapping[str, AgentBuilder] = {"compliance": _compliance}


def build_agent(desk: str, models: ModelSource, tools: Sequence[BaseTool], options: AgentOptions | None = None,
                *, db: Database | None = None, gate: ScopeGate | None = None) -> CompiledStateGraph:
    """Build the agent of ``desk``: its own builder if it has one, else the shared tool loop.

    Args:
        desk: A desk name of the desk contract (also the agent's prompt name).
        models: The model chain.
        tools: The desk's tools.
        options: Prompts, history budget and tool-round cap.
        db: The desk database, for desks that record decisions (compliance).
        gate: The scope gate the desk checks the caller's role against.

    """
    own = OWN_BUILDERS.get(desk)
    if own is not None:
        return own(models, tools, options, db, gate)
    return build_desk_agent(desk, models, tools, options, gate=gate)
