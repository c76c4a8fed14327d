"""Every tool's real result on the demo data validates against the result model the contract records (issue 17)."""

from __future__ import annotations

import pytest

from tests.tool_calls import invoke_tool
from tools.catalog import TOOL_RESULTS
from tools.contract import REGISTRY
from tools.desks import build_desk_tools
from tools.scope import ScopeGate
from tools.users import context_for

# Arguments that give each tool a non-empty, in-scope answer for trader_aruna (FX-G10, Cust201-215).
ARGS = {
    "get_net_open_position": {}, "get_pnl": {"window": "last week"}, "get_var": {}, "get_limit_utilisation": {},
    "what_if_trade": {"pair": "GBPUSD", "side": "buy", "notional": 5_000_000.0},
    "get_rate_history": {"pair": "EURUSD", "window": "last month"},
    "add_journal_entry": {"pair": "EURUSD", "notes": "result-model check", "setup_tags": ["breakout"]},
    "list_journal_entries": {"window": "last 30 days"}, "get_journal_stats": {"window": "last 90 days"},
    "update_journal_entry": None,  # needs an entry id: made by add_journal_entry first
    "get_behaviour_report": {"window": "last 30 days"}, "get_limit_breaches": {},
    "get_credit_utilisation": {}, "screen_restricted": {"customer": "Cust203"},
    "pre_trade_check": {"pair": "EURUSD", "side": "buy", "notional": 1_000_000.0, "customer": "Cust203"},
    "get_off_market_trades": {"window": "last 30 days"}, "get_late_bookings": {"window": "last 30 days"},
    "get_kyc_status": {}, "get_var_backtest": {"method": "parametric"},
    "log_journal_trade": {"text": "long 5m cable @ 1.2710 stop 1.2680 breakout"},
    "get_journal_breakdown": {"window": "last 90 days"}, "get_tilt_check": {},
    "check_in_feeling": {"feeling": "anxious", "note": "result-model check"}, "get_discipline_report": {},
    # report schedules need the server's crons: validated over a fake scheduler in
    # tests/unit/tools/compliance/test_schedule_tools.py
    "schedule_compliance_report": None, "schedule_risk_report": None, "list_scheduled_reports": None,
    "cancel_scheduled_report": None,
}


@pytest.fixture(scope="module")
def tools(desk_db):
    return {t.name: t for desk in build_desk_tools(desk_db, ScopeGate(desk_db)).values() for t in desk}


def _call(db, tools, name, **args):
    return invoke_tool(tools[name], context_for(db, "trader_aruna"), "rm", **args)


def test_the_arguments_here_cover_every_tool_of_the_contract():
    assert set(ARGS) == {t.name for t in REGISTRY.tools}


@pytest.mark.parametrize("name", [n for n, a in ARGS.items() if a is not None])
def test_tool_result_validates_against_its_result_model(desk_db, tools, name):
    result = _call(desk_db, tools, name, **ARGS[name])
    assert result["status"] == "ok", result
    TOOL_RESULTS[name].model_validate(result)


def test_update_result_validates_against_its_result_model(desk_db, tools):
    saved = _call(desk_db, tools, "add_journal_entry", notes="to be updated", pair="GBPUSD")
    updated = _call(desk_db, tools, "update_journal_entry", entry_id=saved["entry"]["entry_id"], emotions=["calm"])
    assert updated["status"] == "ok", updated
    TOOL_RESULTS["update_journal_entry"].model_validate(updated)
