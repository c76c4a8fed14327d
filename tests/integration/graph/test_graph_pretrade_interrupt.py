"""The compliance confirmation pauses the turn and resumes from the checkpoint (memory and Redis)."""

from __future__ import annotations

import json

import pytest
from langchain_core.messages import HumanMessage, ToolMessage
from langgraph.types import Command

from data.queries.compliance import pre_trade_records
from tools.users import context_for


@pytest.mark.parametrize("answer, decision", [("yes", "confirmed"), ({"confirm": False}, "cancelled")])
def test_breach_pauses_then_a_fresh_graph_resumes_and_records(offline_builder, checkpointer, desk_db,
                                                              answer, decision):
    ctx = context_for(desk_db, "trader_aruna")
    thread = f"pretrade-{decision}-{type(checkpointer).__name__}"
    cfg = {"configurable": {"thread_id": thread}}
    paused = offline_builder.compile(checkpointer=checkpointer).invoke(
        {"messages": [HumanMessage("pre-trade check: buy 300m cable for Cust203")]}, cfg, context=ctx)
    [intr] = paused["__interrupt__"]
    check = intr.value["check"]
    assert check["verdict"] == "breach" and check["trade"]["pair"] == "GBPUSD"
    assert not [r for r in pre_trade_records(desk_db) if r["thread_id"] == thread]

    resumed = offline_builder.compile(checkpointer=checkpointer).invoke(Command(resume=answer), cfg, context=ctx)
    [result] = [json.loads(m.content) for m in resumed["messages"]
                if isinstance(m, ToolMessage) and m.name == "pre_trade_check"]
    assert result["decision"] == decision
    rows = [r for r in pre_trade_records(desk_db) if r["thread_id"] == thread]
    assert [(r["decision"], r["verdict"], r["pair"], r["notional"]) for r in rows] == [
        (decision, "breach", "GBPUSD", 300_000_000.0)]
    assert resumed["route"] == ["compliance"]
    assert decision in resumed["messages"][-1].content.lower()


def test_passing_check_is_recorded_without_a_pause(offline_builder, checkpointer, desk_db):
    ctx = context_for(desk_db, "trader_aruna")
    cfg = {"configurable": {"thread_id": f"pretrade-pass-{type(checkpointer).__name__}"}}
    state = offline_builder.compile(checkpointer=checkpointer).invoke(
        {"messages": [HumanMessage("pre-trade check: buy 1m cable for Cust203")]}, cfg, context=ctx)
    assert "__interrupt__" not in state
    [result] = [json.loads(m.content) for m in state["messages"]
                if isinstance(m, ToolMessage) and m.name == "pre_trade_check"]
    assert (result["verdict"], result["decision"]) == ("pass", "recorded")
