"""The graph is built from the desk contract (issue 17): a desk added to the registry is routed to."""

from __future__ import annotations

import shutil
from pathlib import Path

from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from sqlalchemy import insert

from agents import AgentOptions
from data import schema
from graph.builder import build_graph
from prompts import PromptRegistry
from tools.context import Context
from tools.contract import DESKS, INTENTS, TOOLS, DeskSpec, Registry

PROMPTS = Path(__file__).resolve().parents[3] / "prompts"
TRADER = Context(user_id="trader_aruna", role="trader", books=("FX-G10",), customers=("Cust203",))
OPTIONS_DESK = DeskSpec("fx_options", "FX options", "option greeks and premiums on the book's FX options",
                        ("\"vega on cable options\"",))


@tool("get_option_greeks")
def get_option_greeks(pair: str | None = None) -> dict:
    """Greeks of the FX options book (fake)."""
    return {"status": "ok", "pair": pair, "vega_usd": 12000.0}


def _options_registry() -> Registry:
    return Registry((*DESKS, OPTIONS_DESK), TOOLS, INTENTS)


def _prompts_with_options_desk(tmp_path: Path) -> PromptRegistry:
    root = tmp_path / "prompts"
    shutil.copytree(PROMPTS, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (root / "fx_options").mkdir()
    text = (PROMPTS / "position_risk" / "v1.md").read_text(encoding="utf-8")
    (root / "fx_options" / "v1.md").write_text(text.replace("id: position_risk", "id: fx_options"), encoding="utf-8")
    return PromptRegistry.load(root)


def test_a_desk_added_to_the_registry_is_a_node_the_supervisor_routes_to(scripted, grants_db, fake_tools, tmp_path):
    with grants_db.engine.begin() as conn:
        conn.execute(insert(schema.role_grants).values(role="trader", desk="fx_options", tools="*"))
    models = scripted.Models(
        supervisor=[scripted.transfer("fx_options")],
        fx_options=[scripted.call("get_option_greeks", {"pair": "GBPUSD"}), AIMessage("Vega 12,000 USD on cable")],
    )
    graph = build_graph(models, grants_db, desk_tools={**fake_tools, "fx_options": [get_option_greeks]},
                        options=AgentOptions(prompts=_prompts_with_options_desk(tmp_path)),
                        registry=_options_registry()).compile(checkpointer=InMemorySaver())
    assert "fx_options" in graph.get_graph().nodes
    state = graph.invoke({"messages": [HumanMessage("vega on cable options?")]},
                         {"configurable": {"thread_id": "t1"}}, context=TRADER)
    assert models.calls[0]["bound"][-1] == "transfer_to_fx_options"
    assert state["route"] == ["fx_options"]
    assert state["messages"][-1].content == "Vega 12,000 USD on cable"


def test_the_default_graph_has_exactly_the_contracts_desks(scripted, grants_db, fake_tools):
    graph = build_graph(scripted.Models(), grants_db, desk_tools=fake_tools).compile()
    nodes = set(graph.get_graph().nodes) - {"__start__", "__end__", "supervisor"}
    assert nodes == {d.name for d in DESKS}
