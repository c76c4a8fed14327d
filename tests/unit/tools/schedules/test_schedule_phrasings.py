"""The offline model routes schedule requests to the schedule tools and fills them from the message (issue 15)."""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from llm.offline import OfflineChatModel
from tests.unit.llm.offline.catalog_tools import DESKS, desk_tools, handoff_tools
from tools.contract import REGISTRY, offline_tables
from tools.schedules.reports import REPORTS, ask_for

MODEL = OfflineChatModel(tables=offline_tables())
ROUTER = MODEL.bind_tools(handoff_tools())
SPECIALISTS = {desk: MODEL.bind_tools(desk_tools(desk)) for desk in DESKS}
SCHEDULE_TOOLS = ("schedule_compliance_report", "schedule_risk_report", "list_scheduled_reports",
                  "cancel_scheduled_report")


def _route(text: str) -> list[str]:
    calls = ROUTER.invoke([SystemMessage("route"), HumanMessage(text)]).tool_calls
    return [c["name"].removeprefix("transfer_to_") for c in calls]


def _calls(desk: str, text: str) -> list[dict]:
    return SPECIALISTS[desk].invoke([SystemMessage("desk"), HumanMessage(text)]).tool_calls


@pytest.mark.parametrize("tool", SCHEDULE_TOOLS)
def test_offline_model_routes_and_calls_the_schedule_tool_for_its_phrasings(tool):
    desk = REGISTRY.tool(tool).desk
    lines = REGISTRY.phrasings(desk, tool)
    routed = sum(desk in _route(line) for line in lines)
    picked = sum([c["name"] for c in _calls(desk, line)] == [tool] for line in lines)
    assert routed >= 0.9 * len(lines), f"{routed}/{len(lines)} routed to {desk}"
    assert picked >= 0.9 * len(lines), f"{picked}/{len(lines)} called {tool}"


def test_the_issue_example_schedules_the_breach_report_with_the_words_and_not_a_run_of_it():
    text = "every weekday at 17:00 New York send me the limit breaches"
    assert _route(text) == ["compliance"]
    [call] = _calls("compliance", text)
    assert call["name"] == "schedule_compliance_report"
    assert call["args"] == {"report": "get_limit_breaches", "when": text}


@pytest.mark.parametrize(("text", "report", "book"), [
    ("send me my VaR every day at 7am London", "get_var", None),
    ("schedule a daily P&L report at 18:00 London", "get_pnl", None),
    ("every evening at 17:00 New York send the net open position for FX-G10", "get_net_open_position", "FX-G10"),
    ("every monday at 9am send me the VaR backtest", "get_var_backtest", None),
])
def test_a_risk_schedule_names_the_report_and_book_the_message_asks_for(text, report, book):
    [call] = _calls("position_risk", text)
    assert call["name"] == "schedule_risk_report"
    assert call["args"]["report"] == report and call["args"].get("book") == book


def test_a_webhook_url_in_the_message_is_passed_to_the_schedule():
    [call] = _calls("compliance", "every weekday at 17:00 send the breaches to https://hooks.example.com/desk.")
    assert call["args"]["webhook"] == "https://hooks.example.com/desk"


def test_cancel_hands_the_trader_words_to_the_tool():
    assert _route("stop the 17:00 breach report") == ["position_risk"]
    [call] = _calls("position_risk", "stop the 17:00 breach report")
    assert call == {**call, "name": "cancel_scheduled_report", "args": {"which": "stop the 17:00 breach report"}}


@pytest.mark.parametrize("report", sorted(REPORTS))
def test_each_report_question_a_tick_asks_reaches_its_own_tool(report):
    """A tick asks the desk graph the report's question: it must call the report, not schedule another."""
    desk = REPORTS[report].desk
    for book in (None, "FX-G10") if report != "get_kyc_status" else (None,):
        text = ask_for(report, book)
        assert desk in _route(text), text
        assert report in [c["name"] for c in _calls(desk, text)], text
