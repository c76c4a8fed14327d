"""The desk gate holds for every way into a desk, not only the supervisor's plan (issue 12, finding 1)."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command
from sqlalchemy import select

from data import schema
from graph.builder import build_graph
from tools.context import Context
from tools.desks import DESKS

ONBOARDING = Context(user_id="onboarding_sam", role="onboarding", books=(), customers=("Cust203",))
TRADER = Context(user_id="trader_aruna", role="trader", books=("FX-G10",), customers=("Cust203",))


def _graph(models, db, fake_tools):
    return build_graph(models, db, desk_tools=fake_tools).compile(checkpointer=InMemorySaver())


def _desk_audit(db) -> list[dict]:
    with db.engine.connect() as conn:
        rows = conn.execute(select(schema.audit)).mappings().all()
    return [dict(r) for r in rows if r["tool"].startswith("desk:")]


@pytest.mark.parametrize("desk", [d for d in DESKS if d != "compliance"])
def test_goto_a_desk_the_role_may_not_use_is_refused_with_an_audit_row(scripted, grants_db, fake_tools, desk):
    """Issue 12 finding 1: ``Command(goto=desk)`` ran an ungranted desk; now the desk refuses and audits."""
    models = scripted.Models(supervisor=[AIMessage("planning in parallel")],
                             **{desk: [scripted.call("get_net_open_position", {}), AIMessage("leaked")]})
    graph = _graph(models, grants_db, fake_tools)
    cfg = {"configurable": {"thread_id": f"goto-{desk}"}, "run_id": None}
    state = graph.invoke(Command(goto=desk, update={"messages": [HumanMessage("show me positions")]}), cfg,
                         context=ONBOARDING)
    assert not [c for c in models.calls if c["agent"] == desk]  # the desk's model never ran
    final = state["messages"][-1]
    assert isinstance(final, AIMessage) and "not entitled" in final.content.lower()
    assert "leaked" not in [m.content for m in state["messages"]]
    [row] = _desk_audit(grants_db)
    assert row["tool"] == f"desk:{desk}" and row["decision"] == "denied"
    assert row["user_id"] == "onboarding_sam" and row["thread_id"] == f"goto-{desk}"


def test_goto_a_granted_desk_still_runs_it(scripted, grants_db, fake_tools):
    """Issue 12 finding 1: the gate refuses only what the role may not use."""
    models = scripted.Models(supervisor=[AIMessage("planning in parallel")],
                             position_risk=[AIMessage("EUR long 1,000,000")])
    graph = _graph(models, grants_db, fake_tools)
    state = graph.invoke(Command(goto="position_risk", update={"messages": [HumanMessage("positions?")]}),
                         {"configurable": {"thread_id": "goto-ok"}}, context=TRADER)
    answer = [m for m in state["messages"] if m.content == "EUR long 1,000,000"]
    assert answer and answer[0].additional_kwargs["fxdesk_turn"]["agent"] == "position_risk"
    assert _desk_audit(grants_db) == []


def test_goto_without_a_context_is_refused(scripted, grants_db, fake_tools):
    """Issue 12 finding 1: no caller context means no desk, whichever way it is entered."""
    models = scripted.Models(supervisor=[], position_risk=[AIMessage("leaked")])
    graph = _graph(models, grants_db, fake_tools)
    state = graph.invoke(Command(goto="position_risk", update={"messages": [HumanMessage("positions?")]}),
                         {"configurable": {"thread_id": "goto-none"}})
    assert not models.calls
    assert "leaked" not in [m.content for m in state["messages"]]
    assert "not entitled" in state["messages"][-1].content.lower()
