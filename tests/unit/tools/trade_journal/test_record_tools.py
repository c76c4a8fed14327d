"""log_journal_trade and get_journal_breakdown over the tiny database (conftest.py), with scope and audit (issue 17)."""

import json
from datetime import datetime

import pytest
from langgraph.prebuilt import ToolRuntime
from sqlalchemy import func, select

from data import schema
from data.queries import journal_trades as rq
from tools.scope import ScopeGate
from tools.trade_journal.tools import build_tools

from .conftest import ARUNA, LI, SAM


@pytest.fixture
def tools(tiny_db):
    return {t.name: t for t in build_tools(ScopeGate(tiny_db))}


def call(tools, name, ctx, **args):
    runtime = ToolRuntime(state={}, context=ctx, config={"configurable": {"thread_id": "th-r"}}, stream_writer=None,
                          tool_call_id="call-1", store=None)
    return tools[name].invoke({**args, "runtime": runtime})


def last_audit(db):
    with db.engine.connect() as conn:
        return conn.execute(select(schema.audit).order_by(schema.audit.c.audit_id.desc())).mappings().first()


def records(db):
    with db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.journal_trades)).scalar_one()


def test_shorthand_is_logged_as_a_journal_record_not_a_booked_trade(tiny_db, tools):
    with tiny_db.engine.connect() as conn:
        booked = conn.execute(select(func.count()).select_from(schema.trades)).scalar_one()
    out = call(tools, "log_journal_trade", ARUNA, text="long 5m cable 1.2710 stop 1.2650 tp 1.2830 breakout, felt fomo")
    assert out["status"] == "ok" and out["booked"] is False and out["quote_currency"] == "USD"
    r = out["record"]
    assert (r["side"], r["pair"], r["book"], r["size"], r["entry"], r["stop"], r["target"]) == (
        "BUY", "GBPUSD", "FX-G10", 5e6, 1.271, 1.265, 1.283)
    assert (r["setup_tags"], r["emotions"], r["user_id"]) == (["breakout"], ["fomo"], "trader_aruna")
    # 5m × 0.0060 = 30,000 USD at risk; (1.2830 − 1.2710) / 0.0060 = 2 R.
    assert (r["stop_distance"], r["risk_quote"], r["reward_risk"], r["outcome"]) == (0.006, 30000.0, 2.0, None)
    assert r["source_text"].startswith("long 5m cable")
    with tiny_db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.trades)).scalar_one() == booked
    assert records(tiny_db) == 1
    row = last_audit(tiny_db)
    assert (row["tool"], row["decision"]) == ("log_journal_trade", "allowed")
    audited = json.loads(row["args"])  # what the model wrote, not what the parser read from it
    assert audited["text"].startswith("long 5m cable") and audited["side"] is None and audited["pair"] is None


def test_typed_fields_win_over_the_text_and_an_exit_gives_the_outcome(tools):
    out = call(tools, "log_journal_trade", ARUNA, text="short 2m fiber 1.0900 sl 1.0950", exit=1.0860, size=1e6,
               emotions=["Calm"], notes="faded the spike")
    r = out["record"]
    # SELL 1m at 1.0900, exit 1.0860: +0.0040 × 1m = 4,000 USD; R = 0.004 / 0.005 = 0.8.
    assert (r["size"], r["exit"], r["outcome"], r["result_quote"], r["r_multiple"]) == (1e6, 1.086, "win", 4000.0, 0.8)
    assert (r["emotions"], r["notes"]) == (["calm"], "faded the spike")


def test_a_stop_on_the_wrong_side_is_a_warning(tools):
    out = call(tools, "log_journal_trade", ARUNA, side="BUY", pair="USDJPY", entry=150.0, stop=151.0)
    assert out["warnings"] == ["the stop 151 is on the wrong side of the entry 150 for a long"]


def test_a_record_needs_a_side_and_a_pair(tiny_db, tools):
    out = call(tools, "log_journal_trade", ARUNA, text="felt awful today")
    assert out["error"]["type"] == "incomplete_trade" and records(tiny_db) == 0
    assert call(tools, "log_journal_trade", ARUNA, side="BUY", pair="XYZABC")["error"]["type"] == "unknown_pair"


def test_a_pair_outside_the_callers_books_is_not_entitled_and_audited(tiny_db, tools):
    out = call(tools, "log_journal_trade", ARUNA, text="long 1m usdmxn 17.20 stop 17.00")
    assert out["status"] == "not_entitled" and "record" not in out and records(tiny_db) == 0
    row = last_audit(tiny_db)
    assert (row["user_id"], row["tool"], row["decision"]) == ("trader_aruna", "log_journal_trade", "denied")


@pytest.mark.parametrize("tool", ["log_journal_trade", "get_journal_breakdown"])
def test_onboarding_is_denied_with_an_audit_row(tiny_db, tools, tool):
    args = {"text": "long 1m cable 1.27"} if tool == "log_journal_trade" else {}
    out = call(tools, tool, SAM, **args)
    assert out["status"] == "not_entitled"
    row = last_audit(tiny_db)
    assert (row["user_id"], row["tool"], row["decision"]) == ("onboarding_sam", tool, "denied")


def _seed_record(db, user="trader_aruna", book="FX-G10"):
    # short 2m cable 1.2700, exit 1.2720: a loss, logged Fri 20th 08:00 (between journal entries 1 and 2).
    rq.insert_record(db.engine, user_id=user, book=book, pair="GBPUSD", side="SELL", size=2e6, entry=1.27,
                     stop=1.275, target=None, exit=1.272, setup_tags=["breakout"], emotions=["fomo"], notes="",
                     source_text="", at=datetime(2026, 11, 20, 8))


def test_breakdown_counts_entries_and_records_with_hit_rate_and_streaks(tiny_db, tools):
    # aruna this week: entry 1 on T1 (+5,000: win, 19th 10:30, breakout), record (loss, 20th 08:00, breakout),
    # entry 2 on T3 (+2,500: win, 20th 09:30, breakout+news). li's entry on T5 is not hers.
    _seed_record(tiny_db)
    out = call(tools, "get_journal_breakdown", ARUNA, window="this week")
    t = out["totals"]
    assert (t["journaled"], t["entries"], t["trade_records"], t["with_outcome"]) == (3, 2, 1, 3)
    assert (t["wins"], t["losses"], t["hit_rate_pct"]) == (2, 1, 66.67)
    assert t["current_streak"] == {"kind": "win", "length": 1}
    assert (t["longest_win_streak"], t["longest_loss_streak"]) == (1, 1)
    groups = {g["group"]: g for g in out["groups"]}
    assert list(groups) == ["breakout", "news"]
    assert (groups["breakout"]["journaled"], groups["breakout"]["hit_rate_pct"]) == (3, 66.67)
    assert (groups["news"]["journaled"], groups["news"]["wins"]) == (1, 1)
    by_pair = call(tools, "get_journal_breakdown", ARUNA, window="this week", by="pair")
    assert [(g["group"], g["journaled"]) for g in by_pair["groups"]] == [("EURGBP", 1), ("EURUSD", 1), ("GBPUSD", 1)]


def test_breakdown_shows_only_the_callers_journal(tiny_db, tools):
    _seed_record(tiny_db)
    out = call(tools, "get_journal_breakdown", LI, window="this week")
    assert (out["totals"]["journaled"], out["totals"]["entries"], out["totals"]["trade_records"]) == (1, 1, 0)
    assert [g["group"] for g in out["groups"]] == ["carry"]
    assert out["totals"]["wins"] == 1  # T5: BUY 17.50 → 17.60
