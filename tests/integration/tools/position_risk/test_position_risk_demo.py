"""Position-risk tools on the demo data agree with independent SQL and hand-coded definitions."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, timedelta

import pytest
from langchain_core.messages import AIMessage
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode
from sqlalchemy import select

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


def curve_on(db, day):
    with db.engine.connect() as conn:
        f = schema.forward_points
        rows = conn.execute(select(f.c.pair, f.c.tenor_days, f.c.points).where(f.c.day == day)).all()
    out = defaultdict(list)
    for pair, n, pts in rows:
        out[pair].append((n, pts))
    return out


def points_by_hand(nodes, days):
    """Linear between (0, 0) and the tenor nodes, flat beyond the last one."""
    xs, ys = [0] + [d for d, _ in sorted(nodes)], [0.0] + [p for _, p in sorted(nodes)]
    if days <= 0:
        return 0.0
    if days >= xs[-1]:
        return ys[-1]
    i = next(k for k in range(1, len(xs)) if days <= xs[k])
    return ys[i - 1] + (ys[i] - ys[i - 1]) * (days - xs[i - 1]) / (xs[i] - xs[i - 1])


def forward_terms(row, day, curve):
    """(discount factor, points) of a forward before its value date on ``day``; (1, 0) otherwise."""
    days = (row["value_date"] - day).days
    if row["product"] != "FORWARD" or days <= 0:
        return 1.0, 0.0
    return 1 / (1 + 0.045 * days / 360), points_by_hand(curve[row["pair"]], days)


def sql_nop(db, customers):
    """Net FX-delta units per currency of open trades: spot legs, forwards discounted with their points."""
    t = schema.trades
    open_ = ((t.c.exit_time.is_(None)) | (t.c.exit_time >= CUTOFF)) & (t.c.trade_time < CUTOFF)
    with db.engine.connect() as conn:
        rows = conn.execute(select(t).where(open_ & (t.c.book == "FX-G10") & t.c.customer.in_(customers))).mappings()
        rows = list(rows)
    curve = curve_on(db, AS_OF)
    out = defaultdict(float)
    for r in rows:
        s = 1 if r["side"] == "BUY" else -1
        df, pts = forward_terms(r, AS_OF, curve)
        out[r["pair"][:3]] += s * r["notional"] * df
        out[r["pair"][3:]] -= s * r["notional"] * df * (r["rate"] - pts)
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


def test_day_pnl_for_eurusd_is_the_change_in_value_with_forwards_marked_on_the_curve(call_tool):
    """Issue 13: V(d) = s N (close - K), or s N DF (close + points - K) for a forward, or s N (exit - K)."""
    result, _ = call_tool("trader_aruna", "get_pnl", pair="EURUSD", window="today")
    prev = date.fromisoformat(result["previous_close"])
    closes = {prev: closes_on(call_tool.db, prev)["EURUSD"], AS_OF: closes_on(call_tool.db, AS_OF)["EURUSD"]}
    curves = {prev: curve_on(call_tool.db, prev), AS_OF: curve_on(call_tool.db, AS_OF)}
    t = schema.trades
    with call_tool.db.engine.connect() as conn:
        query = select(t).where(t.c.pair == "EURUSD", t.c.book == "FX-G10", t.c.customer.in_(ARUNA_CUSTOMERS),
                                t.c.trade_time < CUTOFF)
        rows = conn.execute(query).mappings().all()

    def value(r, day):
        end = datetime.combine(day + timedelta(days=1), datetime.min.time())
        s = 1 if r["side"] == "BUY" else -1
        if r["trade_time"] >= end:
            return 0.0
        if r["exit_time"] is not None and r["exit_time"] < end:
            return s * r["notional"] * (r["exit_rate"] - r["rate"])
        df, pts = forward_terms(r, day, curves[day])
        return s * r["notional"] * df * (closes[day] + pts - r["rate"])

    total = sum(value(r, AS_OF) - value(r, prev) for r in rows)
    assert result["total_pnl_usd"] == pytest.approx(total, abs=0.01 * len(rows))
    assert result["total_fx_translation_usd"] == 0.0  # USD quote: no translation
    assert any(r["product"] == "FORWARD" for r in rows)
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


def test_var_backtest_uses_the_day_pnl_of_get_pnl_and_counts_exceptions(call_tool):
    """Issue 13: P&L and VaR measure the same thing, so the backtest's daily P&L is get_pnl's."""
    result, _ = call_tool("trader_aruna", "get_var_backtest")
    assert result["status"] == "ok" and result["observations"] == 250 and result["zone"] in ("green", "yellow", "red")
    assert result["exceptions"] == len(result["exception_days"])
    worst = result["worst_day"]
    day_pnl, _ = call_tool("trader_aruna", "get_pnl", window=worst["day"])
    assert day_pnl["total_pnl_usd"] == worst["pnl_usd"]
    assert all(d["pnl_usd"] < -d["var_usd"] for d in result["exception_days"])


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
