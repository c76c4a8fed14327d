"""A desk as a supervisor node returns only its new messages and persists its steps only when asked (issue 16)."""

from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph._internal._constants import CONFIG_KEY_CHECKPOINTER, CONFIG_KEY_DURABILITY
from langgraph.checkpoint.memory import InMemorySaver

from graph.desk_node import desk_durability, new_messages


def test_new_messages_keeps_only_added_or_changed_messages_in_order():
    question = HumanMessage("q", id="h1")
    call = AIMessage("", id="a1", name="compliance",
                     tool_calls=[{"name": "pre_trade_check", "args": {}, "id": "c1", "type": "tool_call"}])
    before = [question, call]
    result = ToolMessage('{"verdict": "pass"}', tool_call_id="c1", name="pre_trade_check", id="t1")
    answer = AIMessage("done", id="a2", name="compliance")
    assert new_messages(before, [question, call, result, answer]) == [result, answer]


def test_new_messages_returns_a_message_replaced_by_id_but_not_an_equal_copy():
    result = ToolMessage('{"verdict": "pass"}', tool_call_id="c1", name="pre_trade_check", id="t1")
    decided = ToolMessage('{"verdict": "pass", "decision": "recorded"}', tool_call_id="c1",
                          name="pre_trade_check", id="t1")
    assert new_messages([result], [decided]) == [decided]
    assert new_messages([result], [result.model_copy()]) == []


def test_desk_durability_follows_sync_and_otherwise_persists_only_on_exit():
    saver = InMemorySaver()
    assert desk_durability({"configurable": {CONFIG_KEY_CHECKPOINTER: saver, CONFIG_KEY_DURABILITY: "sync"}}) == "sync"
    assert desk_durability({"configurable": {CONFIG_KEY_CHECKPOINTER: saver, CONFIG_KEY_DURABILITY: "async"}}) == "exit"
    assert desk_durability({"configurable": {CONFIG_KEY_CHECKPOINTER: saver}}) == "exit"
    assert desk_durability({"configurable": {}}) is None  # no checkpointer: nothing to persist
