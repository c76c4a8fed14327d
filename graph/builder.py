"""Build the supervisor graph (uncompiled): the caller compiles it (Studio: no saver; server/CLI: ours).

Its desks are the desk contract's (`tools.contract.REGISTRY`): one node per desk, built by
`agents.build_agent`, and the supervisor's destinations are those desks and the end of the turn. A desk
added to the contract (with its tools, prompt and role grants) is a node the supervisor routes to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from langchain_core.tools import BaseTool
from langgraph.graph import END, START, StateGraph

from agents import AgentOptions, ModelSource, build_agent
from data.database import Database
from graph.desk_node import desk_node
from graph.memory import with_memory
from graph.state import SupervisorState
from graph.supervisor import DEFAULT_MAX_DESKS, make_supervisor
from tools.context import Context
from tools.contract import REGISTRY, Registry
from tools.desks import build_desk_tools
from tools.scope import LiveGrants, ScopeGate


def build_graph(
    models: ModelSource,
    db: Database,
    *,
    options: AgentOptions | None = None,
    max_desks: int = DEFAULT_MAX_DESKS,
    desk_tools: Mapping[str, Sequence[BaseTool]] | None = None,
    gate: ScopeGate | None = None,
    registry: Registry = REGISTRY,
) -> StateGraph:
    """Return the supervisor plus one subgraph node per desk of the contract, over one scope gate and database.

    Args:
        models: the model chain (``llm.config.load_models()``).
        db: the desk database (role grants, tools' data, pre-trade log).
        options: prompts, history budget and tool-round cap (default: latest prompts).
        max_desks: desks one turn may consult (1 to the number of desks; planned desks beyond it are named,
            not run).
        desk_tools: tools per desk (default: `build_desk_tools` over ``db``).
        gate: the scope gate shared by tools, routing and each desk's own entry check (default: a new one
            over ``db``); a desk refuses a role it is not granted to however it is entered (issue 12).
        registry: the desk contract whose desks the graph runs (default: the desks' own).

    """
    gate = gate or ScopeGate(db)
    options = options or AgentOptions(as_of=_safe_as_of(db))
    tools = desk_tools if desk_tools is not None else build_desk_tools(db, gate)
    desks = registry.desk_names()
    builder = StateGraph(SupervisorState, context_schema=Context)
    supervisor = make_supervisor(models, LiveGrants(gate), options, max_desks, registry)
    builder.add_node("supervisor", with_memory(supervisor), destinations=(*desks, END))
    for desk in desks:
        builder.add_node(desk, desk_node(desk, build_agent(desk, models, tools[desk], options, db=db, gate=gate)))
        builder.add_edge(desk, "supervisor")
    builder.add_edge(START, "supervisor")
    return builder


def _safe_as_of(db: Database):
    try:
        return db.as_of
    except RuntimeError:
        return None
