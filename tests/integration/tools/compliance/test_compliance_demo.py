"""Compliance tools over the demo dataset on SQLite and PostgreSQL, checked against independent SQL."""

import json
from datetime import date, datetime, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import func, select

from data import schema
from data.queries.compliance import pre_trade_records, record_pre_trade
from tests.tool_calls import invoke_tool
from tools.catalog import tools_of
from tools.compliance.tools import build_tools
from tools.position_risk.tools import build_tools as build_risk_tools
from tools.scope import ScopeGate
from tools.users import context_for

AS_OF = date(2026, 11, 20)
SINCE = date(2026, 5, 25)  # "last 180 days" ends 2026-11-20 and starts here


@pytest.fixture(scope="module")
def tools(desk_db_any):
    gate = ScopeGate(desk_db_any)
    return {t.name: t for t in [*build_tools(gate), *build_risk_tools(gate)]}


def call(db, tools, name, user, **args):
    return invoke_tool(tools[name], context_for(db, user), "it", **args)


def all_trades_since(db, since):
    with db.engine.connect() as conn:
        return conn.execute(select(schema.trades).where(schema.trades.c.trade_time >= datetime.combine(
            since, datetime.min.time()))).mappings().all()


def points_by_hand(nodes, days):
    """Linear between (0, 0) and the tenor nodes, flat beyond the last one."""
    xs, ys = [0] + [d for d, _ in sorted(nodes)], [0.0] + [p for _, p in sorted(nodes)]
    if days >= xs[-1]:
        return ys[-1]
    i = next(k for k in range(1, len(xs)) if days <= xs[k])
    return ys[i - 1] + (ys[i] - ys[i - 1]) * (days - xs[i - 1]) / (xs[i] - xs[i - 1])


def last_audit(db, user, tool):
    a = schema.audit
    with db.engine.connect() as conn:
        return conn.execute(select(a).where(a.c.user_id == user, a.c.tool == tool)
                            .order_by(a.c.audit_id.desc()).limit(1)).mappings().first()


def test_off_market_matches_an_independent_scan_of_all_trades(desk_db_any, tools):
    out = call(desk_db_any, tools, "get_off_market_trades", "compliance_omar", window="last 180 days")
    assert out["status"] == "ok" and out["window"]["start"] == SINCE.isoformat()
    with desk_db_any.engine.connect() as conn:
        bars = {(r.pair, r.day if isinstance(r.day, date) else date.fromisoformat(r.day)): (r.low, r.high)
                for r in conn.execute(select(schema.rates).where(schema.rates.c.day >= SINCE))}
        curve = {}
        for r in conn.execute(select(schema.forward_points).where(schema.forward_points.c.day >= SINCE)):
            day = r.day if isinstance(r.day, date) else date.fromisoformat(r.day)
            curve.setdefault((r.pair, day), []).append((r.tenor_days, r.points))
    expected, forwards = set(), 0
    for t in all_trades_since(desk_db_any, SINCE):
        day = t["trade_time"].date()
        low, high = bars[(t["pair"], day)]
        if t["product"] == "FORWARD":  # issue 13: the spot range shifted by the points to the value date
            shift = points_by_hand(curve[(t["pair"], day)], (t["value_date"] - day).days)
            low, high, forwards = low + shift, high + shift, forwards + 1
        if t["rate"] < low * (1 - 0.001) or t["rate"] > high * (1 + 0.001):
            expected.add(t["trade_id"])
    assert forwards > 100
    assert expected, "the demo dataset is meant to contain off-market trades"
    assert {r["trade_id"] for r in out["off_market"]} == expected
    for row in out["off_market"]:
        bound = row["day_low"] if row["direction"] == "below_low" else row["day_high"]
        assert row["distance_pct"] == pytest.approx(abs(row["rate"] - bound) / bound * 100, abs=0.011)


def test_late_bookings_match_an_independent_scan_of_all_trades(desk_db_any, tools):
    out = call(desk_db_any, tools, "get_late_bookings", "compliance_omar", window="last 180 days",
               threshold_minutes=30)
    expected = {t["trade_id"]: (t["booking_time"] - t["trade_time"]).total_seconds() / 60
                for t in all_trades_since(desk_db_any, SINCE)
                if t["booking_time"] > t["trade_time"] + timedelta(minutes=30)}
    assert expected, "the demo dataset is meant to contain late bookings"
    got = {r["trade_id"]: r["delay_minutes"] for r in out["late_bookings"]}
    assert set(got) == set(expected)
    for trade_id, delay in got.items():
        assert delay == pytest.approx(expected[trade_id], abs=0.06)  # rounded to 0.1 min


def test_credit_utilisation_matches_pre_settlement_exposure_by_hand(desk_db_any, tools):
    """Issue 13: PSE = max(0, MTM) + add-on by residual tenor over unsettled trades not exited by the as-of date."""
    out = call(desk_db_any, tools, "get_credit_utilisation", "compliance_omar")
    t, f = schema.trades, schema.forward_points
    cutoff = datetime(2026, 11, 21)
    with desk_db_any.engine.connect() as conn:
        close = {p: c for p, c in conn.execute(select(schema.rates.c.pair, schema.rates.c.close)
                                               .where(schema.rates.c.day == AS_OF))}
        unsettled = conn.execute(select(t).where(t.c.value_date > AS_OF, t.c.trade_time < cutoff)).mappings().all()
        limits = dict(conn.execute(select(schema.customers.c.customer, schema.customers.c.credit_limit_usd)).all())
        curve = {}
        for pair, n, pts in conn.execute(select(f.c.pair, f.c.tenor_days, f.c.points).where(f.c.day == AS_OF)):
            curve.setdefault(pair, []).append((n, pts))

    def usd(ccy):
        return 1.0 if ccy == "USD" else close.get(f"{ccy}USD") or 1 / close[f"USD{ccy}"]

    exposure, exited = {}, 0
    for r in unsettled:
        if r["exit_time"] is not None and r["exit_time"] < cutoff:
            exited += 1
            continue
        s, days = (1 if r["side"] == "BUY" else -1), (r["value_date"] - AS_OF).days
        if r["product"] == "FORWARD":
            mark = close[r["pair"]] + points_by_hand(curve[r["pair"]], days)
            mtm = s * r["notional"] / (1 + 0.045 * days / 360) * (mark - r["rate"]) * usd(r["pair"][3:])
        else:
            mtm = s * r["notional"] * (close[r["pair"]] - r["rate"]) * usd(r["pair"][3:])
        addon = next(a for d, a in ((30, 0.01), (91, 0.02), (182, 0.03), (365, 0.05), (10**6, 0.075)) if days <= d)
        exposure[r["customer"]] = exposure.get(r["customer"], 0.0) + max(0.0, mtm) + addon * r["notional"] * usd(
            r["pair"][:3])
    assert exited > 0  # the demo has closed-out trades that used to count
    rows = {r["customer"]: r for r in out["customers"]}
    assert set(rows) == set(limits)
    for customer, row in rows.items():
        assert row["exposure_usd"] == pytest.approx(exposure.get(customer, 0.0), abs=0.01)
        assert row["utilisation_pct"] == pytest.approx(exposure.get(customer, 0.0) / limits[customer] * 100,
                                                       abs=0.005)
    # The demo sizes Cust208 and Cust321 over their limits and Cust306 near it.
    assert rows["Cust208"]["status"] == "breach" and rows["Cust321"]["status"] == "breach"
    assert rows["Cust306"]["status"] == "warning"


def test_kyc_counts_match_the_customer_table_for_onboarding(desk_db_any, tools):
    out = call(desk_db_any, tools, "get_kyc_status", "onboarding_sam")
    with desk_db_any.engine.connect() as conn:
        counts = dict(conn.execute(select(schema.customers.c.kyc_status, func.count())
                                   .group_by(schema.customers.c.kyc_status)).all())
    assert out["counts"] == counts
    by = {r["customer"]: r for r in out["customers"]}
    assert by["Cust203"]["kyc_status"] == "approved" and by["Cust310"]["kyc_status"] == "approved"
    assert all(r["days_to_expiry"] < 0 for r in out["customers"] if r["kyc_status"] == "expired")


def test_screening_finds_the_demo_restricted_customer_and_pair(desk_db_any, tools):
    out = call(desk_db_any, tools, "screen_restricted", "compliance_omar", customer="Cust999", pair="usdrub")
    assert {(h["kind"], h["value"]) for h in out["hits"]} == {("customer", "Cust999"), ("pair", "USDRUB")}
    assert out["clear"] is False
    assert call(desk_db_any, tools, "screen_restricted", "trader_aruna", customer="Cust203")["clear"] is True


# -- limits and pre-trade, against the position-risk desk -----------------------------------------
def test_limit_breaches_agree_with_position_risk_limit_utilisation(desk_db_any, tools):
    out = call(desk_db_any, tools, "get_limit_breaches", "compliance_omar")
    util = call(desk_db_any, tools, "get_limit_utilisation", "compliance_omar")
    expected = {("nop", r["book"], r["currency"]): r for r in util["nop"] if r["status"] in ("breach", "warning")}
    expected |= {("var", r["book"], None): r for r in util["var"] if r["status"] in ("breach", "warning")}
    found = {(r["kind"], r["book"], r["currency"]): r for r in out["breaches"] + out["warnings"]}
    assert set(found) == set(expected)
    for key, row in found.items():
        ref = expected[key]
        value = ref["nop_usd"] if key[0] == "nop" else ref["var_usd"]
        assert (row["value_usd"], row["limit_usd"], row["utilisation_pct"], row["status"]) == (
            value, ref["limit_usd"], ref["utilisation_pct"], ref["status"])
        assert row["excess_usd"] == pytest.approx(max(0.0, value - ref["limit_usd"]), abs=0.01)
    # The demo sizes FX-G10 EUR and FX-EM TRY over their limits, FX-G10 JPY and FX-EM ZAR near them.
    assert {("FX-G10", "EUR"), ("FX-EM", "TRY")} <= {(r["book"], r["currency"]) for r in out["breaches"]}
    assert {("FX-G10", "JPY"), ("FX-EM", "ZAR")} <= {(r["book"], r["currency"]) for r in out["warnings"]}


def test_pre_trade_nop_figures_match_what_if_trade(desk_db_any, tools):
    trade = {"pair": "EURUSD", "side": "buy", "notional": 25_000_000}
    check = call(desk_db_any, tools, "pre_trade_check", "trader_aruna", customer="Cust203", **trade)
    what_if = call(desk_db_any, tools, "what_if_trade", "trader_aruna", **trade)
    (eur,) = check["checks"]["nop"]
    ref = next(r for r in what_if["nop"] if r["currency"] == "EUR")
    assert (eur["nop_before_usd"], eur["nop_after_usd"], eur["limit_usd"]) == (
        ref["nop_before_usd"], ref["nop_after_usd"], ref["limit_usd"])
    grows = abs(eur["nop_after_usd"]) > abs(eur["nop_before_usd"])
    breached = grows and abs(eur["nop_after_usd"]) > eur["limit_usd"]
    assert ("nop_limit" in {r["code"] for r in check["reasons"]}) == breached
    credit = check["checks"]["credit"]
    (exposure,) = call(desk_db_any, tools, "get_credit_utilisation", "trader_aruna", customer="Cust203")["customers"]
    assert credit["credit_before_usd"] == exposure["exposure_usd"]
    # A spot deal at the close: no MTM, add-on 1 % of 25m EUR at the EURUSD close (issue 13)
    added = 0.01 * 25_000_000 * what_if["trade"]["close"]
    assert credit["credit_after_usd"] == pytest.approx(exposure["exposure_usd"] + added, abs=0.02)


def test_pre_trade_blocks_the_demo_restricted_pair_and_customer(desk_db_any, tools):
    out = call(desk_db_any, tools, "pre_trade_check", "trader_li", pair="USDRUB", side="buy", notional=1e6,
               customer="Cust310")
    assert out["verdict"] == "blocked" and "restricted_pair" in {r["code"] for r in out["reasons"]}
    out = call(desk_db_any, tools, "pre_trade_check", "compliance_omar", pair="USDZAR", side="sell", notional=1e6,
               customer="Cust999")
    assert out["verdict"] == "blocked"
    assert {"restricted_customer", "kyc_not_approved"} <= {r["code"] for r in out["reasons"]}


def test_record_pre_trade_round_trips_on_every_backend(desk_db_any, tools):
    check = call(desk_db_any, tools, "pre_trade_check", "trader_aruna", pair="GBPUSD", side="sell",
                 notional=2_000_000, customer="Cust203", rate=1.27)
    thread = f"it-record-{uuid4().hex}"
    check_id = record_pre_trade(desk_db_any, user_id="trader_aruna", check_result=check, decision="cancelled",
                                thread_id=thread)
    (row,) = [r for r in pre_trade_records(desk_db_any, "trader_aruna") if r["thread_id"] == thread]
    assert (row["check_id"], row["pair"], row["side"], row["notional"], row["rate"], row["verdict"],
            row["decision"]) == (check_id, "GBPUSD", "SELL", 2_000_000.0, 1.27, check["verdict"], "cancelled")
    assert row["reasons"] == json.loads(json.dumps(check["reasons"]))


# -- scope on the demo users --------------------------------------------------------------------
OUT_OF_SCOPE = [
    ("get_limit_breaches", {"book": "FX-EM"}),
    ("get_credit_utilisation", {"customer": "Cust310"}),
    ("screen_restricted", {"customer": "Cust310"}),
    ("pre_trade_check", {"pair": "USDMXN", "side": "buy", "notional": 1e6}),
    ("pre_trade_check", {"pair": "EURUSD", "side": "buy", "notional": 1e6, "customer": "Cust310"}),
    ("get_off_market_trades", {"book": "FX-EM", "window": "last 180 days"}),
    ("get_late_bookings", {"book": "FX-EM", "window": "last 180 days"}),
    ("get_kyc_status", {"customer": "Cust310"}),
]


@pytest.mark.parametrize(("name", "args"), OUT_OF_SCOPE, ids=[f"{n}-{i}" for i, (n, _) in enumerate(OUT_OF_SCOPE)])
def test_aruna_asking_for_fx_em_or_cust310_is_refused_and_audited(desk_db_any, tools, name, args):
    out = call(desk_db_any, tools, name, "trader_aruna", **args)
    assert out["status"] == "not_entitled"
    assert "Cust3" not in json.dumps(out.get("rows", [])) and set(out) <= {"status", "tool", "message", "requested"}
    assert last_audit(desk_db_any, "trader_aruna", name)["decision"] == "denied"


@pytest.mark.parametrize("name", ["get_off_market_trades", "get_late_bookings", "get_credit_utilisation",
                                  "get_kyc_status"])
def test_aruna_default_results_hold_no_fx_em_or_foreign_customer_rows(desk_db_any, tools, name):
    out = call(desk_db_any, tools, name, "trader_aruna", **({"window": "last 180 days"} if "window" in
                                                           tools[name].args else {}))
    assert out["status"] == "ok"
    text = json.dumps(out)
    assert "FX-EM" not in text and "Cust310" not in text
    mine = {f"Cust{i}" for i in range(201, 216)}
    rows = next(v for k, v in out.items() if isinstance(v, list) and k not in ("books",))
    assert all(r["customer"] in mine for r in rows)


@pytest.mark.parametrize("name", tools_of("compliance"))
def test_onboarding_sam_gets_kyc_and_screening_only(desk_db_any, tools, name):
    args = {"pre_trade_check": {"pair": "EURUSD", "side": "buy", "notional": 1e6},
            "screen_restricted": {"customer": "Cust203"},
            "schedule_compliance_report": {"report": "get_limit_breaches", "when": "every weekday at 17:00 New York"},
            }.get(name, {})
    out = call(desk_db_any, tools, name, "onboarding_sam", **args)
    expected = "ok" if name in ("get_kyc_status", "screen_restricted") else "not_entitled"
    assert out["status"] == expected
    assert last_audit(desk_db_any, "onboarding_sam", name)["decision"] == ("allowed" if expected == "ok" else "denied")
