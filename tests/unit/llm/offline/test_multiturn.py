"""Multi-turn trader conversations (issue 17): openers, corrections, refinements, carried filters and scope."""

from __future__ import annotations

import json
from datetime import date

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from llm.offline.entities import extract
from llm.offline.followups import is_followup, own_words, strip_opener
from llm.offline.windows import find_window, shift_window
from tests.unit.llm.offline.test_followups import SPECIALISTS, calls, desk_turn, routed

# --- words: books, sides, sizes and windows a follow-up uses -------------------------------------------

@pytest.mark.parametrize("message", ["what about em", "em only", "same on em", "and em?", "em book only"])
def test_em_on_its_own_names_the_em_book(message):
    assert extract(message).books == ["FX-EM"]


@pytest.mark.parametrize("message", ["let em run", "close em out"])
def test_em_as_them_is_not_a_book(message):
    assert extract(message).books == []


def test_selling_is_a_side_not_a_misspelt_sterling():
    found = extract("would selling 30m aussie breach anything")
    assert (found.side, found.pairs, found.notional) == ("sell", ["AUDUSD"], 30e6)


def test_next_n_trades_sets_how_many_trades_a_tilt_check_looks_at():
    assert extract("just the next 3 trades").as_args() == {"next_trades": 3}


def test_by_emotion_groups_by_emotion():
    assert extract("by emotion instead").group_by == "emotion"


@pytest.mark.parametrize(("message", "minutes"), [("late bookings over an hour", 60),
                                                  ("over half an hour", 30), ("over 2 hrs", 120)])
def test_hours_in_words_are_a_late_booking_threshold(message, minutes):
    assert extract(message).threshold_minutes == minutes


@pytest.mark.parametrize(("message", "window"), [
    ("over 6 months", "last 6 months"), ("for 2 wks", "last 2 weeks"), ("pnl on it this mornin", "today"),
    ("and pnl for the week", "this week"), ("how about the whole week", "this week"),
    ("hmm and the week before", "the week before"), ("ok and the day before", "the day before"),
    ("for 5m cable", None),
])
def test_windows_traders_type_in_follow_ups(message, window):
    assert find_window(message)[0] == window


def test_the_week_day_and_month_before_count_back_from_a_windows_first_day():
    last_week = date(2026, 11, 9)  # Monday of "last week" as of Friday 2026-11-20
    assert shift_window("the week before", last_week) == "2026-11-02..2026-11-08"
    assert shift_window("the day before", date(2026, 11, 19)) == "2026-11-18"
    assert shift_window("the day before", date(2026, 11, 16)) == "2026-11-13"  # a Monday: back to Friday
    assert shift_window("the month before", date(2026, 10, 1)) == "2026-09-01..2026-09-30"


def test_argument_values_and_setup_words_are_not_what_a_message_asks():
    assert own_words(extract("parametric only").rest).split() == ["only"]
    assert "breakout" not in own_words(extract("only the breakout ones").rest)
    assert "better" not in own_words(extract("better or worse than last month?").rest)


# --- follow-ups ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("message", "ask"), [
    ("ok cool and the day before", "and the day before"), ("thanks! one more: var on em", "var on em"),
    ("no sorry i meant cust 215", "i meant cust 215"), ("hmm ok, and the swissy?", "and the swissy?"),
    ("thanks!", "thanks!"), ("right now whats my nop", "right now whats my nop"),
])
def test_an_acknowledgement_or_correction_opener_is_not_the_ask(message, ask):
    assert strip_opener(message) == ask


@pytest.mark.parametrize("message", ["no i meant last week", "vs last week", "better or worse than last month?",
                                     "was i revenge trading then", "with a 60k limit", "pnl on that since monday",
                                     "any actual breaches there"])
def test_corrections_comparisons_and_references_lean_on_the_previous_turn(message):
    found = extract(message)
    assert is_followup(found.text, found, has_desk_words=True)


# --- routing ---------------------------------------------------------------------------------------------

def test_a_follow_up_with_desk_words_stays_on_the_previous_desk_unless_sure_of_another():
    history, _ = routed([], "win rate this month")
    _, desks = routed(history, "and stats for cable")
    assert desks == ["trade_journal"]


def test_a_follow_up_whose_own_words_ask_another_desk_switches():
    history, _ = routed([], "pnl today")
    _, desks = routed(history, "cool, and my win rate this week")
    assert desks == ["trade_journal"]


def test_a_follow_up_asking_for_positions_after_breaches_goes_to_position_risk():
    history, _ = routed([], "limit breaches?")
    history, _ = routed(history, "em only")
    _, desks = routed(history, "show me the nop there")
    assert desks == ["position_risk"]


def test_an_acknowledgement_before_a_new_ask_does_not_make_it_small_talk():
    _, desks = routed([], "thanks! one more: var on em")
    assert desks == ["position_risk"]


def test_a_correction_keeps_the_previous_desk():
    history, _ = routed([], "hey how much did chunnel make us this week")
    _, desks = routed(history, "no i meant last week")
    assert desks == ["position_risk"]


def test_a_bare_window_follow_up_stays_on_the_previous_desk():
    history, _ = routed([], "late bookings yday")
    history, desks = routed(history, "over 30 mins only")
    assert desks == ["compliance"]
    _, desks = routed(history, "vs last week")
    assert desks == ["compliance"]


# --- specialist: refinements, carried filters and scope ---------------------------------------------------

def test_a_refinement_re_calls_the_previous_tool_with_the_new_argument():
    history, _ = desk_turn("position_risk", [], "var backtest for g10")
    history, second = desk_turn("position_risk", history, "parametric only")
    assert calls(second) == [("get_var_backtest", {"book": "FX-G10", "method": "parametric"})]
    _, third = desk_turn("position_risk", history, "same on em")
    assert calls(third) == [("get_var_backtest", {"book": "FX-EM", "method": "parametric"})]


def test_a_filter_carries_over_to_a_follow_up():
    history, _ = desk_turn("psychology", [], "am i overtrading this week?")
    _, second = desk_turn("psychology", history, "and last week")
    assert calls(second) == [("get_behaviour_report", {"window": "last week", "checks": ["overtrading"]})]


def test_a_new_check_replaces_the_carried_one_and_keeps_the_window():
    history, _ = desk_turn("psychology", [], "hows my trading behaviour been last 2 weeks")
    _, second = desk_turn("psychology", history, "what time of day do i lose most")
    assert calls(second) == [("get_behaviour_report", {"window": "last 2 weeks", "checks": ["time_of_day"]})]


def test_the_customer_carries_to_the_next_ask_on_the_same_desk():
    history, _ = desk_turn("compliance", [], "hey whats the kyc on cust 208")
    _, second = desk_turn("compliance", history, "credit?")
    assert calls(second) == [("get_credit_utilisation", {"customer": "Cust208"})]


def test_a_correction_re_calls_the_previous_tool_for_the_customer_meant():
    history, _ = desk_turn("compliance", [], "credit utilisation for cust205")
    _, second = desk_turn("compliance", history, "no sorry i meant cust 215")
    assert calls(second) == [("get_credit_utilisation", {"customer": "Cust215"})]


def test_a_filter_value_does_not_turn_a_listing_into_a_journal_write():
    history, _ = desk_turn("trade_journal", [], "journal entries this week")
    _, second = desk_turn("trade_journal", history, "only the breakout ones")
    assert calls(second)[0][0] == "list_journal_entries"


def test_the_week_before_is_dated_against_the_previous_answers_window():
    result = {"status": "ok", "window": {"label": "last week", "start": "2026-11-09", "end": "2026-11-15"}}
    call = AIMessage("", tool_calls=[{"name": "get_pnl", "args": {"pair": "EURUSD", "window": "last week"},
                                      "id": "c1"}])
    history = [HumanMessage("pnl on fibre last week"), call,
               ToolMessage(json.dumps(result), tool_call_id="c1", name="get_pnl"), AIMessage("Fibre P&L.")]
    reply = SPECIALISTS["position_risk"].invoke([*history, HumanMessage("the week before?")])
    assert calls(reply) == [("get_pnl", {"pair": "EURUSD", "window": "2026-11-02..2026-11-08"})]


def test_the_day_before_without_an_earlier_window_is_yesterday():
    reply = SPECIALISTS["position_risk"].invoke([HumanMessage("pnl the day before")])
    assert calls(reply) == [("get_pnl", {"window": "yesterday"})]


@pytest.mark.parametrize("message", ["hi there", "thanks for that", "cheers for that", "ok thanks, bye then"])
def test_small_talk_that_looks_like_a_follow_up_is_still_small_talk(message):
    history, _ = routed([], "pnl today")
    _, desks = routed(history, message)
    assert desks == []


@pytest.mark.parametrize("message", ["em, whats my var", "em what is the var"])
def test_em_as_a_hesitation_is_not_a_book(message):
    assert extract(message).books == []


@pytest.mark.parametrize(("message", "window"), [
    ("hw much r we up on the day", "today"), ("rate history for usdinr, 3 months", "last 3 months"),
    ("3 month forward points", None), ("trades 2 weeks ago", None),
])
def test_on_the_day_and_a_bare_count_of_weeks_or_months_are_windows(message, window):
    assert find_window(message)[0] == window


def test_a_tag_filter_carries_over_and_an_older_pair_the_listing_left_out_does_not():
    history, _ = desk_turn("trade_journal", [], "show me all my ecb notes")
    _, second = desk_turn("trade_journal", history, "last 3 months")
    assert calls(second) == [("list_journal_entries", {"tag": "ecb", "window": "last 3 months"})]


def test_an_argument_the_previous_call_left_out_is_not_carried_from_an_older_turn():
    history, _ = desk_turn("position_risk", [], "pnl on cable today")
    history, second = desk_turn("position_risk", history, "whole book pnl this week")
    assert calls(second) == [("get_pnl", {"window": "this week"})]
    _, third = desk_turn("position_risk", history, "and last week")
    assert calls(third) == [("get_pnl", {"window": "last week"})]


@pytest.mark.parametrize(("message", "window"), [
    ("and this week so far", "this week"), ("since the start of the month", "this month"),
    ("pnl today so far", "today"),
])
def test_so_far_and_since_the_start_of_are_to_date_windows(message, window):
    assert extract(message).window == window


def test_afternoons_and_late_session_ask_the_time_of_day_check():
    assert extract("was my trading worse in the afternoons this month").checks == ["time_of_day"]
    assert extract("do i lose more late session").checks == ["time_of_day"]


def test_a_follow_up_naming_a_customer_goes_to_compliance():
    history, _ = routed([], "what if i sell 15m aussie")
    _, desks = routed(history, "would that be ok for cust210")
    assert desks == ["compliance"]


def test_a_customer_follow_up_to_a_what_if_runs_the_pre_trade_check_of_that_trade():
    history, _ = desk_turn("position_risk", [], "what if i sell 15m aussie")
    _, second = desk_turn("compliance", history, "would that be ok for cust210")
    assert calls(second) == [("pre_trade_check", {"customer": "Cust210", "pair": "AUDUSD", "notional": 15e6,
                                                  "side": "sell"})]


def test_both_re_asks_for_each_pair_the_previous_turn_named():
    history, first = desk_turn("position_risk", [], "nop on aussie and kiwi")
    assert [args["pair"] for _, args in calls(first)] == ["AUDUSD", "NZDUSD"]
    _, second = desk_turn("position_risk", history, "pnl on both this week")
    assert calls(second) == [("get_pnl", {"pair": "AUDUSD", "window": "this week"}),
                             ("get_pnl", {"pair": "NZDUSD", "window": "this week"})]


def test_they_leans_on_the_previous_turn():
    history, _ = routed([], "entries tagged breakout this month")
    _, desks = routed(history, "how'd they do")
    assert desks == ["trade_journal"]


def test_on_the_week_is_this_week():
    assert extract("and on the week?").window == "this week"


def test_scope_carries_only_from_the_same_desks_previous_call():
    history, _ = desk_turn("position_risk", [], "pnl on cable today")
    _, second = desk_turn("compliance", history, "any late bookings")
    assert calls(second) == [("get_late_bookings", {})]


def test_a_new_ask_in_a_follow_up_keeps_the_window_but_not_the_last_asks_pair():
    history, _ = desk_turn("position_risk", [], "pnl on cable this week")
    _, second = desk_turn("trade_journal", history, "cool, and my win rate this week")
    assert calls(second) == [("get_journal_stats", {"window": "this week"})]


def test_a_new_ask_that_points_back_keeps_the_pair():
    history, _ = desk_turn("trade_journal", [], "journal entries on eurusd this week")
    _, second = desk_turn("trade_journal", history, "whats my win rate on those")
    assert calls(second) == [("get_journal_stats", {"pair": "EURUSD", "window": "this week"})]
