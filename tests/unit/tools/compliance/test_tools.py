"""Compliance tools end to end over the tiny hand-made database (see conftest.py for the table)."""

import json

import pytest
from langgraph.prebuilt import ToolRuntime
from sqlalchemy import select

from data import schema
from tools.catalog import TOOL_ARGS, tools_of
from tools.compliance.tools import build_tools
from tools.scope import ScopeGate

from .conftest import ARUNA, LI, MAYA, OMAR, SAM


@pytest.fixture
def tools(tiny_db):
    return {t.name: t for t in build_tools(ScopeGate(tiny_db))}


def call(tools, name, ctx, **args):
    if name not in tools:  # TEMPORARY: removed once limit breaches and pre-trade land on the position-risk NOP/VaR
        pytest.xfail(f"{name} waits for the position-risk NOP/VaR")
    runtime = ToolRuntime(state={}, context=ctx, config={"configurable": {"thread_id": "th-1"}},
                          stream_writer=None, tool_call_id="call-1", store=None)
    return tools[name].invoke({**args, "runtime": runtime})


def audit(db):
    with db.engine.connect() as conn:
        return conn.execute(select(schema.audit).order_by(schema.audit.c.audit_id)).mappings().all()


# -- contract ----------------------------------------------------------------------------------
def test_build_tools_returns_exactly_the_compliance_catalogue(tools):
    if len(tools) < 7:  # TEMPORARY, see call()
        pytest.xfail("limit breaches and pre-trade check not built yet")
    assert sorted(tools) == sorted(tools_of("compliance"))
    for name, tool in tools.items():
        assert tool.args_schema is TOOL_ARGS[name][1]


def test_runtime_is_injected_and_absent_from_the_model_facing_schema(tools):
    for tool in tools.values():
        schema_props = tool.tool_call_schema.model_json_schema().get("properties", {})
        assert "runtime" not in schema_props
        assert set(schema_props) == set(TOOL_ARGS[tool.name][1].model_fields)


# -- KYC ---------------------------------------------------------------------------------------
def test_kyc_status_lists_the_callers_customers_with_days_to_expiry(tools):
    out = call(tools, "get_kyc_status", ARUNA)
    assert out["status"] == "ok"
    by = {r["customer"]: r for r in out["customers"]}
    assert sorted(by) == ["Cust201", "Cust203", "Cust207"]
    # Cust203 expires 2026-12-20, 30 days after the desk date 2026-11-20
    assert (by["Cust203"]["kyc_status"], by["Cust203"]["expires_on"], by["Cust203"]["days_to_expiry"]) == (
        "approved", "2026-12-20", 30)
    assert by["Cust207"]["days_to_expiry"] is None and by["Cust207"]["kyc_status"] == "pending"
    assert out["counts"] == {"approved": 2, "pending": 1}


def test_kyc_status_filters_by_status_and_holds_no_positions(tools):
    out = call(tools, "get_kyc_status", SAM, status="rejected")
    assert [r["customer"] for r in out["customers"]] == ["Cust999"]
    text = json.dumps(out)
    assert "notional" not in text and "trade_id" not in text and "book\"" not in text


# -- screening ---------------------------------------------------------------------------------
def test_screen_flags_restricted_customer_and_pair_with_reasons_and_kyc(tools):
    out = call(tools, "screen_restricted", OMAR, customer="cust999", pair="usd/rub")
    assert out["status"] == "ok" and out["clear"] is False
    assert out["customer"]["restricted"] and out["customer"]["kyc_status"] == "rejected"
    assert out["pair"] == {"pair": "USDRUB", "restricted": True, "reason": "Sanctioned currency."}
    assert {(h["kind"], h["value"]) for h in out["hits"]} == {("customer", "Cust999"), ("pair", "USDRUB")}


def test_screen_clears_an_approved_customer_in_an_open_pair(tools):
    out = call(tools, "screen_restricted", ARUNA, customer="Cust203", pair="EURUSD")
    assert out["clear"] is True and out["hits"] == []
    assert out["customer"]["kyc_ok"] is True


def test_screen_does_not_clear_a_customer_with_pending_kyc(tools):
    out = call(tools, "screen_restricted", ARUNA, customer="Cust207")
    assert out["clear"] is False and out["hits"] == [] and out["customer"]["kyc_status"] == "pending"


def test_onboarding_may_screen_a_pair_without_books(tools):
    out = call(tools, "screen_restricted", SAM, pair="USDRUB")
    assert out["status"] == "ok" and out["pair"]["restricted"] is True


def test_screen_without_customer_or_pair_is_an_input_error(tools):
    out = call(tools, "screen_restricted", ARUNA)
    assert out["status"] == "error" and out["error"]["type"] == "nothing_to_screen"


# -- off-market --------------------------------------------------------------------------------
def test_off_market_finds_trades_outside_the_days_range_within_scope(tools):
    out = call(tools, "get_off_market_trades", ARUNA, window="last 30 days")
    assert out["status"] == "ok" and out["scope"] == {"books": ["FX-G10"]}
    # T1, T2, T3, T4 are Aruna's visible trades; T6 is Cust216 (not hers), T5 is FX-EM
    assert out["trades_checked"] == 4
    (row,) = out["off_market"]
    # T3: EURUSD 1.0746 against a low of 1.0800 -> (1.0800 - 1.0746) / 1.0800 = 0.5 %
    assert (row["trade_id"], row["book"], row["customer"], row["rate"], row["day_low"], row["day_high"],
            row["distance_pct"], row["direction"]) == ("T3", "FX-G10", "Cust203", 1.0746, 1.08, 1.09, 0.5, "below_low")
    assert out["window"]["label"] == "last 30 days" and out["window"]["end"] == "2026-11-20"


def test_off_market_for_compliance_sees_both_books_worst_first(tools):
    out = call(tools, "get_off_market_trades", OMAR, window="this week")
    # T5: (17.50 - 17.20) / 17.20 = 1.7442 % -> 1.74
    assert [(r["trade_id"], r["distance_pct"]) for r in out["off_market"]] == [("T5", 1.74), ("T3", 0.5)]
    assert out["off_market"][0]["rate"] == 17.5


def test_off_market_tolerance_hides_smaller_distances(tools):
    out = call(tools, "get_off_market_trades", OMAR, window="this week", tolerance_pct=1.0)
    assert [r["trade_id"] for r in out["off_market"]] == ["T5"]


# -- late bookings -----------------------------------------------------------------------------
def test_late_bookings_list_delays_beyond_threshold(tools):
    out = call(tools, "get_late_bookings", ARUNA, window="last 30 days")
    # T2 booked 75 minutes after dealing, T4 40 minutes; T1 (5) and T3 (1) are on time
    assert [(r["trade_id"], r["delay_minutes"]) for r in out["late_bookings"]] == [("T2", 75.0), ("T4", 40.0)]
    assert all(r["book"] == "FX-G10" and r["customer"] for r in out["late_bookings"])


def test_late_bookings_threshold_is_strict(tools):
    out = call(tools, "get_late_bookings", OMAR, window="this week", threshold_minutes=60)
    # T6 is exactly 60 minutes late: not beyond the threshold
    assert [(r["trade_id"], r["delay_minutes"]) for r in out["late_bookings"]] == [("T5", 180.0), ("T2", 75.0)]


def test_bad_window_is_an_input_error(tools):
    out = call(tools, "get_late_bookings", OMAR, window="next tuesday-ish")
    assert out["status"] == "error" and out["error"]["type"] == "bad_window"


# -- scope -------------------------------------------------------------------------------------
OUT_OF_SCOPE = [
    ("get_limit_breaches", {"book": "FX-EM"}),
    ("get_credit_utilisation", {"customer": "Cust310"}),
    ("screen_restricted", {"customer": "Cust310"}),
    ("pre_trade_check", {"pair": "USDMXN", "side": "buy", "notional": 1e6}),
    ("pre_trade_check", {"pair": "EURUSD", "side": "buy", "notional": 1e6, "customer": "Cust310"}),
    ("get_off_market_trades", {"book": "FX-EM"}),
    ("get_late_bookings", {"book": "FX-EM"}),
    ("get_kyc_status", {"customer": "Cust310"}),
]


@pytest.mark.parametrize(("name", "args"), OUT_OF_SCOPE, ids=[f"{n}-{i}" for i, (n, _) in enumerate(OUT_OF_SCOPE)])
def test_trader_asking_outside_scope_is_not_entitled_and_audited(tools, tiny_db, name, args):
    out = call(tools, name, ARUNA, **args)
    assert out["status"] == "not_entitled"
    text = json.dumps(out)
    assert "T5" not in text and "17.5" not in text and "rows" not in out
    (row,) = audit(tiny_db)
    assert (row["user_id"], row["tool"], row["decision"], row["thread_id"]) == (
        "trader_aruna", name, "denied", "th-1")


@pytest.mark.parametrize("name", sorted(tools_of("compliance")))
def test_onboarding_may_only_use_kyc_and_screening(tools, tiny_db, name):
    args = {"pre_trade_check": {"pair": "EURUSD", "side": "buy", "notional": 1e6},
            "screen_restricted": {"customer": "Cust203"}}.get(name, {})
    out = call(tools, name, SAM, **args)
    if name in ("get_kyc_status", "screen_restricted"):
        assert out["status"] == "ok"
    else:
        assert out["status"] == "not_entitled"
        assert audit(tiny_db)[-1]["decision"] == "denied"


def test_analyst_may_not_run_a_pre_trade_check(tools):
    out = call(tools, "pre_trade_check", MAYA, pair="EURUSD", side="buy", notional=1e6)
    assert out["status"] == "not_entitled"


def test_trader_li_sees_only_fx_em(tools):
    out = call(tools, "get_late_bookings", LI, window="this week")
    assert [r["trade_id"] for r in out["late_bookings"]] == ["T5"]


# -- credit ------------------------------------------------------------------------------------
def test_credit_utilisation_sums_unsettled_usd_notional_per_customer(tools):
    out = call(tools, "get_credit_utilisation", ARUNA)
    assert out["status"] == "ok" and out["scope"] == {"books": ["FX-G10"]}
    by = {r["customer"]: r for r in out["customers"]}
    # Cust201: T1 2m EUR x 1.0900 + T2 1m GBP x 1.2500 = 3,430,000 of 4m -> 85.75 %, headroom 570,000
    assert (by["Cust201"]["exposure_usd"], by["Cust201"]["utilisation_pct"], by["Cust201"]["headroom_usd"],
            by["Cust201"]["status"]) == (3_430_000.0, 85.75, 570_000.0, "ok")
    # Cust203: T3 1m EUR x 1.09 + T4 0.5m USD (closed by the trader but settles on the 24th) = 1,590,000
    # of 1m -> 159 %, headroom -590,000
    assert (by["Cust203"]["exposure_usd"], by["Cust203"]["utilisation_pct"], by["Cust203"]["headroom_usd"],
            by["Cust203"]["status"], by["Cust203"]["books"]) == (1_590_000.0, 159.0, -590_000.0, "breach", ["FX-G10"])
    assert by["Cust207"]["exposure_usd"] == 0.0
    assert [r["customer"] for r in out["customers"]] == ["Cust203", "Cust201", "Cust207"]


def test_credit_utilisation_for_one_customer(tools):
    out = call(tools, "get_credit_utilisation", OMAR, customer="cust310")
    (row,) = out["customers"]
    # T5: 3m USD of a 10m limit
    assert (row["customer"], row["exposure_usd"], row["utilisation_pct"], row["books"]) == (
        "Cust310", 3_000_000.0, 30.0, ["FX-EM"])
