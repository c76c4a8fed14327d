"""Tilt, feelings check-in and discipline tools over the tiny journal database (issue 17), with scope and audit.

Figures come from tests/unit/tools/trade_journal/conftest.py (as of Fri 2026-11-20): aruna's T1 +5,000
(closed 19th 10:00), T2 −8,000 (19th 11:00), T3 +2,500 (20th 09:00), T4 and T7 open; USD sizes at the
trade day's close: T1, T3, T7 1.08m, T2 1m, T4 2.16m (mean 1.28m); holds T1 60, T2 30, T3 1,260 minutes.
"""

import pytest
from langgraph.prebuilt import ToolRuntime
from sqlalchemy import select

from data import schema
from tests.unit.tools.trade_journal.conftest import ARUNA, LI, SAM, tiny_db  # noqa: F401 (fixture)
from tools.psychology.thresholds import BehaviourThresholds
from tools.psychology.tools import build_tools
from tools.scope import ScopeGate

TH = BehaviourThresholds(tilt_big_win_ratio=1.2, tilt_loss_streak=1, tilt_min_trades=2)


@pytest.fixture
def tools(tiny_db):  # noqa: F811
    return {t.name: t for t in build_tools(ScopeGate(tiny_db), TH)}


def call(tools, name, ctx, **args):
    runtime = ToolRuntime(state={}, context=ctx, config={"configurable": {"thread_id": "th-s"}}, stream_writer=None,
                          tool_call_id="call-1", store=None)
    return tools[name].invoke({**args, "runtime": runtime})


def last_audit(db):
    with db.engine.connect() as conn:
        return conn.execute(select(schema.audit).order_by(schema.audit.c.audit_id.desc())).mappings().first()


def test_tilt_check_compares_the_next_trades_with_the_baseline(tools):
    out = call(tools, "get_tilt_check", ARUNA, window="this week", next_trades=2)
    assert out["status"] == "ok" and out["next_trades"] == 2 and out["tilted"]
    assert out["baseline"] == {"trades": 5, "mean_size_usd": 1280000.0, "closed": 3, "wins": 2, "win_rate_pct": 66.67,
                               "median_hold_minutes": 60.0}
    assert out["big_win_from_usd"] == 4500.0  # 1.2 × median(5,000, 2,500)
    win, streak = out["conditions"]
    # After T1 (the big win): T2, T3 → mean 1.04m (0.81×), 1 of 2 won (−16.67 points), median hold 645 min.
    assert (win["trigger_trade_ids"], win["after_trade_ids"]) == (["T1"], ["T2", "T3"])
    assert (win["after"]["mean_size_usd"], win["after"]["median_hold_minutes"]) == (1040000.0, 645.0)
    assert (win["size_ratio"], win["hold_ratio"], win["win_rate_change_pct_points"]) == (0.81, 10.75, -16.67)
    assert win["flagged"] and win["reasons"] == ["win rate 16.67 points below your baseline (flag at 15)"]
    # After T2 (a 1-loss streak): T3, T4 → mean 1.62m = 1.27× the baseline.
    assert (streak["trigger_trade_ids"], streak["after_trade_ids"]) == (["T2"], ["T3", "T4"])
    assert (streak["size_ratio"], streak["flagged"]) == (1.27, True)


def test_feeling_check_in_is_journaled_and_answered_with_the_traders_own_days(tiny_db, tools):  # noqa: F811
    out = call(tools, "check_in_feeling", ARUNA, feeling="Calm", note="steady morning", window="this week")
    assert out["status"] == "ok" and out["feeling"] == "calm"
    # Calm was journaled on the 19th: T1 +5,000 and T2 −8,000 closed → 1 of 2, −3,000. Other day: 20th, T3 +2,500.
    assert out["feeling_days"] == {"days": 1, "trading_days": 1, "closed": 2, "wins": 1, "win_rate_pct": 50.0,
                                   "pnl_usd": -3000.0, "avg_pnl_per_trading_day_usd": -3000.0}
    assert out["other_days"] == {"days": 1, "trading_days": 1, "closed": 1, "wins": 1, "win_rate_pct": 100.0,
                                 "pnl_usd": 2500.0, "avg_pnl_per_trading_day_usd": 2500.0}
    assert (out["win_rate_difference_pct_points"], out["avg_day_pnl_difference_usd"]) == (-50.0, -5500.0)
    assert [d["day"] for d in out["feeling_day_list"]] == ["2026-11-19"]
    entry = out["entry"]
    assert (entry["user_id"], entry["book"], entry["emotions"], entry["setup_tags"], entry["notes"]) == (
        "trader_aruna", "FX-G10", ["calm"], ["check-in"], "steady morning")
    with tiny_db.engine.connect() as conn:
        saved = conn.execute(select(schema.journal).where(schema.journal.c.entry_id == entry["entry_id"])).one()
    assert saved.emotions == "calm" and saved.trade_id is None


def test_feeling_evidence_uses_only_the_callers_journal_and_trades(tools):
    out = call(tools, "check_in_feeling", LI, feeling="calm", window="this week")
    assert out["feeling_days"]["days"] == 0  # aruna's calm entry is not li's
    # li's T5: BUY 3m USDMXN 17.50 → 17.60 = 300,000 MXN / 17.10 = 17,543.86 USD.
    assert out["other_days"]["pnl_usd"] == 17543.86 and out["other_days"]["closed"] == 1


def test_discipline_finds_trades_after_the_daily_loss_limit(tools):
    # 19th: T1 +5,000 (10:00), T2 −8,000 (11:00) → −3,000 by 11:00, beyond a 2,999 limit; T3 opened 12:00.
    out = call(tools, "get_discipline_report", ARUNA, window="this week", daily_loss_limit_usd=2999)
    loss = out["loss_limit"]
    assert loss["flagged"] and (loss["days_hit"], loss["trades_after_limit"]) == (1, 1)
    (day,) = loss["days"]
    assert (day["day"], day["limit_hit_at"], day["realised_at_hit_usd"], day["trade_ids"]) == (
        "2026-11-19", "2026-11-19T11:00:00", -3000.0, ["T3"])
    # No baseline trades: the window's median 1.08m is the usual; 2.5× = 2.7m, and T4 (2.16m) is below it.
    over = out["oversize"]
    assert (over["median_size_usd"], over["oversize_from_usd"]) == (1080000.0, 2700000.0)
    assert over["observed"] == {"count": 0, "of": 5, "pct": 0.0} and not over["flagged"]
    assert out["flagged"]
    default = call(tools, "get_discipline_report", ARUNA, window="this week")
    assert default["loss_limit"]["daily_loss_limit_usd"] == 50000 and not default["loss_limit"]["flagged"]


def test_discipline_shows_only_the_callers_trades(tools):
    out = call(tools, "get_discipline_report", LI, window="this week", daily_loss_limit_usd=1)
    assert out["oversize"]["observed"]["of"] == 1 and out["loss_limit"]["days_hit"] == 0  # T5 won


@pytest.mark.parametrize(("tool", "args"), [("get_tilt_check", {}), ("check_in_feeling", {"feeling": "calm"}),
                                            ("get_discipline_report", {})])
def test_onboarding_is_denied_with_an_audit_row(tiny_db, tools, tool, args):  # noqa: F811
    out = call(tools, tool, SAM, **args)
    assert out["status"] == "not_entitled" and set(out) == {"status", "tool", "message", "requested"}
    row = last_audit(tiny_db)
    assert (row["user_id"], row["tool"], row["decision"]) == ("onboarding_sam", tool, "denied")
