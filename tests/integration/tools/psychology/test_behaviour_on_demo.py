"""get_behaviour_report on the demo dataset (SQLite and PostgreSQL): finds the planted behaviours, stays in scope.

Ground truth comes from the generator, not from the tool: `data.demo_trades.OVERTRADING_DAYS` (days
trader_aruna trades ~3.5x her baseline) and the demo journal's "revenge" entries, which the
generator writes on her planted revenge trades; `LATE_LOSS_TRADER` loses late in the session
(`data.demo_trades._plant_late_losses`).
"""

from datetime import date

import pytest
from sqlalchemy import select

from data import schema
from data.demo import GENERATOR_VERSION
from data.demo_trades import LATE_LOSS_HOURS, LATE_LOSS_TRADER, OVERTRADING_DAYS, TRADERS
from tests.tool_calls import invoke_tool, trade_ids
from tools.context import Context
from tools.psychology.thresholds import BehaviourThresholds
from tools.psychology.tools import build_tools
from tools.scope import ScopeGate
from tools.users import context_for


@pytest.fixture
def tool(desk_db_any):
    tools = build_tools(ScopeGate(desk_db_any), BehaviourThresholds())
    return next(t for t in tools if t.name == "get_behaviour_report")


def ctx(db, user):
    return context_for(db, user)


def report(tool, context, **args):
    return invoke_tool(tool, context, "th-psy", **args)


def flags(out):
    return {f["check"]: f for f in out["flags"]}


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
    assert overtrading["evidence"]["baseline"]["business_days"] == 60


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


def test_window_before_the_calendar_is_a_typed_bad_window_result(desk_db):
    """Issue 12 finding 3: ``since 0001-01-01`` raised OverflowError, whose raw text reached the chat."""
    only = next(t for t in build_tools(ScopeGate(desk_db), BehaviourThresholds()) if t.name == "get_behaviour_report")
    out = report(only, ctx(desk_db, "trader_aruna"), window="since 0001-01-01")
    assert out["status"] == "error" and out["error"]["type"] == "bad_window"
    assert "OverflowError" not in str(out)


# -- issue 13: flags relative to each trader's own baseline --------------------------------------------

def _trader_context(user):
    """A trader context for every demo trader (ben and kim have no login; their books and customers)."""
    profile = next(p for p in TRADERS if p.trader == user)
    extra = ("Cust999",) if profile.book == "FX-EM" else ()
    return Context(user_id=user, role="trader", books=(profile.book,), customers=(*profile.customers, *extra))


def test_loss_chasing_does_not_flag_every_trader(desk_db_any, tool):
    """Regression for issue 13: loss chasing used to flag every demo trader."""
    flagged = {p.trader: flags(report(tool, _trader_context(p.trader), window="last 30 days",
                                      checks=["loss_chasing"]))["loss_chasing"]["flagged"] for p in TRADERS}
    assert not all(flagged.values()), flagged
    for p in TRADERS:
        evidence = flags(report(tool, _trader_context(p.trader), window="last 30 days",
                                checks=["loss_chasing"]))["loss_chasing"]["evidence"]
        assert evidence["observed"]["of"] > 0 and evidence["baseline"]["of"] > 0


@pytest.mark.parametrize("window", ["last 30 days", "last 90 days"])
def test_planted_time_of_day_pattern_fires_for_its_trader_only(desk_db_any, tool, window):
    """Issue 13: the demo plants late-session losses for one trader; only she is flagged, in that bucket."""
    results = {p.trader: flags(report(tool, _trader_context(p.trader), window=window,
                                      checks=["time_of_day"]))["time_of_day"] for p in TRADERS}
    assert {u for u, f in results.items() if f["flagged"]} == {LATE_LOSS_TRADER}
    planted = results[LATE_LOSS_TRADER]["evidence"]
    lo, hi = LATE_LOSS_HOURS
    assert planted["worst_bucket"]["hours"] == f"{lo:02d}:00–{hi:02d}:00"
    assert planted["observed"]["pct"] - planted["baseline"]["pct"] == pytest.approx(planted["excess_pct_points"])


def test_demo_data_version_records_the_time_of_day_plant(desk_db_any):
    assert desk_db_any.meta("generator_version") == GENERATOR_VERSION != "1"
