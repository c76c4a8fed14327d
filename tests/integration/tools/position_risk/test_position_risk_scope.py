"""Scope enforcement of every position-risk tool on the demo data (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from data import schema

ALL_TOOLS = {
    "get_net_open_position": {},
    "get_pnl": {},
    "get_var": {},
    "get_limit_utilisation": {},
    "what_if_trade": {"pair": "EURUSD", "side": "buy", "notional": 1_000_000},
}


def audit_rows(db, thread_id):
    with db.engine.connect() as conn:
        return conn.execute(select(schema.audit).where(schema.audit.c.thread_id == thread_id)).mappings().all()


@pytest.mark.parametrize("name", list(ALL_TOOLS))
def test_trader_aruna_asking_for_fx_em_is_refused_and_audited(call_tool, name):
    result, thread_id = call_tool("trader_aruna", name, **{**ALL_TOOLS[name], "book": "FX-EM"})
    assert result["status"] == "not_entitled"
    assert "FX-EM" in result["message"]
    assert set(result) == {"status", "tool", "message", "requested"}  # a refusal carries no data
    rows = audit_rows(call_tool.db, thread_id)
    assert [(r["user_id"], r["tool"], r["decision"]) for r in rows] == [("trader_aruna", name, "denied")]


@pytest.mark.parametrize("name", ["get_net_open_position", "get_pnl", "what_if_trade"])
def test_trader_aruna_asking_for_usdmxn_is_refused(call_tool, name):
    args = {**ALL_TOOLS[name], "pair": "usd/mxn"}
    result, thread_id = call_tool("trader_aruna", name, **args)
    assert result["status"] == "not_entitled"
    assert audit_rows(call_tool.db, thread_id)[0]["decision"] == "denied"


@pytest.mark.parametrize("name", list(ALL_TOOLS))
def test_trader_aruna_unfiltered_results_hold_no_fx_em_rows(call_tool, name):
    result, thread_id = call_tool("trader_aruna", name, **ALL_TOOLS[name])
    assert result["status"] == "ok"
    assert result["scope"]["books"] == ["FX-G10"]
    text = json.dumps(result)
    assert "FX-EM" not in text and "Cust310" not in text and "MXN" not in text
    assert audit_rows(call_tool.db, thread_id)[0]["decision"] == "allowed"


@pytest.mark.parametrize("name", list(ALL_TOOLS))
def test_onboarding_sam_may_use_no_position_risk_tool(call_tool, name):
    result, thread_id = call_tool("onboarding_sam", name, **ALL_TOOLS[name])
    assert result["status"] == "not_entitled"
    assert "onboarding" in result["message"]
    assert audit_rows(call_tool.db, thread_id)[0]["decision"] == "denied"


def test_unknown_pair_and_absurd_notional_are_typed_errors(call_tool):
    result, _ = call_tool("trader_aruna", "what_if_trade", pair="EURXYZ", side="buy", notional=1e6)
    assert result["status"] == "error" and result["error"]["type"] == "unknown_pair"
    result, thread_id = call_tool("trader_aruna", "what_if_trade", pair="EURUSD", side="buy", notional=1e13)
    assert result["status"] == "error" and result["error"]["type"] == "absurd_notional"
    assert audit_rows(call_tool.db, thread_id)[0]["decision"] == "error"


def test_what_if_in_a_book_that_does_not_trade_the_pair_is_a_typed_error(call_tool):
    result, _ = call_tool("analyst_maya", "what_if_trade", pair="EURUSD", side="buy", notional=1e6, book="FX-EM")
    assert result["status"] == "error" and result["error"]["type"] == "wrong_book"
    assert "FX-G10" in result["error"]["message"]
