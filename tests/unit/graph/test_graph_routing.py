from __future__ import annotations

from graph.handoff import build_handoff_tools, desk_of, handoff_name
from graph.routing import granted_desks, plan_turn, refusal_text


def _call(name: str, i: int) -> dict:
    return {"name": name, "args": {"reason": ""}, "id": f"c{i}", "type": "tool_call"}


def test_granted_desks_follow_role_grants_in_desk_order():
    grants = {("onboarding", "compliance"): frozenset({"get_kyc_status"}), ("trader", "psychology"): frozenset({"*"}),
              ("trader", "position_risk"): frozenset({"*"}), ("analyst", "psychology"): frozenset()}
    assert granted_desks(grants, "trader") == ("position_risk", "psychology")
    assert granted_desks(grants, "onboarding") == ("compliance",)
    assert granted_desks(grants, "analyst") == ()


def test_plan_keeps_order_drops_repeats_and_refuses_ungranted_or_unknown_calls():
    calls = [_call("transfer_to_compliance", 0), _call("transfer_to_position_risk", 1),
             _call("transfer_to_compliance", 2), _call("transfer_to_psychology", 3), _call("get_var", 4)]
    plan = plan_turn(calls, ("position_risk", "compliance"), "analyst")
    assert plan.desks == ["compliance", "position_risk"]
    assert plan.refused == ["psychology", "get_var"]
    assert [m.tool_call_id for m in plan.replies] == ["c0", "c1", "c2", "c3", "c4"]
    assert plan.replies[3].content.startswith("Refused: the analyst role may not use the psychology desk")


def test_refusal_names_what_the_role_can_do():
    text = refusal_text("onboarding", ["position_risk"], ("compliance",))
    assert "onboarding" in text and "position risk" in text and "You can ask me about: compliance" in text


def test_handoff_tools_expose_only_a_reason_argument():
    tools = build_handoff_tools(("compliance", "position_risk"))
    assert [t.name for t in tools] == ["transfer_to_position_risk", "transfer_to_compliance"]
    assert set(tools[0].tool_call_schema.model_json_schema()["properties"]) == {"reason"}
    assert desk_of(handoff_name("psychology")) == "psychology" and desk_of("get_var") is None
