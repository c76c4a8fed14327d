"""Trade-journal tools on the demo dataset (SQLite and PostgreSQL): scope, ownership, statistics cross-checked.

Statistics are checked against an independent recomputation: raw trade rows and the shared closes
query (`data.queries.rates.closes`), not the desk's own conversion code.
"""

import pytest
from sqlalchemy import delete, func, select

from data import schema
from data.queries.rates import closes
from tests.tool_calls import invoke_tool
from tools.catalog import tools_of
from tools.psychology.tools import build_tools as build_psychology_tools
from tools.scope import ScopeGate
from tools.trade_journal.tools import build_tools
from tools.users import context_for
from tools.windows import resolve_window


@pytest.fixture
def db(desk_db_any):
    """The shared demo database; journal entries a test writes are deleted afterwards."""
    with desk_db_any.engine.connect() as conn:
        last = conn.execute(select(func.max(schema.journal.c.entry_id))).scalar() or 0
    yield desk_db_any
    with desk_db_any.engine.begin() as conn:
        conn.execute(delete(schema.journal).where(schema.journal.c.entry_id > last))


@pytest.fixture
def tools(db):
    return {t.name: t for t in build_tools(ScopeGate(db))}


def ctx(db, user):
    return context_for(db, user)


def call(tools, name, context, **args):
    return invoke_tool(tools[name], context, "th-int", **args)


def last_audit(db):
    with db.engine.connect() as conn:
        return conn.execute(select(schema.audit).order_by(schema.audit.c.audit_id.desc())).mappings().first()


def closed_rows(db, user, window):
    t = schema.trades
    with db.engine.connect() as conn:
        rows = conn.execute(select(t).where(t.c.trader == user)).mappings().all()
    return [r for r in rows if r["exit_time"] is not None and window.start <= r["exit_time"].date() <= window.end]


def independent_pnl(db, row):
    day = row["exit_time"].date()
    day_closes = closes(db.engine, [day])[day]
    quote = row["pair"][3:]
    usd = 1.0 if quote == "USD" else day_closes.get(f"{quote}USD") or 1 / day_closes[f"USD{quote}"]
    sign = 1 if row["side"] == "BUY" else -1
    return sign * row["notional"] * (row["exit_rate"] - row["rate"]) * usd


def test_stats_count_exactly_the_callers_closed_trades_and_match_an_independent_pnl(db, tools):
    aruna = ctx(db, "trader_aruna")
    out = call(tools, "get_journal_stats", aruna, window="last 30 days")
    assert out["status"] == "ok"
    window = resolve_window("last 30 days", db.as_of)
    rows = [r for r in closed_rows(db, "trader_aruna", window) if r["customer"] in aruna.customers]
    pnls = [independent_pnl(db, r) for r in rows]
    s = out["stats"]
    assert s["trades"] == len(rows) > 10
    assert s["wins"] == sum(p > 0 for p in pnls) and s["losses"] == sum(p < 0 for p in pnls)
    assert s["total_pnl_usd"] == pytest.approx(sum(pnls), abs=0.01)
    assert s["win_rate_pct"] == round(100 * s["wins"] / s["trades"], 2)
    assert out["best_trade"]["pnl_usd"] == pytest.approx(max(pnls), abs=0.01)
    assert out["worst_trade"]["pnl_usd"] == pytest.approx(min(pnls), abs=0.01)


def test_group_by_pair_partitions_the_totals(db, tools):
    aruna = ctx(db, "trader_aruna")
    whole = call(tools, "get_journal_stats", aruna, window="last 90 days")["stats"]
    groups = call(tools, "get_journal_stats", aruna, window="last 90 days", group_by="pair")["groups"]
    assert sum(g["trades"] for g in groups) == whole["trades"]
    assert sum(g["total_pnl_usd"] for g in groups) == pytest.approx(whole["total_pnl_usd"], abs=0.01 * len(groups))
    one = call(tools, "get_journal_stats", aruna, window="last 90 days", pair="USDJPY")["stats"]
    usdjpy = next(g for g in groups if g["group"] == "USDJPY")
    assert one == {k: v for k, v in usdjpy.items() if k != "group"}


def test_group_by_tag_follows_the_demo_journal_links(db, tools):
    aruna = ctx(db, "trader_aruna")
    entries = call(tools, "list_journal_entries", aruna, window="last 90 days", tag="revenge", limit=200)["entries"]
    assert entries, "the demo journals revenge trades"
    window = resolve_window("last 90 days", db.as_of)
    closed_ids = {r["trade_id"] for r in closed_rows(db, "trader_aruna", window)}
    expected = {e["trade_id"] for e in entries} & closed_ids
    groups = {g["group"]: g for g in call(tools, "get_journal_stats", aruna, window="last 90 days",
                                          group_by="tag")["groups"]}
    assert groups.get("revenge", {"trades": 0})["trades"] == len(expected)
    assert "untagged" in groups and groups["untagged"]["trades"] > 100


def test_add_list_update_round_trip_on_an_own_trade(db, tools):
    aruna = ctx(db, "trader_aruna")
    with db.engine.connect() as conn:
        trade = conn.execute(select(schema.trades).where(schema.trades.c.trader == "trader_aruna")
                             .order_by(schema.trades.c.trade_time.desc())).mappings().first()
    added = call(tools, "add_journal_entry", aruna, trade_id=trade["trade_id"], setup_tags=["Pullback", "pullback"],
                 emotions=["Calm"], notes="Waited for the retest.")
    assert added["status"] == "ok"
    entry = added["entry"]
    assert (entry["book"], entry["customer"], entry["setup_tags"]) == ("FX-G10", trade["customer"], ["pullback"])
    listed = call(tools, "list_journal_entries", aruna, window="today", tag="pullback")["entries"]
    assert [e["entry_id"] for e in listed] == [entry["entry_id"]]
    updated = call(tools, "update_journal_entry", aruna, entry_id=entry["entry_id"], setup_tags=["Retest"])
    assert updated["entry"]["setup_tags"] == ["retest"] and updated["entry"]["emotions"] == ["calm"]


def test_list_is_newest_first_and_only_the_callers_entries(db, tools):
    aruna = ctx(db, "trader_aruna")
    entries = call(tools, "list_journal_entries", aruna, window="last 90 days", limit=200)["entries"]
    assert entries and all(e["user_id"] == "trader_aruna" and e["book"] == "FX-G10" for e in entries)
    stamps = [(e["created_at"], e["entry_id"]) for e in entries]
    assert stamps == sorted(stamps, reverse=True)
    assert call(tools, "list_journal_entries", ctx(db, "trader_li"), window="last 90 days")["count"] == 0


def _trade_of(db, trader, customer=None):
    t = schema.trades
    query = select(t.c.trade_id).where(t.c.trader == trader)
    if customer:
        query = query.where(t.c.customer == customer)
    with db.engine.connect() as conn:
        return conn.execute(query.order_by(t.c.trade_id)).scalar()


@pytest.mark.parametrize(("trader", "customer"), [("trader_li", "Cust310"), ("trader_ben", None)])
def test_aruna_cannot_journal_other_traders_trades(db, tools, trader, customer):
    trade_id = _trade_of(db, trader, customer)
    out = call(tools, "add_journal_entry", ctx(db, "trader_aruna"), trade_id=trade_id, notes="mine?")
    assert out["status"] == "not_entitled" and "entry" not in out
    row = last_audit(db)
    assert (row["user_id"], row["tool"], row["decision"]) == ("trader_aruna", "add_journal_entry", "denied")


@pytest.mark.parametrize(("name", "args"), [("list_journal_entries", {"pair": "USDMXN"}),
                                            ("get_journal_stats", {"pair": "usd/zar"}),
                                            ("add_journal_entry", {"pair": "USDTRY", "notes": "x"})])
def test_aruna_asking_for_fx_em_pairs_is_not_entitled(db, tools, name, args):
    out = call(tools, name, ctx(db, "trader_aruna"), **args)
    assert out["status"] == "not_entitled" and "FX-EM" in out["message"]
    assert set(out) == {"status", "tool", "message", "requested"}
    assert last_audit(db)["decision"] == "denied"


def test_another_users_entry_cannot_be_updated(db, tools):
    li = ctx(db, "trader_li")
    own = call(tools, "add_journal_entry", li, trade_id=_trade_of(db, "trader_li", "Cust310"), notes="li's note")
    assert own["status"] == "ok"
    out = call(tools, "update_journal_entry", ctx(db, "trader_aruna"), entry_id=own["entry"]["entry_id"],
               notes="overwritten")
    assert out["status"] == "not_entitled"
    assert last_audit(db)["decision"] == "denied"
    still = call(tools, "list_journal_entries", li, window="today")["entries"]
    assert [e["notes"] for e in still] == ["li's note"]


def test_onboarding_sam_is_denied_every_journal_and_psychology_tool(db, tools):
    sam = ctx(db, "onboarding_sam")
    desk_tools = {**tools, **{t.name: t for t in build_psychology_tools(ScopeGate(db))}}
    names = tools_of("trade_journal") + tools_of("psychology")
    for name in names:
        required = {"update_journal_entry": {"entry_id": 1, "notes": "x"}, "check_in_feeling": {"feeling": "calm"}}
        args = required.get(name, {})
        out = call(desk_tools, name, sam, **args)
        assert out["status"] == "not_entitled", name
        row = last_audit(db)
        assert (row["user_id"], row["tool"], row["decision"]) == ("onboarding_sam", name, "denied")
