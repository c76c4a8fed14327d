"""Issue 17 skills on the demo dataset (SQLite and PostgreSQL): they run, stay in the caller's scope, and audit."""

import pytest
from sqlalchemy import select

from data import schema
from tests.tool_calls import invoke_tool, trade_ids
from tools.psychology.tools import build_tools as psychology_tools
from tools.scope import ScopeGate
from tools.trade_journal.tools import build_tools as journal_tools
from tools.users import context_for


@pytest.fixture
def tools(desk_db_any):
    gate = ScopeGate(desk_db_any)
    return {t.name: t for t in [*psychology_tools(gate), *journal_tools(gate)]}


def call(tools, name, context, **args):
    return invoke_tool(tools[name], context, "th-skills", **args)


@pytest.mark.parametrize("user", ["trader_aruna", "trader_li"])
def test_tilt_and_discipline_name_only_the_callers_trades(desk_db_any, tools, user):
    context = context_for(desk_db_any, user)
    ids = set()
    for name, args in (("get_tilt_check", {"window": "last 90 days"}),
                       ("get_discipline_report", {"window": "last 30 days", "daily_loss_limit_usd": 20000})):
        out = call(tools, name, context, **args)
        assert out["status"] == "ok", out
        ids |= trade_ids(out)
    assert ids
    t = schema.trades
    with desk_db_any.engine.connect() as conn:
        rows = conn.execute(select(t.c.trader, t.c.book, t.c.customer).where(t.c.trade_id.in_(sorted(ids)))).all()
    assert len(rows) == len(ids)
    assert {r.trader for r in rows} == {user}
    assert all(r.book in context.books and r.customer in context.customers for r in rows)


def test_feeling_check_in_finds_the_demo_days_aruna_felt_anxious(desk_db_any, tools):
    aruna = context_for(desk_db_any, "trader_aruna")
    out = call(tools, "check_in_feeling", aruna, feeling="nervous", window="last 90 days")
    assert out["status"] == "ok" and out["feeling"] == "anxious"
    assert out["feeling_days"]["days"] >= 1 and out["other_days"]["trading_days"] > 10


def test_logged_shorthand_counts_in_the_breakdown_and_onboarding_is_refused(desk_db_any, tools):
    aruna = context_for(desk_db_any, "trader_aruna")
    before = call(tools, "get_journal_breakdown", aruna, window="today")["totals"]["trade_records"]
    logged = call(tools, "log_journal_trade", aruna, text="long 5m cable 1.2710 stop 1.2650 breakout, felt fomo")
    assert logged["status"] == "ok" and logged["record"]["pair"] == "GBPUSD"
    assert call(tools, "get_journal_breakdown", aruna, window="today")["totals"]["trade_records"] == before + 1
    sam = context_for(desk_db_any, "onboarding_sam")
    for name in ("get_tilt_check", "get_discipline_report", "get_journal_breakdown"):
        assert call(tools, name, sam)["status"] == "not_entitled"
    with desk_db_any.engine.connect() as conn:
        row = conn.execute(select(schema.audit).order_by(schema.audit.c.audit_id.desc())).mappings().first()
    assert (row["user_id"], row["decision"]) == ("onboarding_sam", "denied")
