from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

from graph.builder import build_graph
from tools.context import Context

TRADER = Context(user_id="trader_aruna", role="trader", books=("FX-G10",), customers=("Cust203",))
ONBOARDING = Context(user_id="onboarding_sam", role="onboarding", books=(), customers=("Cust203",))


def _run(models, db, fake_tools, text, ctx=TRADER, max_hops=4, thread="t1"):
    graph = build_graph(models, db, desk_tools=fake_tools, max_desks=max_hops).compile(checkpointer=InMemorySaver())
    state = graph.invoke({"messages": [HumanMessage(text)]}, {"configurable": {"thread_id": thread}}, context=ctx)
    return graph, state


def test_single_desk_answer_is_returned_as_is_with_route_and_model(scripted, grants_db, fake_tools):
    models = scripted.Models(
        supervisor=[scripted.transfer("position_risk")],
        position_risk=[scripted.call("get_net_open_position", {"pair": "EURUSD"}), AIMessage("EUR long 1,000,000")],
    )
    _, state = _run(models, grants_db, fake_tools, "EUR/USD exposure?")
    final = state["messages"][-1]
    assert final.content == "EUR long 1,000,000"
    assert final.response_metadata["fxdesk_route"] == ["position_risk"]
    assert final.response_metadata["fxdesk_answered_by"] == "position_risk"
    assert final.response_metadata["fxdesk_prompt"] == "position_risk@v1"
    assert final.additional_kwargs["fxdesk_turn"]["model_provider"] == "scripted"
    assert state["route"] == ["position_risk"]
    tool_results = [m for m in state["messages"] if isinstance(m, ToolMessage) and m.name == "get_net_open_position"]
    assert len(tool_results) == 1 and '"net": 1000000.0' in tool_results[0].content


def test_supervisor_binds_handoffs_only_for_granted_desks(scripted, grants_db, fake_tools):
    models = scripted.Models(supervisor=[AIMessage("I can tell you customers' KYC status.")])
    _run(models, grants_db, fake_tools, "hello", ctx=ONBOARDING)
    assert models.calls[0]["bound"] == ["transfer_to_compliance"]


def test_transfer_to_ungranted_desk_is_refused_and_never_executed(scripted, grants_db, fake_tools):
    # The model misbehaves and names a desk the onboarding role may not use.
    models = scripted.Models(supervisor=[scripted.transfer("position_risk")], position_risk=[])
    _, state = _run(models, grants_db, fake_tools, "show me positions", ctx=ONBOARDING)
    assert not [c for c in models.calls if c["agent"] == "position_risk"]
    final = state["messages"][-1]
    assert "does not have access" in final.content and "compliance" in final.content
    refusal = [m for m in state["messages"] if isinstance(m, ToolMessage) and m.name == "transfer_to_position_risk"]
    assert refusal and refusal[0].content.startswith("Refused")
    assert state["route"] == []


def test_two_desks_run_in_order_then_compose(scripted, grants_db, fake_tools):
    models = scripted.Models(
        supervisor=[scripted.transfer("position_risk", "compliance")],
        position_risk=[AIMessage("risk says A")],
        compliance=[AIMessage("compliance says B")],
        compose=[lambda msgs, bound: AIMessage(" | ".join(m.content for m in msgs if isinstance(m, AIMessage)))],
    )
    _, state = _run(models, grants_db, fake_tools, "would buying 20m cable breach my limits?")
    assert state["route"] == ["position_risk", "compliance"]
    assert [c["agent"] for c in models.calls] == ["supervisor", "position_risk", "compliance", "compose"]
    assert state["messages"][-1].content == "risk says A | compliance says B"
    assert models.calls[-1]["bound"] == []
    # the compliance desk did not see the position desk's work of this turn
    compliance_view = models.calls[2]["messages"]
    assert not any(isinstance(m, AIMessage) and m.name == "position_risk" for m in compliance_view)


def test_desk_limit_runs_the_first_desks_and_names_the_rest(scripted, grants_db, fake_tools):
    """Issue 12: the per-turn limit counts desks (each runs at most once), so it is 1 to 4 and can trigger."""
    desks = ["position_risk", "trade_journal", "psychology", "compliance"]
    models = scripted.Models(
        supervisor=[scripted.transfer(*desks)], **{d: [AIMessage(f"{d} done")] for d in desks},
        compose=[lambda msgs, bound: AIMessage(" | ".join(m.content for m in msgs if isinstance(m, AIMessage)))],
    )
    _, state = _run(models, grants_db, fake_tools, "everything please", max_hops=2)
    assert state["route"] == ["position_risk", "trade_journal"]
    final = state["messages"][-1]
    assert "position_risk done | trade_journal done" in final.content
    assert "at most 2 desks" in final.content and "not consulted: psychology, compliance" in final.content
    assert not [c for c in models.calls if c["agent"] in ("psychology", "compliance")]


def test_desk_limit_outside_one_to_four_is_refused_at_build(scripted, grants_db, fake_tools):
    with pytest.raises(ValueError, match="between 1 and 4"):
        build_graph(scripted.Models(), grants_db, desk_tools=fake_tools, max_desks=5)


def test_greeting_is_answered_by_the_supervisor_without_a_desk(scripted, grants_db, fake_tools):
    models = scripted.Models(supervisor=[AIMessage("Hello! I can help with positions, journal, ...")])
    _, state = _run(models, grants_db, fake_tools, "hi")
    final = state["messages"][-1]
    assert final.response_metadata["fxdesk_answered_by"] == "supervisor"
    assert state["route"] == []


@pytest.mark.parametrize("provider, fallbacks, note", [
    ("offline", [], "_(answered by the offline model)_"),
    ("openai", ["groq"], "_(answered by openai after a fallback from groq)_"),
    ("groq", [], None),
])
def test_offline_or_fallback_answer_ends_with_a_visible_note(scripted, grants_db, fake_tools, provider, fallbacks,
                                                             note):
    models = scripted.Models(supervisor=[AIMessage("hi there")])
    models.provider, models.fallbacks = provider, fallbacks
    _, state = _run(models, grants_db, fake_tools, "hi")
    final = state["messages"][-1]
    assert final.content == ("hi there" if note is None else f"hi there\n\n{note}")
    assert final.additional_kwargs["fxdesk_turn"]["fallbacks"] == fallbacks


def test_follow_up_turn_sees_previous_turn_and_resets_route(scripted, grants_db, fake_tools):
    models = scripted.Models(
        supervisor=[scripted.transfer("position_risk"), scripted.transfer("position_risk")],
        position_risk=[scripted.call("get_net_open_position", {"pair": "EURUSD"}, "c1"), AIMessage("EUR answer"),
                       scripted.call("get_net_open_position", {"pair": "GBPUSD"}, "c2"), AIMessage("GBP answer")],
    )
    graph = build_graph(models, grants_db, desk_tools=fake_tools).compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "follow"}}
    graph.invoke({"messages": [HumanMessage("EURUSD exposure?")]}, cfg, context=TRADER)
    state = graph.invoke({"messages": [HumanMessage("and GBP?")]}, cfg, context=TRADER)
    assert state["route"] == ["position_risk"] and state["hops"] == 1
    second_router_view = [c for c in models.calls if c["agent"] == "supervisor"][1]["messages"]
    # the supervisor sees its earlier hand-off (so a follow-up can reuse the desk) but no desk tool traffic
    assert any(isinstance(m, AIMessage) and m.tool_calls and m.tool_calls[0]["name"] == "transfer_to_position_risk"
               for m in second_router_view)
    assert not any(isinstance(m, ToolMessage) and m.name == "get_net_open_position" for m in second_router_view)
    desk_view = [c for c in models.calls if c["agent"] == "position_risk"][2]["messages"]
    assert any(isinstance(m, AIMessage) and m.tool_calls and m.tool_calls[0]["args"] == {"pair": "EURUSD"}
               for m in desk_view)


@pytest.mark.parametrize("ctx", [None])
def test_missing_context_is_answered_without_calling_a_model(scripted, grants_db, fake_tools, ctx):
    models = scripted.Models()
    graph = build_graph(models, grants_db, desk_tools=fake_tools).compile()
    state = graph.invoke({"messages": [HumanMessage("hi")]})
    assert "who is asking" in state["messages"][-1].content
    assert models.calls == []


def test_partly_refused_turn_runs_granted_desks_and_says_what_was_refused(scripted, grants_db, fake_tools):
    models = scripted.Models(
        supervisor=[scripted.transfer("position_risk", "compliance",
                                      content="Your role cannot use position risk, so I'm asking compliance only.")],
        compliance=[AIMessage("KYC approved")],
    )
    _, state = _run(models, grants_db, fake_tools, "positions and KYC of Cust203", ctx=ONBOARDING)
    assert state["route"] == ["compliance"]
    assert not [c for c in models.calls if c["agent"] == "position_risk"]
    final = state["messages"][-1].content
    assert final.startswith("Your role cannot use position risk") and "KYC approved" in final


def test_history_is_trimmed_to_the_token_budget_before_each_model_call(scripted, grants_db, fake_tools):
    from agents import AgentOptions

    turns = 6
    models = scripted.Models(supervisor=[AIMessage(f"answer {i} " + "y" * 400) for i in range(turns)])
    options = AgentOptions(history_tokens=400)
    graph = build_graph(models, grants_db, desk_tools=fake_tools, options=options).compile(
        checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "trim"}}
    for i in range(turns):
        graph.invoke({"messages": [HumanMessage(f"question {i} " + "x" * 400)]}, cfg, context=TRADER)
    seen = [len(c["messages"]) for c in models.calls]
    assert max(seen) < 1 + 2 * turns          # the system prompt plus far fewer than all messages
    last_view = models.calls[-1]["messages"]
    assert last_view[-1].content.startswith(f"question {turns - 1}")
    assert isinstance(last_view[1], HumanMessage)  # history starts on a user turn


def test_pinned_prompt_version_is_used_and_recorded(scripted, grants_db, fake_tools, tmp_path):
    from agents import AgentOptions
    from prompts import PromptRegistry

    for agent in ("supervisor", "compose", "position_risk", "trade_journal", "psychology", "compliance"):
        (tmp_path / agent).mkdir()
        for version in ("v1", "v2"):
            (tmp_path / agent / f"{version}.md").write_text(
                f"---\nid: {agent}\nversion: {version}\nvariables: [user_id]\n---\n{agent} {version} for {{user_id}}\n")
    options = AgentOptions(prompts=PromptRegistry.load(tmp_path, pins="position_risk=v1"))
    models = scripted.Models(supervisor=[scripted.transfer("position_risk")], position_risk=[AIMessage("done")])
    graph = build_graph(models, grants_db, desk_tools=fake_tools, options=options).compile()
    state = graph.invoke({"messages": [HumanMessage("exposure?")]}, context=TRADER)
    assert models.calls[0]["messages"][0].content == "supervisor v2 for trader_aruna"   # latest by default
    assert models.calls[1]["messages"][0].content == "position_risk v1 for trader_aruna"  # pinned
    assert state["messages"][-1].response_metadata["fxdesk_prompt"] == "position_risk@v1"
    handoff = [m for m in state["messages"] if isinstance(m, AIMessage) and m.name == "supervisor"][0]
    assert handoff.response_metadata["fxdesk_prompt"] == "supervisor@v2"


def test_desk_tool_loop_stops_at_the_round_cap_and_answers_every_call(scripted, grants_db, fake_tools):
    from agents import AgentOptions

    looping = [scripted.call("get_net_open_position", {"pair": "EURUSD"}, f"c{i}") for i in range(10)]
    models = scripted.Models(supervisor=[scripted.transfer("position_risk")], position_risk=looping)
    graph = build_graph(models, grants_db, desk_tools=fake_tools, options=AgentOptions(max_tool_rounds=2)).compile()
    state = graph.invoke({"messages": [HumanMessage("exposure?")]}, context=TRADER)
    desk_calls = [c for c in models.calls if c["agent"] == "position_risk"]
    assert len(desk_calls) == 3  # two rounds ran, the third request was stopped
    results = [m for m in state["messages"] if isinstance(m, ToolMessage) and m.name == "get_net_open_position"]
    assert [m.tool_call_id for m in results] == ["c0", "c1", "c2"]
    assert "step_limit" in results[-1].content
    assert "stopped after 2 rounds" in state["messages"][-1].content
