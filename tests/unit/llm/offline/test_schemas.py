"""fit_args: candidate arguments checked against a tool's JSON schema before a call is emitted."""

from __future__ import annotations

from langchain_core.utils.function_calling import convert_to_openai_tool

from llm.offline.schemas import fit_args, missing_required, tool_parameters
from tools.catalog import TOOL_ARGS


def schema(name: str) -> dict:
    return tool_parameters(convert_to_openai_tool(TOOL_ARGS[name][1]))


def test_unknown_properties_and_wrong_types_are_dropped():
    args = fit_args({"pair": "EURUSD", "window": "today", "book": 7, "customer": "Cust203"}, schema("get_pnl"))
    assert args == {"pair": "EURUSD", "window": "today"}


def test_enum_and_bounds_are_enforced():
    assert fit_args({"method": "montecarlo"}, schema("get_var")) == {}
    assert fit_args({"tolerance_pct": 80.0}, schema("get_off_market_trades")) == {}
    assert fit_args({"tolerance_pct": 0.5}, schema("get_off_market_trades")) == {"tolerance_pct": 0.5}
    assert fit_args({"limit": 500}, schema("list_journal_entries")) == {}


def test_array_items_outside_the_enum_are_dropped():
    args = fit_args({"checks": ["overtrading", "astrology"]}, schema("get_behaviour_report"))
    assert args == {"checks": ["overtrading"]}


def test_missing_required_argument_makes_the_call_impossible():
    what_if = schema("what_if_trade")
    assert fit_args({"pair": "GBPUSD", "side": "buy"}, what_if) is None
    assert missing_required({"pair": "GBPUSD", "side": "buy"}, what_if) == ["notional"]


def test_integral_float_is_accepted_for_an_integer_property():
    assert fit_args({"entry_id": 12.0}, schema("update_journal_entry")) == {"entry_id": 12}
    assert fit_args({"entry_id": 12.5}, schema("update_journal_entry")) is None


def test_side_must_be_buy_or_sell():
    assert fit_args({"pair": "GBPUSD", "side": "long", "notional": 1e6}, schema("pre_trade_check")) is None
