"""Answers written from tool results: per-tool templates, generic renderer, refusals, errors, compose."""

from __future__ import annotations

import json

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from llm.offline import OfflineChatModel, unsupported_numbers
from llm.offline.answers import answer_from_results, render_generic
from tests.unit.llm.offline import samples
from tests.unit.llm.offline.catalog_tools import desk_tools
from tools.catalog import TOOL_ARGS
from tools.contract import offline_tables

MODEL = OfflineChatModel(tables=offline_tables())

EXPECTED = {
    "get_net_open_position": ["EURUSD", "long 1,000,000 EUR", "short 1,080,000 USD", "USD equivalent 1,082,500 USD"],
    "get_pnl": ["last week (2026-11-09 to 2026-11-13)", "total 1,750.25 USD", "-749.75",
                "price effect 1,700.25 USD + FX translation 50 USD"],
    "get_var_backtest": ["6 exceptions in 250 days", "expected 2.5", "zone **yellow**", "-4,467,086.45"],
    "get_var": ["1-day 99% VaR", "parametric 12,345.67 USD", "historical 13,579.01 USD"],
    "get_limit_utilisation": ["0 breaches, 1 warnings", "98.41", "warning"],
    "what_if_trade": ["buy 20,000,000 GBPUSD", "utilisation 20% → 121.6%", "Limits breached after the trade: GBP"],
    "add_journal_entry": ["Saved journal entry 9", "T004211", "fomo", "Chased the NFP spike."],
    "update_journal_entry": ["Updated journal entry 9", "Changed: emotions", "calm"],
    "list_journal_entries": ["1 entries", "T004211", "breakout"],
    "get_journal_stats": ["Win rate: 50%", "Expectancy: 25 USD", "Profit factor: 1.33", "Worst trade: T000003"],
    "get_behaviour_report": ["flagged overtrading", "Overtrading: **flagged (high)**", "Streaks: not flagged",
                             "Evidence, overtrading (flagged days):", "| 2026-11-11 | 17 |"],
    "get_limit_breaches": ["1 breaches", "TRY", "103.99"],
    "get_credit_utilisation": ["Cust203", "5,000,000", "25"],
    "screen_restricted": ["Cust999", "**restricted**", "Not clear"],
    "pre_trade_check": ["verdict **breach**", "buy 5,000,000 USDTRY", "14,286,476.06", "KYC of Cust310: approved"],
    "get_off_market_trades": ["1 found", "T004992", "1.19"],
    "get_late_bookings": ["threshold 30 minutes", "T005072", "214.3"],
    "get_kyc_status": ["Cust203", "**approved**", "286 days to expiry"],
    "get_rate_history": ["EURUSD", "| 2026-11-20 | 1.07694 | 1.08594 | 1.07492 | 1.0812 |"],
    "get_tilt_check": ["signs of tilt", "After big win", "Size 1.5× baseline", "-26.67 points",
                       "**Flagged**: mean size 1.5× your baseline"],
    "check_in_feeling": ["you feel **anxious** (journal entry 12)", "Days you felt anxious: 2 trading day(s)",
                         "win rate 33.33%", "-6,000 USD per trading day", "Difference: win rate -26.67 points"],
    "get_discipline_report": ["hit on 1 day(s); 2 trade(s) opened after it was hit — **flagged**",
                              "1 of 40 trades (2.5%) against 2 of 200 (1%)"],
    "log_journal_trade": ["not a booked trade", "long 5,000,000 GBPUSD at 1.271, stop 1.265",
                          "Risk 30,000 USD", "reward/risk 2"],
    "schedule_compliance_report": ["Scheduled: **limit breaches** for FX-G10, every weekday at 17:00 "
                                   "(America/New_York)", "cron `0 17 * * 1-5`", "Next run: 2026-11-23T22:00:00+00:00",
                                   "inbox thread"],
    "schedule_risk_report": ["Scheduled: **limit breaches**", "schedule id `5f0c`"],
    "list_scheduled_reports": ["**Your scheduled reports** (1)", "next run 2026-11-23T22:00:00+00:00",
                               "last run at 2026-11-20T22:00:00+00:00: started run `run-9`"],
    "cancel_scheduled_report": ["Cancelled: **limit breaches** every weekday at 17:00 (America/New_York)"],
    "get_journal_breakdown": ["8 journaled (6 entries, 2 logged trades)", "hit rate 60%", "now 2 win",
                              "| breakout | 4 | 3 | 2 | 1 | 66.67 |"],
}


def answer_checked(tool: str, result: dict) -> str:
    """The desk model's answer to one tool result, driven through invoke, checked for unsupported numbers."""
    desk = TOOL_ARGS[tool][0]
    call = AIMessage("", tool_calls=[{"name": tool, "args": {}, "id": "c1"}])
    messages = [HumanMessage("question"), call, ToolMessage(json.dumps(result), tool_call_id="c1", name=tool)]
    reply = MODEL.bind_tools(desk_tools(desk)).invoke(messages)
    assert not reply.tool_calls
    assert unsupported_numbers(reply.content, [result]) == []
    return reply.content


def test_every_catalogue_tool_has_a_sample_and_expectations():
    assert set(samples.BY_TOOL) == set(TOOL_ARGS) == set(EXPECTED)


@pytest.mark.parametrize("tool", sorted(samples.BY_TOOL))
def test_template_answer_quotes_the_result(tool):
    text = answer_checked(tool, samples.BY_TOOL[tool])
    for fragment in EXPECTED[tool]:
        assert fragment in text


@pytest.mark.parametrize("tool", sorted(samples.BY_TOOL))
def test_generic_renderer_only_uses_result_numbers(tool):
    result = samples.BY_TOOL[tool]
    assert unsupported_numbers(render_generic(tool, result), [result]) == []


def test_unknown_tool_result_is_rendered_generically_with_a_capped_table():
    rows = [{"book": "FX-G10", "customer": f"Cust{200 + i}", "amount_usd": 1000.0 * (i + 1)} for i in range(18)]
    result = {"status": "ok", "as_of": "2026-11-20", "threshold": 0.25, "rows": rows}
    text = answer_from_results([("some_new_tool", result)])
    assert "- Threshold: 0.25" in text
    assert "| Book | Customer | Amount USD |" in text
    assert "Cust214" in text and "Cust215" not in text
    assert "… and 3 more rows (18 in all)." in text
    assert unsupported_numbers(text, [result]) == []


def test_not_entitled_result_is_reported_as_a_refusal():
    result = {"status": "not_entitled", "tool": "get_net_open_position",
              "message": "Not entitled: trader_aruna has no access to book FX-EM. No data was returned.",
              "requested": {"books": ["FX-EM"], "customers": []}}
    text = answer_checked("get_net_open_position", result)
    assert text.startswith("I can't show that")
    assert "no access to book FX-EM" in text


def test_error_result_is_explained():
    result = {"status": "error", "error": {"type": "bad_window", "message": "Cannot read the window 'x'. "
                                                                         "Use one of: today | 2026-11-02..2026-11-13."}}
    text = answer_checked("get_pnl", result)
    assert "could not run: Cannot read the window 'x'" in text
    assert "2026-11-02..2026-11-13." in text


def test_several_tool_results_give_one_section_each_in_call_order():
    calls = AIMessage("", tool_calls=[{"name": "get_var", "args": {}, "id": "a"},
                                      {"name": "get_net_open_position", "args": {}, "id": "b"}])
    messages = [HumanMessage("var and position"), calls,
                ToolMessage(json.dumps(samples.VAR), tool_call_id="a"),
                ToolMessage(json.dumps(samples.NOP), tool_call_id="b")]
    text = MODEL.bind_tools(desk_tools("position_risk")).invoke(messages).content
    assert text.index("VaR") < text.index("Net open position")
    assert unsupported_numbers(text, [samples.VAR, samples.NOP]) == []


def test_pre_trade_decision_added_by_the_confirmation_step_is_stated():
    result = {**samples.PRE_TRADE, "decision": "cancelled", "check_id": 42}
    text = answer_checked("pre_trade_check", result)
    assert "Decision: **cancelled** in the pre-trade log (check 42)." in text


def test_compose_mode_joins_desk_answers_and_keeps_their_numbers():
    risk = answer_from_results([("what_if_trade", samples.WHAT_IF)])
    compliance = answer_from_results([("pre_trade_check", samples.PRE_TRADE)])
    messages = [HumanMessage("would buying 20m cable breach my limits?"),
                AIMessage(risk, name="position_risk"), AIMessage(compliance, name="compliance")]
    text = MODEL.invoke(messages).content
    assert text.startswith("### Position risk\n")
    assert "### Compliance\n" in text
    assert unsupported_numbers(text, [samples.WHAT_IF, samples.PRE_TRADE]) == []


def test_compose_with_a_single_answer_returns_it_unchanged():
    messages = [HumanMessage("q"), AIMessage("Only answer.", name="psychology")]
    assert MODEL.invoke(messages).content == "Only answer."


@pytest.mark.parametrize("tool", sorted(samples.BY_TOOL))
def test_a_result_missing_any_one_field_still_gets_a_checked_answer(tool):
    full = samples.BY_TOOL[tool]
    for key in full:
        partial = {k: v for k, v in full.items() if k != key}
        text = answer_from_results([(tool, partial)])
        assert text
        assert unsupported_numbers(text, [partial]) == []


def test_many_pairs_are_tabled_whole_so_row_counts_come_from_the_result():
    rows = [{**samples.NOP["pairs"][0], "pair": pair, "net_base": 1000.0 * (i + 1)}
            for i, pair in enumerate(["EURUSD", "GBPUSD", "USDJPY", "AUDUSD", "USDCHF", "USDCAD", "NZDUSD", "EURGBP",
                                      "EURJPY", "USDMXN", "USDZAR", "USDTRY", "USDBRL", "USDINR", "USDRUB"] * 2)]
    result = {**samples.NOP, "pair": None, "pairs": rows}
    text = answer_from_results([("get_net_open_position", result)])
    assert "… and 15 more rows (30 in all)." in text
    assert unsupported_numbers(text, [result]) == []
