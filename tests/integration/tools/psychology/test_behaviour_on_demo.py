"""get_behaviour_report on the demo dataset (SQLite and PostgreSQL): finds the planted behaviours, stays in scope.

Ground truth comes from the generator, not from the tool: `data.demo_trades.OVERTRADING_DAYS` (days
trader_aruna trades ~3.5x her baseline) and the demo journal's "revenge" entries, which the
generator writes on her planted revenge trades.
"""

from datetime import date

import pytest
from langgraph.prebuilt import ToolRuntime
from sqlalchemy import select

from data import schema
from data.demo_trades import OVERTRADING_DAYS
from tools.psychology.thresholds import BehaviourThresholds
from tools.psychology.tools import build_tools
from tools.scope import ScopeGate
from tools.users import context_for


@pytest.fixture
def tool(desk_db_any):
    (only,) = build_tools(ScopeGate(desk_db_any), BehaviourThresholds())
    return only


def ctx(db, user):
    return context_for(db, user)


def report(tool, context, **args):
    runtime = ToolRuntime(state={}, context=context, config={"configurable": {"thread_id": "th-psy"}},
                          stream_writer=None, tool_call_id="call-1", store=None)
    return tool.invoke({**args, "runtime": runtime})


def flags(out):
    return {f["check"]: f for f in out["flags"]}


def trade_ids(value):
    """Every trade id anywhere in a result's evidence."""
    found = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith("trade_id") and isinstance(item, str):
                found.add(item)
            elif key == "trade_ids":
                found.update(item)
            else:
                found |= trade_ids(item)
    elif isinstance(value, list):
        for item in value:
            found |= trade_ids(item)
    return found


def owners(db, ids):
    t = schema.trades
    with db.engine.connect() as conn:
        rows = conn.execute(select(t.c.trade_id, t.c.trader, t.c.book, t.c.customer)
                            .where(t.c.trade_id.in_(sorted(ids)))).all()
    return {r.trade_id: r for r in rows}


def test_planted_overtrading_days_are_flagged(desk_db_any, tool):
    out = report(tool, ctx(desk_db_any, "trader_aruna"), window="last 60 days", checks=["overtrading"])
    overtrading = flags(out)["overtrading"]
    assert overtrading["flagged"]
    flagged_days = {d["day"] for d in overtrading["evidence"]["flagged_days"]}
    planted = {d.isoformat() for d in OVERTRADING_DAYS if d >= date.fromisoformat(out["window"]["start"])}
    assert planted and planted <= flagged_days
    assert overtrading["evidence"]["baseline_period"]["business_days"] == 60


def test_planted_revenge_trades_are_flagged(desk_db_any, tool):
    aruna = ctx(desk_db_any, "trader_aruna")
    j = schema.journal
    with desk_db_any.engine.connect() as conn:
        planted = set(conn.execute(select(j.c.trade_id).where(j.c.user_id == "trader_aruna",
                                                               j.c.setup_tags.like("%revenge%"))).scalars())
    assert planted
    revenge = flags(report(tool, aruna, window="last 30 days"))["revenge_trading"]
    assert revenge["flagged"]
    found = {e["trade_id"] for e in revenge["evidence"]["episodes"]}
    assert planted <= found
    assert all(e["minutes_after_loss"] <= 30 and e["times_median_size"] >= 1.5 and e["loss_usd"] < 0
               for e in revenge["evidence"]["episodes"])


@pytest.mark.parametrize("user", ["trader_aruna", "trader_li"])
def test_evidence_names_only_the_callers_own_trades_in_scope(desk_db_any, tool, user):
    context = ctx(desk_db_any, user)
    out = report(tool, context, window="last 90 days")
    assert out["status"] == "ok" and out["trades_in_window"] > 100
    ids = trade_ids(out["flags"])
    assert ids
    rows = owners(desk_db_any, ids)
    assert set(rows) == ids
    assert {r.trader for r in rows.values()} == {user}
    assert all(r.book in context.books and r.customer in context.customers for r in rows.values())
    assert out["scope"]["books"] == list(context.books)


def test_every_flag_has_the_contract_shape(desk_db_any, tool):
    out = report(tool, ctx(desk_db_any, "trader_li"), window="last 30 days")
    assert [f["check"] for f in out["flags"]] == ["overtrading", "revenge_trading", "loss_chasing", "time_of_day",
                                                 "streaks"]
    for flag in out["flags"]:
        assert set(flag) == {"check", "flagged", "severity", "evidence", "explanation"}
        assert (flag["severity"] == "none") == (not flag["flagged"])
        assert flag["explanation"]


def test_onboarding_is_denied_and_audited(desk_db_any, tool):
    out = report(tool, ctx(desk_db_any, "onboarding_sam"), window="last 30 days")
    assert out["status"] == "not_entitled" and "flags" not in out
    with desk_db_any.engine.connect() as conn:
        row = conn.execute(select(schema.audit).order_by(schema.audit.c.audit_id.desc())).mappings().first()
    assert (row["user_id"], row["tool"], row["decision"]) == ("onboarding_sam", "get_behaviour_report", "denied")
