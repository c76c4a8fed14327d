"""The desk panel's read endpoints on a real `fxdesk serve --dev`: same figures as the tools, scope, auth, audit."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text

from tests.e2e.web_desk_page import call_tool

pytestmark = pytest.mark.slow
PANEL = ["/desk/panel/positions", "/desk/panel/pnl", "/desk/panel/journal", "/desk/panel/behaviour",
         "/desk/panel/rates?pair=EURUSD"]


def _auth(server, user: str) -> dict[str, str]:
    token = httpx.post(server.url + "/dev/token", json={"user_id": user}, timeout=10).json()["token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("path", PANEL)
def test_panel_endpoints_need_a_token_even_in_dev_mode(dev_server, path):
    assert httpx.get(dev_server.url + path, timeout=10).status_code == 401


def test_positions_are_the_tools_results_for_the_caller(dev_server, server_db):
    body = httpx.get(dev_server.url + "/desk/panel/positions", headers=_auth(dev_server, "trader_aruna"),
                     timeout=30).json()
    assert body["nop"]["result"] == call_tool(server_db, "trader_aruna", "get_net_open_position")
    assert body["limits"]["result"] == call_tool(server_db, "trader_aruna", "get_limit_utilisation")
    assert body["var"]["result"] == call_tool(server_db, "trader_aruna", "get_var", method="parametric")
    assert {r["book"] for r in body["nop"]["result"]["currencies"]} == {"FX-G10"}


def test_pnl_days_are_one_get_pnl_call_per_business_day(dev_server, server_db):
    body = httpx.get(dev_server.url + "/desk/panel/pnl?days=3", headers=_auth(dev_server, "trader_li"),
                     timeout=30).json()
    # The demo as-of date is Friday 2026-11-20: the three business days are Wed, Thu, Fri.
    assert [d["args"]["window"] for d in body["days"]] == [
        "2026-11-18..2026-11-18", "2026-11-19..2026-11-19", "2026-11-20..2026-11-20"]
    for day in body["days"]:
        assert day["result"] == call_tool(server_db, "trader_li", "get_pnl", **day["args"])


def test_rates_outside_the_callers_books_are_refused_with_no_candles(dev_server):
    li = _auth(dev_server, "trader_li")
    refused = httpx.get(dev_server.url + "/desk/panel/rates?pair=EURUSD", headers=li, timeout=30).json()
    assert refused["history"]["result"]["status"] == "not_entitled"
    assert "candles" not in refused["history"]["result"]
    allowed = httpx.get(dev_server.url + "/desk/panel/rates?pair=usd/try", headers=li, timeout=30).json()
    assert allowed["history"]["result"]["pair"] == "USDTRY" and len(allowed["history"]["result"]["candles"]) > 50


def test_journal_and_behaviour_are_the_callers_own(dev_server, server_db):
    headers = _auth(dev_server, "trader_aruna")
    journal = httpx.get(dev_server.url + "/desk/panel/journal", headers=headers, timeout=30).json()
    assert journal["stats"]["result"] == call_tool(server_db, "trader_aruna", "get_journal_stats",
                                                   window="last 90 days")
    behaviour = httpx.get(dev_server.url + "/desk/panel/behaviour", headers=headers, timeout=30).json()
    assert behaviour["report"]["result"]["scope"]["user_id"] == "trader_aruna"
    assert any(flag["flagged"] for flag in behaviour["report"]["result"]["flags"])


def test_onboarding_gets_refusals_not_positions(dev_server):
    body = httpx.get(dev_server.url + "/desk/panel/positions", headers=_auth(dev_server, "onboarding_sam"),
                     timeout=30).json()
    assert body["nop"]["result"]["status"] == "not_entitled" and "currencies" not in body["nop"]["result"]


def test_panel_calls_are_audited_like_agent_tool_calls(dev_server, server_db):
    httpx.get(dev_server.url + "/desk/panel/positions",
              headers=_auth(dev_server, "analyst_maya"), timeout=30)
    with server_db.engine.connect() as conn:
        rows = conn.execute(text("SELECT tool, decision FROM audit WHERE user_id = 'analyst_maya' "
                                 "AND thread_id = 'web-desk-panel'")).all()
    assert {("get_net_open_position", "allowed"), ("get_limit_utilisation", "allowed"),
            ("get_var", "allowed")} <= {tuple(r) for r in rows}
