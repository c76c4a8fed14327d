from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from agents.history import desk_view, supervisor_view, trim_history


def _turn(i: int, desk: str = "position_risk", size: int = 200) -> list:
    return [
        HumanMessage(f"question {i} " + "x" * size, id=f"h{i}"),
        AIMessage("", name="supervisor", id=f"s{i}", tool_calls=[
            {"name": f"transfer_to_{desk}", "args": {}, "id": f"t{i}", "type": "tool_call"}]),
        ToolMessage("Transferred.", tool_call_id=f"t{i}", name=f"transfer_to_{desk}", id=f"tt{i}"),
        AIMessage("", name=desk, id=f"a{i}", tool_calls=[
            {"name": "get_pnl", "args": {"window": "today"}, "id": f"c{i}", "type": "tool_call"}]),
        ToolMessage('{"status": "ok", "pnl": ' + "1" * size + "}", tool_call_id=f"c{i}", name="get_pnl",
                    id=f"r{i}"),
        AIMessage(f"answer {i}", name=desk, id=f"f{i}"),
    ]


def _pairs_intact(messages) -> bool:
    calls = {tc["id"] for m in messages if isinstance(m, AIMessage) for tc in m.tool_calls}
    results = {m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
    return calls == results


def test_trim_never_separates_a_tool_call_from_its_result():
    history = [m for i in range(10) for m in _turn(i)]
    for budget in range(50, 2000, 37):
        trimmed = trim_history(history, budget)
        assert _pairs_intact(trimmed), budget
        assert trimmed[-len(_turn(9)):] == history[-len(_turn(9)):]  # current turn always whole
        assert isinstance(trimmed[0], HumanMessage)


def test_trim_keeps_more_history_with_a_bigger_budget():
    history = [m for i in range(10) for m in _turn(i)]
    small, big = trim_history(history, 600), trim_history(history, 5000)
    assert len(small) < len(big) <= len(history)
    assert trim_history(history, 10**6) == history


def test_desk_view_hides_handoffs_and_other_desks_work_of_this_turn():
    earlier = _turn(1, "compliance")
    now = _turn(2, "position_risk")[:1] + [
        AIMessage("", name="position_risk", id="p", tool_calls=[
            {"name": "get_var", "args": {}, "id": "v", "type": "tool_call"}]),
        ToolMessage("{}", tool_call_id="v", name="get_var", id="vr"),
        AIMessage("risk answer", name="position_risk", id="pa"),
    ]
    view = desk_view(earlier + now, "compliance")
    ids = [m.id for m in view]
    assert "s1" not in ids and "tt1" not in ids          # hand-offs hidden
    assert {"a1", "r1", "f1"} <= set(ids)                # earlier turn's own work kept for follow-ups
    assert not {"p", "vr", "pa"} & set(ids)              # another desk's work this turn hidden
    assert _pairs_intact(view)


def test_supervisor_view_keeps_handoffs_and_answers_but_no_desk_tool_traffic():
    view = supervisor_view(_turn(1))
    assert [m.id for m in view] == ["h1", "s1", "tt1", "f1"]
