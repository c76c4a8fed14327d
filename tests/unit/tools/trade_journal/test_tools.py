"""Trade-journal tools end to end over the tiny hand-made database (see conftest.py for every figure)."""

import json

import pytest
from langgraph.prebuilt import ToolRuntime
from sqlalchemy import insert, select

from data import schema
from tools.catalog import TOOL_ARGS, tools_of
from tools.scope import ScopeGate
from tools.trade_journal.tools import build_tools, normalise_trade_id

from .conftest import ARUNA, LI, SAM, _dt, _trade


@pytest.fixture
def tools(tiny_db):
    return {t.name: t for t in build_tools(ScopeGate(tiny_db))}


def call(tools, name, ctx, **args):
    runtime = ToolRuntime(state={}, context=ctx, config={"configurable": {"thread_id": "th-j"}, "run_id": "run-1"},
                          stream_writer=None, tool_call_id="call-1", store=None)
    return tools[name].invoke({**args, "runtime": runtime})


def audit(db):
    with db.engine.connect() as conn:
        return conn.execute(select(schema.audit).order_by(schema.audit.c.audit_id)).mappings().all()


# -- contract ----------------------------------------------------------------------------------------

def test_build_tools_returns_exactly_the_journal_catalogue(tools):
    assert list(tools) == tools_of("trade_journal")
    for name, tool in tools.items():
        assert tool.args_schema is TOOL_ARGS[name][1]


def test_runtime_is_injected_and_absent_from_the_model_facing_schema(tools):
    for tool in tools.values():
        props = tool.tool_call_schema.model_json_schema().get("properties", {})
        assert "runtime" not in props
        assert set(props) == set(TOOL_ARGS[tool.name][1].model_fields)


def test_trade_ids_are_read_in_any_common_spelling():
    assert normalise_trade_id("t4211") == "T004211"
    assert normalise_trade_id(" 4211 ") == "T004211"
    assert normalise_trade_id("T004211") == "T004211"


# -- statistics --------------------------------------------------------------------------------------

def test_stats_match_the_hand_calculation(tools):
    out = call(tools, "get_journal_stats", ARUNA, window="this week")
    assert out["status"] == "ok"
    s = out["stats"]
    # Closed this week: T1 +5,000, T2 −8,000, T3 +2,500 (T4 open; T7 closes after the desk date).
    assert (s["trades"], s["wins"], s["losses"]) == (3, 2, 1)
    assert s["win_rate_pct"] == 66.67
    assert s["avg_win_usd"] == 3750.0
    assert s["avg_loss_usd"] == -8000.0
    assert s["expectancy_usd"] == -166.67      # 2/3 × 3,750 − 1/3 × 8,000
    assert s["profit_factor"] == 0.94          # 7,500 / 8,000 = 0.9375
    assert s["total_pnl_usd"] == -500.0
    assert (s["longest_win_streak"], s["longest_loss_streak"]) == (1, 1)
    assert out["open_trades_excluded"] == 2    # T4 and T7
    assert out["best_trade"]["trade_id"] == "T1" and out["worst_trade"]["trade_id"] == "T2"
    assert out["worst_trade"]["book"] == "FX-G10" and out["worst_trade"]["customer"] == "Cust203"
    assert out["window"] == {"label": "this week", "start": "2026-11-16", "end": "2026-11-20"}
    assert out["scope"]["books"] == ["FX-G10"]


def test_stats_convert_quote_pnl_at_the_exit_days_rate(tools):
    by_pair = {g["group"]: g for g in call(tools, "get_journal_stats", ARUNA, window="this week",
                                           group_by="pair")["groups"]}
    # USDJPY 150 on the exit day (19th), not 160 on the as-of day; GBPUSD 1.25 on the exit day (20th), not 1.20.
    assert by_pair["USDJPY"]["total_pnl_usd"] == -8000.0
    assert by_pair["EURGBP"]["total_pnl_usd"] == 2500.0
    assert by_pair["EURUSD"]["total_pnl_usd"] == 5000.0


def test_stats_by_tag_use_journal_links_and_group_untagged_trades(tools):
    groups = {g["group"]: g for g in call(tools, "get_journal_stats", ARUNA, window="this week",
                                          group_by="tag")["groups"]}
    assert sorted(groups) == ["breakout", "news", "untagged"]
    assert (groups["breakout"]["trades"], groups["breakout"]["total_pnl_usd"]) == (2, 7500.0)  # T1 + T3
    assert (groups["news"]["trades"], groups["news"]["total_pnl_usd"]) == (1, 2500.0)
    assert (groups["untagged"]["trades"], groups["untagged"]["total_pnl_usd"]) == (1, -8000.0)  # T2
    assert groups["breakout"]["books"] == ["FX-G10"]


def test_stats_for_one_pair_and_window_by_exit_day(tools):
    out = call(tools, "get_journal_stats", ARUNA, window="2026-11-20", pair="eur/gbp")
    assert out["pair"] == "EURGBP" and out["stats"]["trades"] == 1 and out["stats"]["total_pnl_usd"] == 2500.0
    today = call(tools, "get_journal_stats", ARUNA, window="today")
    assert today["stats"]["trades"] == 1  # only T3 closed on the 20th


def test_stats_never_include_other_traders_trades(tools):
    li = call(tools, "get_journal_stats", LI, window="this week")
    assert li["stats"]["trades"] == 1  # T5 only; T6 (ben) is nobody's here
    # T5: +3m × 0.10 MXN = 300,000 MXN at 1/17.10 → 17,543.86 USD.
    assert li["stats"]["total_pnl_usd"] == 17543.86


# -- entries -----------------------------------------------------------------------------------------

def test_add_entry_on_own_trade_normalises_labels_and_names_book_and_customer(tools, tiny_db):
    out = call(tools, "add_journal_entry", ARUNA, trade_id="t2", setup_tags=["Fade", "fade ", "NEWS"],
               emotions=["Angry", "angry"], notes=" stopped out ")
    assert out["status"] == "ok"
    e = out["entry"]
    assert (e["trade_id"], e["pair"], e["book"], e["customer"]) == ("T2", "USDJPY", "FX-G10", "Cust203")
    assert e["setup_tags"] == ["fade", "news"] and e["emotions"] == ["angry"] and e["notes"] == "stopped out"
    assert e["created_at"].startswith("2026-11-20")  # desk clock: the as-of date
    assert isinstance(e["entry_id"], int)
    assert audit(tiny_db)[-1]["decision"] == "allowed"
    assert audit(tiny_db)[-1]["thread_id"] == "th-j"


def test_free_standing_entry_takes_the_pairs_book(tools):
    out = call(tools, "add_journal_entry", ARUNA, pair="gbp usd", notes="watching the BoE")
    assert (out["entry"]["pair"], out["entry"]["book"], out["entry"]["trade_id"]) == ("GBPUSD", "FX-G10", None)


@pytest.mark.parametrize("trade_id", ["T5", "T6"])
def test_entry_on_another_traders_trade_is_not_entitled_and_audited(tools, tiny_db, trade_id):
    out = call(tools, "add_journal_entry", ARUNA, trade_id=trade_id, notes="x")
    assert out["status"] == "not_entitled"
    assert "entry" not in out and "Cust310" not in json.dumps(out)  # no detail of the trade leaks
    row = audit(tiny_db)[-1]
    assert (row["tool"], row["decision"]) == ("add_journal_entry", "denied")


def test_entry_on_unknown_trade_or_empty_entry_is_an_error(tools):
    assert call(tools, "add_journal_entry", ARUNA, trade_id="T999", notes="x")["error"]["type"] == "unknown_trade"
    assert call(tools, "add_journal_entry", ARUNA, trade_id="T1")["error"]["type"] == "empty_entry"
    mismatch = call(tools, "add_journal_entry", ARUNA, trade_id="T1", pair="USDJPY", notes="x")
    assert mismatch["error"]["type"] == "pair_mismatch"


def test_free_standing_entry_on_an_em_pair_is_denied_for_a_g10_trader(tools, tiny_db):
    out = call(tools, "add_journal_entry", ARUNA, pair="USDMXN", notes="x")
    assert out["status"] == "not_entitled" and "FX-EM" in out["message"]
    assert audit(tiny_db)[-1]["decision"] == "denied"


def test_list_returns_own_entries_newest_first_with_filters(tools):
    call(tools, "add_journal_entry", ARUNA, pair="EURUSD", setup_tags=["Breakout"], notes="new")
    out = call(tools, "list_journal_entries", ARUNA, window="this week")
    notes = [e["notes"] for e in out["entries"]]
    assert sorted(notes) == ["cpi", "new", "plan"]  # li's entry is not listed
    stamps = [(e["created_at"], e["entry_id"]) for e in out["entries"]]
    assert stamps == sorted(stamps, reverse=True)  # newest first (the new one's time-of-day is the wall clock)
    assert notes.index("cpi") < notes.index("plan")
    assert all(e["book"] == "FX-G10" and e["user_id"] == "trader_aruna" for e in out["entries"])
    tagged = call(tools, "list_journal_entries", ARUNA, window="this week", tag="NEWS")
    assert [e["notes"] for e in tagged["entries"]] == ["cpi"]
    by_pair = call(tools, "list_journal_entries", ARUNA, window="this week", pair="EURUSD", limit=1)
    assert [e["notes"] for e in by_pair["entries"]] == ["new"]


def test_list_window_is_by_creation_day(tools):
    out = call(tools, "list_journal_entries", ARUNA, window="2026-11-19")
    assert [e["notes"] for e in out["entries"]] == ["plan"]


def test_tag_filter_matches_whole_tags_only(tools):
    assert call(tools, "list_journal_entries", ARUNA, window="this week", tag="break")["count"] == 0
    assert call(tools, "list_journal_entries", ARUNA, window="this week", tag="%")["count"] == 0


def test_list_on_an_em_pair_is_denied_for_a_g10_trader(tools, tiny_db):
    out = call(tools, "list_journal_entries", ARUNA, pair="USDMXN")
    assert out["status"] == "not_entitled" and "entries" not in out
    assert audit(tiny_db)[-1]["decision"] == "denied"


def test_update_own_entry_replaces_only_given_fields(tools):
    out = call(tools, "update_journal_entry", ARUNA, entry_id=1, emotions=["Calm", "Focused"])
    assert out["status"] == "ok" and out["updated_fields"] == ["emotions"]
    assert out["entry"]["emotions"] == ["calm", "focused"]
    assert out["entry"]["setup_tags"] == ["breakout"] and out["entry"]["notes"] == "plan"
    assert out["entry"]["updated_at"].startswith("2026-11-20")


def test_update_another_users_entry_is_not_entitled_and_unknown_is_an_error(tools, tiny_db):
    out = call(tools, "update_journal_entry", ARUNA, entry_id=3, notes="mine now")
    assert out["status"] == "not_entitled" and "entry" not in out
    assert audit(tiny_db)[-1]["decision"] == "denied"
    assert call(tools, "list_journal_entries", LI, window="this week")["entries"][0]["notes"] == ""
    assert call(tools, "update_journal_entry", ARUNA, entry_id=99, notes="x")["error"]["type"] == "unknown_entry"
    assert call(tools, "update_journal_entry", ARUNA, entry_id=1)["error"]["type"] == "nothing_to_update"


@pytest.mark.parametrize("name", tools_of("trade_journal"))
def test_onboarding_is_denied_every_journal_tool(tools, tiny_db, name):
    args = {"entry_id": 1, "notes": "x"} if name == "update_journal_entry" else {}
    out = call(tools, name, SAM, **args)
    assert out["status"] == "not_entitled" and "onboarding" in out["message"]
    assert audit(tiny_db)[-1]["decision"] == "denied"


def test_closed_trade_without_an_exit_day_rate_is_a_typed_error_not_a_guess(tools, tiny_db):
    with tiny_db.engine.begin() as conn:
        conn.execute(insert(schema.pairs).values(pair="USDCHF", base="USD", quote="CHF", region="G10", book="FX-G10",
                                                 decimals=5))
        conn.execute(insert(schema.trades).values(**_trade("T8", "trader_aruna", "Cust201", "FX-G10", "USDCHF",
                                                           "BUY", 1e6, 0.90, _dt(20, 9), 0.91, _dt(20, 10))))
    out = call(tools, "get_journal_stats", ARUNA, window="this week")
    assert out["status"] == "error" and out["error"]["type"] == "missing_rate" and "T8" in out["error"]["message"]
