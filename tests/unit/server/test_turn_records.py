from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from server.turns import TurnResult, tool_call_records


def test_tool_call_records_pair_each_desk_call_with_its_result_and_skip_handoffs():
    messages = [
        HumanMessage("q"),
        AIMessage("", name="supervisor", tool_calls=[
            {"name": "transfer_to_position_risk", "args": {"reason": "r"}, "id": "h1", "type": "tool_call"}]),
        ToolMessage("Transferred to position_risk.", tool_call_id="h1", name="transfer_to_position_risk"),
        AIMessage("", name="position_risk", tool_calls=[
            {"name": "get_pnl", "args": {"window": "today"}, "id": "c1", "type": "tool_call"},
            {"name": "get_var", "args": {}, "id": "c2", "type": "tool_call"}]),
        ToolMessage('{"status": "ok", "pnl_usd": 12.5}', tool_call_id="c1", name="get_pnl"),
        ToolMessage("not json", tool_call_id="c2", name="get_var"),
        AIMessage("answer", name="position_risk"),
    ]
    assert tool_call_records(messages) == [
        {"agent": "position_risk", "name": "get_pnl", "args": {"window": "today"},
         "result": {"status": "ok", "pnl_usd": 12.5}},
        {"agent": "position_risk", "name": "get_var", "args": {}, "result": "not json"},
    ]


def test_turn_json_has_exactly_the_documented_fields():
    result = TurnResult(thread_id="t", user_id="u", route=["compliance"], tool_calls=[], answer="a",
                        model="offline:fxdesk-offline", interrupt={"question": "?"})
    assert list(result.as_json()) == ["thread_id", "user_id", "route", "tool_calls", "answer", "model"]
