"""Follow-ups across turns: desks, tools and entities carried over from the history."""

from __future__ import annotations

import json

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from llm.offline import OfflineChatModel, numbers_in, unsupported_numbers
from tests.unit.llm.offline import samples
from tests.unit.llm.offline.catalog_tools import DESKS, desk_tools, handoff_tools
from tools.contract import offline_tables

MODEL = OfflineChatModel(tables=offline_tables())
ROUTER = MODEL.bind_tools(handoff_tools())
SPECIALISTS = {desk: MODEL.bind_tools(desk_tools(desk)) for desk in DESKS}


def desk_turn(desk: str, history: list[BaseMessage], message: str) -> tuple[list[BaseMessage], AIMessage]:
    """One specialist turn with sample results standing in for the tools; checks the answer's numbers."""
    messages = [*history, HumanMessage(message)]
    call = SPECIALISTS[desk].invoke(messages)
    if not call.tool_calls:
        return [*messages, call], call
    results = [ToolMessage(json.dumps(samples.BY_TOOL[c["name"]]), tool_call_id=c["id"], name=c["name"])
               for c in call.tool_calls]
    answer = SPECIALISTS[desk].invoke([*messages, call, *results])
    assert unsupported_numbers(answer.content, results) == []
    return [*messages, call, *results, answer], call


def routed(history: list[BaseMessage], message: str) -> tuple[list[BaseMessage], list[str]]:
    """One supervisor turn as the graph shows it: hand-offs, their acks and each desk's answer."""
    messages = [*history, HumanMessage(message)]
    reply = ROUTER.invoke(messages)
    desks = [c["name"].removeprefix("transfer_to_") for c in reply.tool_calls]
    acks = [ToolMessage(f"Handing over to {d}.", tool_call_id=c["id"])
            for d, c in zip(desks, reply.tool_calls, strict=True)]
    answers = [AIMessage(f"{d} answer", name=d) for d in desks] or [reply]
    return [*messages, reply, *acks, *answers], desks


def calls(message: AIMessage) -> list[tuple[str, dict]]:
    return [(c["name"], c["args"]) for c in message.tool_calls]


def test_and_gbp_routes_to_the_previous_desk():
    history, desks = routed([], "What's my EUR/USD exposure today?")
    assert desks == ["position_risk"]
    _, desks = routed(history, "and GBP?")
    assert desks == ["position_risk"]


def test_what_about_last_week_routes_to_the_previous_desks_of_a_cross_desk_turn():
    history, desks = routed([], "would buying 20m cable breach my limits?")
    assert desks == ["position_risk", "compliance"]
    _, desks = routed(history, "what about 50m?")
    assert desks == ["position_risk", "compliance"]


def test_same_for_the_em_book_after_late_bookings_stays_on_compliance():
    history, _ = routed([], "late bookings last week")
    _, desks = routed(history, "same for the EM book")
    assert desks == ["compliance"]


def test_a_new_desk_question_is_not_a_follow_up():
    history, _ = routed([], "What's my EUR/USD exposure today?")
    _, desks = routed(history, "am I overtrading?")
    assert desks == ["psychology"]


def test_greeting_after_a_desk_turn_is_still_a_greeting():
    history, _ = routed([], "What's my EUR/USD exposure today?")
    messages = [*history, HumanMessage("thanks!")]
    reply = ROUTER.invoke(messages)
    assert reply.tool_calls == [] and "welcome" in reply.content


def test_and_gbp_swaps_the_instrument_and_keeps_the_tool():
    history, first = desk_turn("position_risk", [], "What's my EUR/USD exposure today?")
    assert calls(first) == [("get_net_open_position", {"pair": "EURUSD"})]
    _, second = desk_turn("position_risk", history, "and GBP?")
    assert calls(second) == [("get_net_open_position", {"currency": "GBP"})]


def test_what_about_last_week_swaps_the_window_and_keeps_the_pair():
    history, first = desk_turn("position_risk", [], "P&L on cable this week")
    assert calls(first) == [("get_pnl", {"pair": "GBPUSD", "window": "this week"})]
    _, second = desk_turn("position_risk", history, "what about last week?")
    assert calls(second) == [("get_pnl", {"pair": "GBPUSD", "window": "last week"})]


def test_same_for_the_em_book_drops_a_pair_the_em_book_does_not_trade():
    history, _ = desk_turn("position_risk", [], "pnl for cable last week")
    _, second = desk_turn("position_risk", history, "same for the EM book")
    assert calls(second) == [("get_pnl", {"book": "FX-EM", "window": "last week"})]


def test_same_for_the_em_book_keeps_a_pair_the_em_book_trades():
    history, _ = desk_turn("position_risk", [], "peso pnl since monday")
    _, second = desk_turn("position_risk", history, "same for fx-em")
    assert calls(second) == [("get_pnl", {"pair": "USDMXN", "book": "FX-EM", "window": "since monday"})]


def test_missing_notional_is_asked_for_then_taken_from_the_next_turn():
    history, first = desk_turn("position_risk", [], "what if I buy cable?")
    assert first.tool_calls == []
    assert "amount" in first.content and numbers_in(first.content) == []
    _, second = desk_turn("position_risk", history, "20m")
    assert calls(second) == [("what_if_trade", {"pair": "GBPUSD", "side": "buy", "notional": 20e6})]


def test_pronoun_follow_up_carries_the_customer_to_another_tool():
    history, first = desk_turn("compliance", [], "KYC status of Cust999")
    assert calls(first) == [("get_kyc_status", {"customer": "Cust999"})]
    _, second = desk_turn("compliance", history, "is it restricted?")
    assert calls(second) == [("screen_restricted", {"customer": "Cust999"})]


def test_a_fresh_question_does_not_inherit_the_previous_pair():
    history, _ = desk_turn("position_risk", [], "What's my EUR/USD exposure today?")
    _, second = desk_turn("position_risk", history, "show my VaR")
    assert calls(second) == [("get_var", {})]
    _, third = desk_turn("position_risk", history, "pnl this month")
    assert calls(third) == [("get_pnl", {"window": "this month"})]


def test_required_arguments_come_from_earlier_turns_even_without_follow_up_words():
    history, _ = desk_turn("position_risk", [], "what if I sell 10m aussie")
    _, second = desk_turn("compliance", history, "run the pre-trade check for Cust203")
    assert calls(second) == [("pre_trade_check",
                              {"customer": "Cust203", "pair": "AUDUSD", "side": "sell", "notional": 10e6})]


def test_a_what_if_follow_up_with_a_new_size_keeps_pair_and_side():
    history, _ = desk_turn("position_risk", [], "what if I buy 20m cable")
    _, second = desk_turn("position_risk", history, "and 50m?")
    assert calls(second) == [("what_if_trade", {"notional": 50e6, "pair": "GBPUSD", "side": "buy"})]


def test_tag_it_after_saving_an_entry_updates_that_entry():
    history, first = desk_turn("trade_journal", [], "log a journal entry: took the breakout on NFP")
    assert first.tool_calls[0]["name"] == "add_journal_entry"
    _, second = desk_turn("trade_journal", history, "tag it #news and set emotions calm")
    assert calls(second) == [("update_journal_entry", {"entry_id": 9, "setup_tags": ["news"], "emotions": ["calm"]})]


def test_that_one_carries_the_currency_only_the_previous_answer_named():
    """Issue 17: "the VaR on that one" after an answer that named a pair the call did not."""
    history, first = desk_turn("position_risk", [], "what's my biggest exposure")
    assert calls(first) == [("get_net_open_position", {})]
    _, second = desk_turn("position_risk", history, "and the pnl on that one this week?")
    assert calls(second) == [("get_pnl", {"pair": "EURUSD", "window": "this week"})]


def test_a_bare_window_follow_up_keeps_the_customer_free_tool_and_routes_to_the_same_desk():
    """Issue 17: "last month?" after late bookings stays on compliance with the new window."""
    history, desks = routed([], "late bookings this week")
    assert desks == ["compliance"]
    _, again = routed(history, "last month?")
    assert again == ["compliance"]
    history, _ = desk_turn("compliance", [], "late bookings this week")
    _, second = desk_turn("compliance", history, "last month?")
    assert calls(second) == [("get_late_bookings", {"window": "last month"})]


def test_their_carries_the_customer_named_in_the_previous_turn():
    """Issue 17: a customer named earlier is carried to another tool of the desk."""
    history, _ = desk_turn("compliance", [], "kyc status for cust 205")
    _, second = desk_turn("compliance", history, "and their credit line?")
    assert calls(second) == [("get_credit_utilisation", {"customer": "Cust205"})]


def test_that_client_carries_the_customer_named_in_the_previous_turn():
    """Issue 17: "is that client restricted?" screened nobody (only "that customer" was a reference)."""
    history, _ = desk_turn("compliance", [], "credit for Cust209 pls")
    _, second = desk_turn("compliance", history, "is that client restricted?")
    assert calls(second) == [("screen_restricted", {"customer": "Cust209"})]


def test_a_trailing_only_narrows_the_previous_call():
    """Issue 17: "historical only" after a VaR question kept the tool but dropped the book."""
    history, _ = desk_turn("position_risk", [], "var for fx-g10")
    _, second = desk_turn("position_risk", history, "historical only")
    assert calls(second) == [("get_var", {"book": "FX-G10", "method": "historical"})]


def test_vs_a_new_window_compares_with_the_previous_ask():
    """Issue 17: "vs last month?" after a journal question went to position risk's P&L."""
    history, desks = routed([], "win rate this month")
    assert desks == ["trade_journal"]
    _, again = routed(history, "vs last month?")
    assert again == ["trade_journal"]
