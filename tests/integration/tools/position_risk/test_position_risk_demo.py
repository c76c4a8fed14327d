"""Position-risk tools on the demo data agree with independent SQL and hand-coded definitions."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, timedelta

import pytest
from langchain_core.messages import AIMessage
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode
from sqlalchemy import case, func, select

from data import schema
from tools.position_risk.tools import build_tools
from tools.scope import ScopeGate
from tools.users import context_for

AS_OF = date(2026, 11, 20)
CUTOFF = datetime(2026, 11, 21)
ARUNA_CUSTOMERS = [f"Cust{i}" for i in range(201, 216)]


def closes_on(db, day):
    with db.engine.connect() as conn:
        query = select(schema.rates.c.pair, schema.rates.c.close).where(schema.rates.c.day == day)
        return {pair: close for pair, close in conn.execute(query)}


def usd(closes, ccy):
    return 1.0 if ccy == "USD" else closes.get(f"{ccy}USD") or 1 / closes[f"USD{ccy}"]


def sql_nop(db, customers):
    """Net units per currency of open trades: both legs summed per pair in SQL."""
    t = schema.trades
    sign = case((t.c.side == "BUY", 1.0), else_=-1.0)
    open_ = ((t.c.exit_time.is_(None)) | (t.c.exit_time >= CUTOFF)) & (t.c.trade_time < CUTOFF)
    where = open_ & (t.c.book == "FX-G10") & t.c.customer.in_(customers)
    legs = (select(t.c.pair, func.sum(sign * t.c.notional), func.sum(-sign * t.c.notional * t.c.rate))
            .where(where).group_by(t.c.pair))
    out = defaultdict(float)
    with db.engine.connect() as conn:
        for pair, base, quote in conn.execute(legs):
            out[pair[:3]] += float(base)
            out[pair[3:]] += float(quote)
    return out


def test_aruna_nop_matches_an_independent_sql_aggregation_of_her_customers_only(call_tool):
    result, _ = call_tool("trader_aruna", "get_net_open_position")
    expected = sql_nop(call_tool.db, ARUNA_CUSTOMERS)
    got = {r["currency"]: r["position"] for r in result["currencies"]}
    assert got == pytest.approx(dict(expected), abs=0.01)
    closes = closes_on(call_tool.db, AS_OF)
    for row in result["currencies"]:
        assert row["usd_equivalent"] == pytest.approx(expected[row["currency"]] * usd(closes, row["currency"]),
                                                      abs=0.01)
    # The same book with every customer differs: the scope filter is doing something.
    everyone = sql_nop(call_tool.db, ARUNA_CUSTOMERS + [f"Cust{i}" for i in range(216, 231)])
    assert everyone["EUR"] != pytest.approx(expected["EUR"])


def test_day_pnl_for_eurusd_follows_the_documented_definition(call_tool):
    result, _ = call_tool("trader_aruna", "get_pnl", pair="EURUSD", window="today")
    prev = date.fromisoformat(result["previous_close"])
    c0, c1 = closes_on(call_tool.db, prev)["EURUSD"], closes_on(call_tool.db, AS_OF)["EURUSD"]
    t = schema.trades
    with call_tool.db.engine.connect() as conn:
        query = select(t).where(t.c.pair == "EURUSD", t.c.book == "FX-G10", t.c.customer.in_(ARUNA_CUSTOMERS),
                                t.c.trade_time < CUTOFF)
        rows = conn.execute(query).mappings().all()
    prev_end = datetime.combine(prev + timedelta(days=1), datetime.min.time())
    total = 0.0
    for r in rows:
        s = 1 if r["side"] == "BUY" else -1
        exited_before = r["exit_time"] is not None and r["exit_time"] < prev_end
        if exited_before:
            continue
        start_mark = c0 if r["trade_time"] < prev_end else r["rate"]       # new today: from deal rate
        end_mark = r["exit_rate"] if r["exit_time"] is not None and r["exit_time"] < CUTOFF else c1
        total += s * r["notional"] * (end_mark - start_mark)
    assert result["total_pnl_usd"] == pytest.approx(total, abs=0.02)
    assert result["window"] == {"label": "today", "start": "2026-11-20", "end": "2026-11-20"}


def test_compliance_sees_breaches_and_warnings_in_the_demo_limits(call_tool):
    result, _ = call_tool("compliance_omar", "get_limit_utilisation")
    statuses = {(r["book"], r["currency"]): r["status"] for r in result["nop"]}
    assert "breach" in statuses.values() and "warning" in statuses.values()
    assert {r["book"] for r in result["var"]} == {"FX-G10", "FX-EM"}
    for r in result["nop"]:
        if r["limit_usd"]:
            assert r["utilisation_pct"] == pytest.approx(100 * r["nop_usd"] / r["limit_usd"], abs=0.01)


def test_scope_var_is_at_most_the_sum_of_the_books(call_tool):
    result, _ = call_tool("analyst_maya", "get_var", method="parametric")
    books = {r["book"]: r["parametric_var_usd"] for r in result["by_book"]}
    assert set(books) == {"FX-G10", "FX-EM"} and all(v > 0 for v in books.values())
    assert result["total"]["parametric_var_usd"] <= sum(books.values())
    assert result["returns_used"] == 250


def test_what_if_moves_the_base_exposure_by_the_notional_at_the_close(call_tool):
    result, _ = call_tool("trader_aruna", "what_if_trade", pair="GBPUSD", side="sell", notional=20_000_000)
    gbp = next(r for r in result["nop"] if r["currency"] == "GBP")
    gbpusd = closes_on(call_tool.db, AS_OF)["GBPUSD"]
    assert gbp["nop_after_usd"] - gbp["nop_before_usd"] == pytest.approx(-20_000_000 * gbpusd, abs=0.02)
    assert result["trade"]["rate"] == gbpusd
    assert gbp["headroom_before_usd"] == pytest.approx(gbp["limit_usd"] - abs(gbp["nop_before_usd"]), abs=0.02)


def test_tool_node_injects_the_runtime_context_from_the_graph(desk_db):
    tools = build_tools(ScopeGate(desk_db))
    builder = StateGraph(MessagesState, context_schema=type(context_for(desk_db, "trader_aruna")))
    builder.add_node("tools", ToolNode(tools))
    builder.add_edge(START, "tools")
    builder.add_edge("tools", END)
    graph = builder.compile()
    call = {"name": "get_var", "args": {"method": "parametric"}, "id": "c1", "type": "tool_call"}
    out = graph.invoke({"messages": [AIMessage("", tool_calls=[call])]},
                       context=context_for(desk_db, "trader_aruna"))
    payload = json.loads(out["messages"][-1].content)
    assert payload["status"] == "ok" and payload["scope"]["books"] == ["FX-G10"]
