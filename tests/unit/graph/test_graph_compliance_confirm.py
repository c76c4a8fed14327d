from __future__ import annotations

import json

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from data.queries.compliance import pre_trade_records
from graph.builder import build_graph
from tools.context import Context

TRADER = Context(user_id="trader_aruna", role="trader", books=("FX-G10",), customers=("Cust203",))


def _check_tool(verdict: str):
    @tool("pre_trade_check")
    def pre_trade_check(pair: str, side: str, notional: float) -> dict:
        """Pre-trade check (fake)."""
        return {"status": "ok", "verdict": verdict,
                "trade": {"book": "FX-G10", "pair": pair, "side": side, "notional": notional, "customer": None},
                "reasons": [{"kind": "nop", "message": "GBP NOP 120.00% of limit"}] if verdict == "breach" else []}

    return pre_trade_check


def _graph(scripted, db, fake_tools, verdict):
    tools = {**fake_tools, "compliance": [_check_tool(verdict)]}
    models = scripted.Models(
        supervisor=[scripted.transfer("compliance")],
        compliance=[scripted.call("pre_trade_check", {"pair": "GBPUSD", "side": "buy", "notional": 2e7}),
                    lambda msgs, bound: AIMessage("decision: " + json.loads(msgs[-1].content)["decision"])],
    )
    return build_graph(models, db, desk_tools=tools).compile(checkpointer=InMemorySaver())


@pytest.mark.parametrize("resume, decision", [({"confirm": True}, "confirmed"), ({"confirm": False}, "cancelled"),
                                              ("yes", "confirmed"), ("no", "cancelled"), (True, "confirmed")])
def test_breach_pauses_for_confirmation_then_records_the_decision(scripted, grants_db, fake_tools, resume, decision):
    graph = _graph(scripted, grants_db, fake_tools, "breach")
    cfg = {"configurable": {"thread_id": "c"}}
    out = graph.invoke({"messages": [HumanMessage("pre-trade check buy 20m cable")]}, cfg, context=TRADER)
    assert out["__interrupt__"][0].value["check"]["verdict"] == "breach"
    assert pre_trade_records(grants_db) == []  # nothing recorded before the answer
    state = graph.invoke(Command(resume=resume), cfg, context=TRADER)
    assert state["messages"][-1].content.startswith(f"decision: {decision}")
    records = pre_trade_records(grants_db)
    assert [(r["decision"], r["verdict"], r["user_id"], r["thread_id"]) for r in records] == [
        (decision, "breach", "trader_aruna", "c")]


def test_pass_verdict_is_recorded_without_asking(scripted, grants_db, fake_tools):
    graph = _graph(scripted, grants_db, fake_tools, "pass")
    state = graph.invoke({"messages": [HumanMessage("check buy 1m cable")]}, {"configurable": {"thread_id": "p"}},
                         context=TRADER)
    assert "__interrupt__" not in state
    assert state["messages"][-1].content.startswith("decision: recorded")
    assert [r["decision"] for r in pre_trade_records(grants_db)] == ["recorded"]
