"""Compliance tools end to end over the tiny hand-made database (see conftest.py for the table)."""

import json
import math
from datetime import date

import pytest
from langgraph.prebuilt import ToolRuntime
from sqlalchemy import select

from data import schema
from data.queries.compliance import pre_trade_records, record_pre_trade
from tools.catalog import TOOL_ARGS, tools_of
from tools.compliance.tools import build_tools
from tools.scope import ScopeGate

from .conftest import ARUNA, LI, MAYA, OMAR, SAM


@pytest.fixture
def tools(tiny_db):
    return {t.name: t for t in build_tools(ScopeGate(tiny_db))}


def call(tools, name, ctx, **args):
    runtime = ToolRuntime(state={}, context=ctx, config={"configurable": {"thread_id": "th-1"}},
                          stream_writer=None, tool_call_id="call-1", store=None)
    return tools[name].invoke({**args, "runtime": runtime})


def audit(db):
    with db.engine.connect() as conn:
        return conn.execute(select(schema.audit).order_by(schema.audit.c.audit_id)).mappings().all()


# -- contract ----------------------------------------------------------------------------------
def test_build_tools_returns_exactly_the_compliance_catalogue(tools):
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
            "screen_restricted": {"customer": "Cust203"},
            "schedule_compliance_report": {"report": "get_kyc_status", "when": "daily at 7am"}}.get(name, {})
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
def test_credit_utilisation_is_pre_settlement_exposure_against_the_limit(tools):
    """Issue 13: PSE = positive MTM + 1 % add-on (value date 4 days away); exited trades do not count."""
    out = call(tools, "get_credit_utilisation", ARUNA)
    assert out["status"] == "ok" and out["scope"] == {"books": ["FX-G10"]}
    by = {r["customer"]: r for r in out["customers"]}
    # Cust201: T1 2m x (1.09 - 1.085) = 10,000 + 1 % x 2,180,000 = 21,800; T2 -1m x (1.25 - 1.255) = 5,000
    # + 1 % x 1,250,000 = 12,500 -> 49,300 of 60,000 = 82.17 %, headroom 10,700
    c201 = by["Cust201"]
    assert (c201["exposure_usd"], c201["mtm_usd"], c201["addon_usd"], c201["utilisation_pct"], c201["headroom_usd"],
            c201["status"]) == (49_300.0, 15_000.0, 34_300.0, 82.17, 10_700.0, "ok")
    # Settlement on the 24th: the book pays 2m x 1.085 USD (T1, a buy) and 1m GBP x 1.25 (T2, a sell)
    assert c201["settlement_by_value_date"] == {"2026-11-24": 3_420_000.0}
    # Cust203: T3 1m x (1.09 - 1.0746) = 15,400 + 10,900 = 26,300 of 25,000 -> 105.2 %; T4 was exited: not counted
    c203 = by["Cust203"]
    assert (c203["exposure_usd"], c203["utilisation_pct"], c203["headroom_usd"], c203["status"], c203["books"]) == (
        26_300.0, 105.2, -1_300.0, "breach", ["FX-G10"])
    assert by["Cust207"]["exposure_usd"] == 0.0
    assert [r["customer"] for r in out["customers"]] == ["Cust203", "Cust201", "Cust207"]
    assert out["addon_table"][0] == {"max_days": 30, "addon_pct": 1.0}


def test_credit_utilisation_for_one_customer(tools):
    out = call(tools, "get_credit_utilisation", OMAR, customer="cust310")
    (row,) = out["customers"]
    # T5: MTM 3m x (17.10 - 17.50) MXN < 0 -> 0; add-on 1 % x 3m USD = 30,000 of a 10m limit
    assert (row["customer"], row["exposure_usd"], row["utilisation_pct"], row["books"]) == (
        "Cust310", 30_000.0, 0.3, ["FX-EM"])


# -- limit breaches ----------------------------------------------------------------------------
Z = 2.326347874


def test_limit_breaches_are_judged_on_the_whole_book_and_show_no_other_customer(tools):
    """Issue 13: a limit is the book's; aruna's slice (T1 + T3 = 3m EUR, 109 %) is not what the limit sees."""
    out = call(tools, "get_limit_breaches", ARUNA)
    assert out["status"] == "ok" and out["as_of"] == "2026-11-20"
    # EUR book-wide: T1 + T3 - T6 (ben, Cust216) = +2m EUR x 1.0900 = 2,180,000 of 3m = 72.67 %: no finding.
    assert out["breaches"] == []
    # GBP: T2 = -1m GBP x 1.25 = 1,250,000 of 1.3m -> 96.15 %, a warning with 50,000 headroom
    # VaR with one return (EWMA weight 1): z * |e_EUR r_EUR + e_GBP r_GBP| = 34,924.85 of 40,000 = 87.31 %: ok.
    (gbp,) = out["warnings"]
    assert (gbp["currency"], gbp["value_usd"], gbp["utilisation_pct"], gbp["excess_usd"], gbp["headroom_usd"]) == (
        "GBP", 1_250_000.0, 96.15, 0.0, 50_000.0)
    r_eur, r_gbp = math.log(1.09 / 1.085), math.log(1.25 / 1.255)
    assert Z * abs(2_180_000 * r_eur + (-1_250_000) * r_gbp) / 40_000 < 0.9
    text = json.dumps(out)
    assert "Cust216" not in text and "T6" not in text and "trader_ben" not in text


def test_a_trader_and_compliance_get_the_same_book_limit_findings(tools):
    """Issue 13: two callers entitled to FX-G10 see identical figures and statuses."""
    mine = call(tools, "get_limit_breaches", ARUNA)
    omar = call(tools, "get_limit_breaches", OMAR, book="FX-G10")
    assert (mine["breaches"], mine["warnings"]) == (omar["breaches"], omar["warnings"])


def test_limit_breaches_for_compliance_include_fx_em(tools):
    out = call(tools, "get_limit_breaches", OMAR, book="FX-EM")
    (mxn,) = out["breaches"]
    # T5: -52.5m MXN / 17.10 = -3,070,175.44 USD against 2m -> 153.51 %
    assert (mxn["book"], mxn["currency"], mxn["value_usd"], mxn["excess_usd"], mxn["utilisation_pct"]) == (
        "FX-EM", "MXN", 3_070_175.44, 1_070_175.44, 153.51)
    assert out["scope"] == {"books": ["FX-EM"]}


# -- pre-trade ---------------------------------------------------------------------------------
def test_pre_trade_passes_a_small_risk_reducing_trade(tools):
    out = call(tools, "pre_trade_check", ARUNA, pair="GBPUSD", side="buy", notional=100_000, customer="Cust201",
               rate=1.25)
    assert out["status"] == "ok" and out["verdict"] == "pass" and out["reasons"] == []
    (gbp,) = out["checks"]["nop"]
    # GBP -1m -> -0.9m: -1,250,000 -> -1,125,000 USD; 1,125,000 / 1,300,000 = 86.54 %
    assert (gbp["nop_before_usd"], gbp["nop_after_usd"], gbp["utilisation_after_pct"]) == (
        -1_250_000.0, -1_125_000.0, 86.54)
    # credit: 49,300 + (MTM 0 at the close + 1 % x 100k GBP x 1.25) = 50,550 of 60,000
    assert (out["checks"]["credit"]["credit_before_usd"], out["checks"]["credit"]["credit_after_usd"]) == (
        49_300.0, 50_550.0)
    assert out["trade"] == {"book": "FX-G10", "customer": "Cust201", "pair": "GBPUSD", "side": "buy",
                            "notional": 100_000.0, "rate": 1.25, "close": 1.25}


def test_pre_trade_breaches_nop_and_credit_limits_with_figures(tools):
    out = call(tools, "pre_trade_check", ARUNA, pair="eurusd", side="buy", notional=1_000_000, customer="Cust201")
    assert out["verdict"] == "breach"
    by = {r["code"]: r for r in out["reasons"]}
    assert set(by) == {"nop_limit", "credit_limit"}
    # EUR book-wide (T1 + T3 - T6) 2m -> 3m at 1.09: 2,180,000 -> 3,270,000 against 3m
    assert (by["nop_limit"]["figures"]["nop_before_usd"], by["nop_limit"]["figures"]["nop_after_usd"],
            by["nop_limit"]["figures"]["limit_usd"]) == (2_180_000.0, 3_270_000.0, 3_000_000.0)
    # credit 49,300 (82.17 %) + 1 % x 1m EUR x 1.09 = 60,200 of 60,000 -> 100.33 %
    assert by["credit_limit"]["figures"] == {"customer": "Cust201", "credit_before_usd": 49_300.0,
                                             "credit_after_usd": 60_200.0, "limit_usd": 60_000.0,
                                             "utilisation_before_pct": 82.17, "utilisation_after_pct": 100.33}
    assert out["checks"]["credit"] == by["credit_limit"]["figures"]
    assert "rate (no rate proposed; NOP after uses the close)" in out["not_checked"]


def test_pre_trade_flags_an_off_market_rate(tools):
    out = call(tools, "pre_trade_check", ARUNA, pair="GBPUSD", side="buy", notional=100_000, customer="Cust201",
               rate=1.27)
    assert out["verdict"] == "breach"
    (reason,) = out["reasons"]
    # today's GBPUSD range 1.2450-1.2550: (1.2700 - 1.2550) / 1.2550 = 1.195 % -> 1.2
    assert reason["code"] == "off_market_rate" and reason["figures"]["distance_pct"] == 1.2
    assert out["checks"]["rate"]["day_high"] == 1.255


def test_pre_trade_blocks_pending_kyc_even_when_it_also_breaches(tools):
    # EUR book-wide 2m + 1m = 3m x 1.09 = 3,270,000 > 3m: also a NOP breach
    out = call(tools, "pre_trade_check", ARUNA, pair="EURUSD", side="buy", notional=1_000_000, customer="Cust207")
    assert out["verdict"] == "blocked"
    assert {r["code"] for r in out["reasons"]} == {"kyc_not_approved", "nop_limit"}


def test_pre_trade_blocks_restricted_pair_and_customer(tools):
    out = call(tools, "pre_trade_check", OMAR, pair="USDRUB", side="buy", notional=1_000_000)
    assert out["verdict"] == "blocked" and [r["code"] for r in out["reasons"]] == ["restricted_pair"]
    out = call(tools, "pre_trade_check", OMAR, pair="EURUSD", side="sell", notional=1_000, customer="Cust999")
    assert out["verdict"] == "blocked"
    assert {r["code"] for r in out["reasons"]} >= {"restricted_customer", "kyc_not_approved"}


@pytest.mark.parametrize("notional", [0, -5, 5e9 + 1, float("nan")])
def test_pre_trade_rejects_absurd_notional(tools, notional):
    out = call(tools, "pre_trade_check", ARUNA, pair="EURUSD", side="buy", notional=notional)
    assert out["status"] == "error" and out["error"]["type"] == "bad_notional"


def test_pre_trade_rejects_a_book_that_does_not_trade_the_pair(tools):
    out = call(tools, "pre_trade_check", OMAR, pair="EURUSD", side="buy", notional=1e6, book="FX-EM")
    assert out["status"] == "error" and out["error"]["type"] == "wrong_book"


def test_pre_trade_verdict_is_the_same_for_every_caller_entitled_to_the_book(tools):
    """Issue 13: trader and compliance get the same verdict and percentages for the same trade."""
    mine = call(tools, "pre_trade_check", ARUNA, pair="EURUSD", side="buy", notional=500_000, customer="Cust201")
    omar = call(tools, "pre_trade_check", OMAR, pair="EURUSD", side="buy", notional=500_000, customer="Cust201")
    assert mine["verdict"] == omar["verdict"]
    assert mine["checks"]["nop"] == omar["checks"]["nop"]
    # 2m + 0.5m = 2.5m EUR x 1.09 = 2,725,000 of 3m = 90.83 %
    (eur,) = mine["checks"]["nop"]
    assert (eur["nop_after_usd"], eur["utilisation_after_pct"]) == (2_725_000.0, 90.83)
    assert "Cust216" not in json.dumps(mine)


def test_pre_trade_check_records_nothing(tools, tiny_db):
    call(tools, "pre_trade_check", ARUNA, pair="EURUSD", side="buy", notional=1e6, customer="Cust201")
    assert pre_trade_records(tiny_db) == []


def test_record_pre_trade_writes_the_check_and_the_decision(tools, tiny_db):
    out = call(tools, "pre_trade_check", ARUNA, pair="EURUSD", side="buy", notional=1e6, customer="Cust201")
    check_id = record_pre_trade(tiny_db, user_id="trader_aruna", check_result=out, decision="confirmed",
                                thread_id="th-1")
    (row,) = pre_trade_records(tiny_db)
    assert row["check_id"] == check_id
    assert (row["book"], row["customer"], row["pair"], row["side"], row["notional"], row["verdict"],
            row["decision"], row["thread_id"]) == ("FX-G10", "Cust201", "EURUSD", "BUY", 1e6, "breach",
                                                   "confirmed", "th-1")
    assert {r["code"] for r in row["reasons"]} == {"nop_limit", "credit_limit"}
    with pytest.raises(ValueError):
        record_pre_trade(tiny_db, user_id="trader_aruna", check_result=out, decision="maybe", thread_id=None)
    with pytest.raises(ValueError):
        record_pre_trade(tiny_db, user_id="trader_aruna", check_result={"status": "not_entitled"},
                         decision="recorded", thread_id=None)


def test_pre_trade_for_a_customer_with_expired_kyc_is_blocked_not_crashed(tools, tiny_db):
    """Issue 13 (found by the random-scope property test): an expiry date in the KYC figures raised a
    validation error instead of answering "blocked"."""
    from sqlalchemy import update

    with tiny_db.engine.begin() as conn:
        conn.execute(update(schema.customers).where(schema.customers.c.customer == "Cust201")
                     .values(kyc_expires_on=date(2026, 8, 25)))
    out = call(tools, "pre_trade_check", ARUNA, pair="GBPUSD", side="buy", notional=100_000, customer="Cust201")
    assert out["verdict"] == "blocked"
    (kyc,) = [r for r in out["reasons"] if r["code"] == "kyc_not_approved"]
    assert kyc["figures"]["expires_on"] == "2026-08-25" and "expired 2026-08-25" in kyc["message"]
