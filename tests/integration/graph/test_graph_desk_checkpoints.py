"""Desks write no checkpoints of their own while they run, yet pause, resume and show in Studio as before (issue 16)."""

from __future__ import annotations

import json
from collections import Counter

from langchain_core.messages import HumanMessage, ToolMessage
from langgraph.types import Command

from data.queries.compliance import pre_trade_records
from tools.users import context_for


def _namespaces(saver, thread: str) -> Counter:
    return Counter(c.config["configurable"]["checkpoint_ns"].split(":")[0]
                   for c in saver.list({"configurable": {"thread_id": thread}}))


def test_a_desk_turn_checkpoints_only_the_supervisor_unless_durability_is_sync(offline_builder, checkpointer,
                                                                               desk_db):
    """Issue 16: desk subgraphs no longer double the checkpoint writes; ``sync`` still persists every desk step."""
    graph = offline_builder.compile(checkpointer=checkpointer)
    ctx = context_for(desk_db, "trader_aruna")
    question = {"messages": [HumanMessage("What's my EUR/USD exposure today?")]}
    graph.invoke(question, {"configurable": {"thread_id": "cp-async"}}, context=ctx, durability="async")
    graph.invoke(question, {"configurable": {"thread_id": "cp-sync"}}, context=ctx, durability="sync")
    async_turn, sync_turn = _namespaces(checkpointer, "cp-async"), _namespaces(checkpointer, "cp-sync")
    assert set(async_turn) == {""}                # no checkpoint under the desk's namespace
    assert sync_turn[""] == async_turn[""]        # the supervisor's checkpoints are the same
    assert sync_turn["position_risk"] >= 3        # sync: the desk's input, model, tools, model steps


def test_the_desk_task_write_holds_this_turns_desk_messages_not_the_thread(offline_builder, checkpointer, desk_db):
    """Issue 16: the supervisor's stored write of a desk step is the desk's new messages only."""
    graph = offline_builder.compile(checkpointer=checkpointer)
    ctx = context_for(desk_db, "trader_aruna")
    cfg = {"configurable": {"thread_id": "cp-writes"}}
    for text in ("What's my EUR/USD exposure today?", "and GBP?"):
        graph.invoke({"messages": [HumanMessage(text)]}, cfg, context=ctx, durability="sync")
    before_desk = next(s for s in graph.get_state_history(cfg) if s.next == ("position_risk",))
    writes = [value for _task, channel, value in checkpointer.get_tuple(before_desk.config).pending_writes
              if channel == "messages"]
    [desk_messages] = writes
    history = len(before_desk.values["messages"])
    assert history > 6 and 0 < len(desk_messages) <= 4  # tool call, result, answer (not the whole thread)
    assert all(m.name in ("position_risk", "get_net_open_position") for m in desk_messages)


def test_a_paused_compliance_desk_is_visible_as_a_subgraph_and_resumes_at_confirm(offline_builder, checkpointer,
                                                                                  desk_db):
    """Issue 16: the pause is checkpointed in the desk's namespace; the resume runs confirm then the model only."""
    graph = offline_builder.compile(checkpointer=checkpointer)
    ctx = context_for(desk_db, "trader_aruna")
    thread = f"cp-pause-{type(checkpointer).__name__}"  # the desk database is shared by the session
    cfg = {"configurable": {"thread_id": thread}}
    graph.invoke({"messages": [HumanMessage("pre-trade check: buy 300m cable for Cust203")]}, cfg, context=ctx)
    snapshot = graph.get_state(cfg, subgraphs=True)
    [task] = snapshot.tasks
    assert (snapshot.next, task.name, task.state.next) == (("compliance",), "compliance", ("confirm",))
    assert task.interrupts and task.interrupts[0].value["type"] == "pre_trade_confirmation"
    assert any(node.startswith("compliance:") for node in graph.get_graph(xray=True).nodes)

    steps = [(ns[0].split(":")[0] if ns else "", list(update))
             for ns, update in graph.stream(Command(resume="yes"), cfg, context=ctx, subgraphs=True,
                                            stream_mode="updates")]
    assert steps == [("compliance", ["confirm"]), ("compliance", ["model"]), ("", ["compliance"]),
                     ("", ["supervisor"])]
    final = graph.get_state(cfg).values["messages"]
    [result] = [json.loads(m.content) for m in final if isinstance(m, ToolMessage) and m.name == "pre_trade_check"]
    assert result["decision"] == "confirmed"
    assert [r["decision"] for r in pre_trade_records(desk_db) if r["thread_id"] == thread] == ["confirmed"]
