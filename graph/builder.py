"""Build the supervisor graph (uncompiled): the caller compiles it (Studio: no saver; server/CLI: ours)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from langchain_core.tools import BaseTool
from langgraph.graph import START, StateGraph

from agents import (
    AgentOptions,
    ModelSource,
    build_compliance_agent,
    build_position_risk_agent,
    build_psychology_agent,
    build_trade_journal_agent,
)
from data.database import Database
from graph.state import SupervisorState
from graph.supervisor import DEFAULT_MAX_HOPS, make_supervisor
from tools.context import Context
from tools.desks import DESKS, Desk, build_desk_tools
from tools.scope import ScopeGate


def build_graph(
    models: ModelSource,
    db: Database,
    *,
    options: AgentOptions | None = None,
    max_hops: int = DEFAULT_MAX_HOPS,
    desk_tools: Mapping[Desk, Sequence[BaseTool]] | None = None,
    gate: ScopeGate | None = None,
) -> StateGraph:
    """Return the supervisor plus the four desks as subgraph nodes, over one scope gate and database.

    Args:
        models: the model chain (``llm.config.load_models()``).
        db: the desk database (role grants, tools' data, pre-trade log).
        options: prompts, history budget and tool-round cap (default: latest prompts).
        max_hops: hand-offs allowed per turn.
        desk_tools: tools per desk (default: `build_desk_tools` over ``db``).
        gate: the scope gate shared by tools and routing (default: a new one over ``db``).

    """
    gate = gate or ScopeGate(db)
    options = options or AgentOptions(as_of=_safe_as_of(db))
    tools = desk_tools if desk_tools is not None else build_desk_tools(db, gate)
    builders: dict[Desk, Callable[[], object]] = {
        "position_risk": lambda: build_position_risk_agent(models, tools["position_risk"], options),
        "trade_journal": lambda: build_trade_journal_agent(models, tools["trade_journal"], options),
        "psychology": lambda: build_psychology_agent(models, tools["psychology"], options),
        "compliance": lambda: build_compliance_agent(models, tools["compliance"], options, db=db),
    }
    builder = StateGraph(SupervisorState, context_schema=Context)
    builder.add_node("supervisor", make_supervisor(models, gate.grants(), options, max_hops))
    for desk in DESKS:
        builder.add_node(desk, builders[desk]())
        builder.add_edge(desk, "supervisor")
    builder.add_edge(START, "supervisor")
    return builder


def _safe_as_of(db: Database):
    try:
        return db.as_of
    except RuntimeError:
        return None
