"""The pure parts of server.turns shared by the CLI and the async server: input choice and snapshot records."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.types import Command, Interrupt

from server.turns import inputs_for, interrupt_in, turn_from_snapshot
from tools.context import Context


def _snapshot(values, tasks=()):
    return SimpleNamespace(values=values, tasks=tuple(tasks))


def _task(interrupts=(), state=None):
    return SimpleNamespace(interrupts=tuple(interrupts), state=state)


def test_a_paused_thread_takes_the_message_as_the_resume_value():
    [resume] = inputs_for("yes", {"question": "Confirm?"})
    assert isinstance(resume, Command) and resume.resume == "yes"
    [fresh] = inputs_for("hello", None)
    assert [m.content for m in fresh["messages"]] == ["hello"] and isinstance(fresh["messages"][0], HumanMessage)


CONFIRM = {"type": "pre_trade_confirmation", "question": "Confirm it anyway? Reply yes or no."}


@pytest.mark.parametrize("answer", ["yes", "No.", " ok ", "cancel", "nope", "Y"])
def test_a_yes_or_no_answers_the_pending_confirmation(answer):
    [resume] = inputs_for(answer, CONFIRM)
    assert isinstance(resume, Command) and resume.resume == answer


def test_a_new_ask_on_a_paused_confirmation_declines_it_and_is_then_taken_as_a_new_message():
    decline, fresh = inputs_for("and what about kiwi?", CONFIRM)
    assert isinstance(decline, Command) and decline.resume == {"confirm": False}
    assert [m.content for m in fresh["messages"]] == ["and what about kiwi?"]


def test_interrupt_is_found_inside_a_desk_subgraph():
    inner = _snapshot({"messages": []}, [_task([Interrupt(value={"question": "Confirm?", "check": {}})])])
    outer = _snapshot({"messages": []}, [_task(state=inner)])
    assert interrupt_in(outer) == {"question": "Confirm?", "check": {}}
    assert interrupt_in(_snapshot({"messages": []}, [_task([Interrupt(value="plain")])])) == {"question": "plain"}
    assert interrupt_in(_snapshot({"messages": []})) is None


def test_turn_record_from_snapshot_covers_only_the_latest_turn():
    old = [HumanMessage("q1"), AIMessage("", name="position_risk", tool_calls=[
        {"name": "get_var", "args": {}, "id": "c0", "type": "tool_call"}]),
        ToolMessage('{"status": "ok"}', tool_call_id="c0"), AIMessage("a1", name="position_risk")]
    new = [HumanMessage("q2"), AIMessage("", name="position_risk", tool_calls=[
        {"name": "get_pnl", "args": {"window": "today"}, "id": "c1", "type": "tool_call"}]),
        ToolMessage('{"status": "ok", "total_usd": 5}', tool_call_id="c1"),
        AIMessage("a2", name="position_risk", response_metadata={"model_provider": "offline",
                                                                 "model_name": "fxdesk-offline"})]
    record = turn_from_snapshot(_snapshot({"messages": old + new, "route": ["position_risk"]}), "t1", "trader_aruna")
    assert record.as_json() == {
        "thread_id": "t1", "user_id": "trader_aruna", "route": ["position_risk"],
        "tool_calls": [{"agent": "position_risk", "name": "get_pnl", "args": {"window": "today"},
                        "result": {"status": "ok", "total_usd": 5}}],
        "answer": "a2", "model": "offline:fxdesk-offline"}


def test_paused_turn_answers_with_the_confirmation_question_and_the_desks_calls():
    sub_messages = [HumanMessage("buy 200m cable?"), AIMessage("", name="compliance", tool_calls=[
        {"name": "pre_trade_check", "args": {"pair": "GBPUSD"}, "id": "c1", "type": "tool_call"}]),
        ToolMessage('{"status": "ok", "verdict": "breach"}', tool_call_id="c1")]
    value = {"question": "Confirm it anyway?", "check": {"verdict": "breach", "reasons": [{"message": "NOP over"}]}}
    desk = _snapshot({"messages": sub_messages}, [_task([Interrupt(value=value)])])
    snapshot = _snapshot({"messages": [HumanMessage("buy 200m cable?")], "route": ["compliance"]}, [_task(state=desk)])
    record = turn_from_snapshot(snapshot, "t1", Context(user_id="u", role="trader").user_id)
    assert [c["name"] for c in record.tool_calls] == ["pre_trade_check"]
    assert record.answer == "Pre-trade check verdict: breach.\n- NOP over\nConfirm it anyway?"
    assert record.interrupt == value
