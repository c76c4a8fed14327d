"""End to end through the compiled supervisor graph with the offline model over the demo dataset."""

from __future__ import annotations

import re

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

PHRASINGS = [
    ("What's my EUR/USD exposure today?", "position_risk"),
    ("how long am I in cable?", "position_risk"),
    ("what's my P&L this week?", "position_risk"),
    ("show me the 1-day VaR for my book", "position_risk"),
    ("what's my win rate over the last 90 days?", "trade_journal"),
    ("show my journal entries from this week", "trade_journal"),
    ("am I overtrading lately?", "psychology"),
    ("any signs of revenge trading after losses?", "psychology"),
    ("do we have any limit breaches?", "compliance"),
    ("screen Cust207 against the restricted list", "compliance"),
    ("any late bookings in the last 30 days?", "compliance"),
    ("what's the KYC status of Cust203?", "compliance"),
]


@pytest.mark.parametrize("question, expected", PHRASINGS)
def test_every_desk_is_reached_by_natural_phrasings(desk, question, expected):
    d = desk()
    state = d.ask(question)
    assert state["route"] == [expected]
    results = d.turn_tool_results(state)
    assert results and all(r["status"] == "ok" for _, r in results), results
    final = state["messages"][-1]
    assert final.response_metadata["fxdesk_answered_by"] == expected
    assert final.content.endswith("_(answered by the offline model)_")


def test_seed_example_quotes_the_tools_eurusd_position_and_usd_equivalent(desk):
    d = desk("trader_aruna")
    state = d.ask("What's my EUR/USD exposure today?")
    [(name, result)] = d.turn_tool_results(state)
    assert name == "get_net_open_position" and result["pair"] == "EURUSD"
    eur = next(row for row in result["currencies"] if row["currency"] == "EUR")
    answer = state["messages"][-1].content
    assert f"{eur['position']:,.0f}" in answer
    assert f"{eur['usd_equivalent']:,.0f}" in answer or f"{eur['usd_equivalent']:,.2f}" in answer
    assert all(row["book"] == "FX-G10" for row in result["currencies"])


def test_cross_desk_question_visits_position_risk_then_compliance(desk):
    d = desk()
    state = d.ask("would buying 20m cable breach my limits?")
    assert state["route"] == ["position_risk", "compliance"]
    final = state["messages"][-1]
    assert final.response_metadata["fxdesk_answered_by"] == "compose"
    names = [n for n, _ in d.turn_tool_results(state)]
    assert "what_if_trade" in names
    what_if = next(r for n, r in d.turn_tool_results(state) if n == "what_if_trade")
    assert what_if["trade"]["pair"] == "GBPUSD" and what_if["trade"]["notional"] == 20_000_000


def _turn_calls(state, desk="position_risk") -> list[dict]:
    msgs = state["messages"]
    start = msgs.index(_last_human(state))
    return [tc for m in msgs[start:] if isinstance(m, AIMessage) and m.name == desk for tc in m.tool_calls]


def test_follow_up_carries_the_pair_and_window_from_the_previous_turn(desk):
    d = desk(thread="follow")
    first = d.ask("what's my P&L on cable last week?")
    assert [(c["name"], c["args"]) for c in _turn_calls(first)] == [
        ("get_pnl", {"pair": "GBPUSD", "window": "last week"})]
    second = d.ask("and EUR/USD?")  # no desk words: same desk, same tool and window, new pair
    assert second["route"] == ["position_risk"]
    assert [(c["name"], c["args"]) for c in _turn_calls(second)] == [
        ("get_pnl", {"pair": "EURUSD", "window": "last week"})]
    third = d.ask("what about this month?")  # new window, pair carried from the turn before
    [call] = _turn_calls(third)
    assert call["name"] == "get_pnl" and call["args"]["pair"] == "EURUSD" and call["args"]["window"] == "this month"
    [(_, result)] = d.turn_tool_results(third)
    assert result["status"] == "ok"


def test_onboarding_is_refused_positions_but_gets_kyc(desk):
    d = desk("onboarding_sam")
    refused = d.ask("show me the net open position of FX-G10")
    assert refused["route"] == []
    assert not d.turn_tool_results(refused)
    assert re.search(r"(may not|cannot|can't|not have access|not allowed|not permitted|no access)",
                     refused["messages"][-1].content, re.I)
    kyc = d.ask("what's the KYC status of Cust203?")
    assert kyc["route"] == ["compliance"]
    [(name, result)] = d.turn_tool_results(kyc)
    assert name == "get_kyc_status" and result["status"] == "ok"


def _last_human(state) -> HumanMessage:
    return [m for m in state["messages"] if isinstance(m, HumanMessage)][-1]


def test_thread_state_survives_a_fresh_graph_on_the_same_checkpointer(offline_builder, checkpointer, desk_db):
    from tools.users import context_for

    ctx = context_for(desk_db, "trader_aruna")
    cfg = {"configurable": {"thread_id": "survive"}}
    offline_builder.compile(checkpointer=checkpointer).invoke(
        {"messages": [HumanMessage("what's my P&L on cable this week?")]}, cfg, context=ctx)
    again = offline_builder.compile(checkpointer=checkpointer)
    state = again.invoke({"messages": [HumanMessage("and VaR?")]}, cfg, context=ctx)
    assert state["route"] == ["position_risk"]
    assert sum(isinstance(m, HumanMessage) for m in state["messages"]) == 2
    assert any(isinstance(m, ToolMessage) and m.name == "get_var" for m in state["messages"])


@pytest.mark.parametrize("question", ["hi there", "what can you do?", "what's the weather in Paris tomorrow?"])
def test_greeting_help_and_out_of_domain_are_answered_by_the_supervisor(desk, question):
    d = desk()
    state = d.ask(question)
    assert state["route"] == [] and not d.turn_tool_results(state)
    final = state["messages"][-1]
    assert final.response_metadata["fxdesk_answered_by"] == "supervisor"
    assert "position" in final.content.lower()  # says what the desk can help with


def test_psychology_coaching_quotes_the_evidence_of_each_flag(desk):
    d = desk()
    state = d.ask("am I overtrading or revenge trading lately?")
    assert state["route"] == ["psychology"]
    [(name, report)] = d.turn_tool_results(state)
    assert name == "get_behaviour_report" and report["scope"]["user_id"] == "trader_aruna"
    flagged = [f for f in report["flags"] if f["flagged"]]
    assert flagged, "the demo data gives trader_aruna at least one behaviour flag"
    answer = state["messages"][-1].content
    for flag in flagged:
        for number in re.findall(r"\d[\d,.]*\d|\d", flag["explanation"]):
            assert number.rstrip(".") in answer, (flag["check"], number)


@pytest.mark.parametrize("question", ["What's my exposure in EURXYZ?", "show me my AUD/NZD position"])
def test_unknown_pair_gets_the_tools_clear_error_not_a_whole_book_answer(desk, question):
    d = desk()
    state = d.ask(question)
    results = d.turn_tool_results(state)
    assert [r["error"]["type"] for _, r in results] == ["unknown_pair"]
    answer = state["messages"][-1].content
    assert "Unknown currency pair" in answer and "Known pairs" in answer
    assert "203,300,000" not in answer  # no positions were reported instead
