"""How traders talk, found on the development conversations dev_single8/dev_multi8 (issue 17).

Each test is one rule of the offline model, checked on a message that is not in any dataset.
"""

from __future__ import annotations

from langchain_core.messages import BaseMessage, HumanMessage

from llm.offline.entities import extract
from llm.offline.feelings import feeling_in
from tests.unit.llm.offline.test_followups import SPECIALISTS, calls, desk_turn, routed


def only_call(desk: str, message: str, history: list[BaseMessage] | None = None) -> tuple[str, dict]:
    [call] = calls(SPECIALISTS[desk].invoke([*(history or []), HumanMessage(message)]))
    return call


def test_bucks_after_a_number_are_millions_and_otherwise_the_dollar():
    assert extract("pre-trade: sell 12 bucks kiwi").notional == 12_000_000
    assert extract("pre-trade: sell 12 bucks kiwi").currencies == []
    assert extract("how exposed are we to the bucks").currencies == ["USD"]


def test_both_methods_asks_for_both_vars():
    assert only_call("position_risk", "em var, both ways please") == ("get_var", {"book": "FX-EM", "method": "both"})


def test_tags_to_names_the_new_tag():
    name, args = only_call("trade_journal", "change #12 tags to london-open")
    assert name == "update_journal_entry" and args["entry_id"] == 12 and args["setup_tags"] == ["london-open"]


def test_a_feeling_word_wins_over_a_turn_of_phrase():
    assert feeling_in("feel amazing, quite confident about the fix") == "confident"
    assert feeling_in("good headspace this afternoon") == "calm"
    assert feeling_in("bad headspace today") == "off"


def test_a_schedule_in_words_calls_the_schedule_tool_with_the_report_asked_for():
    name, args = only_call("position_risk", "email me the limit utilisation every friday at 5pm")
    assert name == "schedule_risk_report" and args["report"] == "get_limit_utilisation"
    name, args = only_call("compliance", "pls schedule the kyc report weekly on mondays")
    assert name == "schedule_compliance_report" and args["report"] == "get_kyc_status"


def test_a_daily_figure_is_not_a_schedule():
    assert only_call("position_risk", "what did we make each day this week")[0] == "get_pnl"


def test_a_limit_amount_after_a_discipline_report_reruns_it_with_that_limit():
    history, desks = routed([], "did i keep trading after my daily stop this week")
    assert desks == ["psychology"]
    _, desks = routed(history, "my limit is 25k")
    assert desks == ["psychology"]
    turn, _ = desk_turn("psychology", [], "did i keep trading after my daily stop this week")
    name, args = only_call("psychology", "my limit is 25k", turn)
    assert name == "get_discipline_report" and args["daily_loss_limit_usd"] == 25_000


def test_a_bare_number_in_a_size_follow_up_is_millions():
    turn, _ = desk_turn("position_risk", [], "what if i sell 30m aussie")
    name, args = only_call("position_risk", "what about 12 instead", turn)
    assert name == "what_if_trade" and args["notional"] == 12_000_000 and args["pair"] == "AUDUSD"


def test_a_clause_of_only_argument_values_is_not_an_ask_of_its_own():
    _, desks = routed([], "pre-trade this one pls, selling 15m kiwi")
    assert desks == ["compliance"]


def test_a_currency_named_by_its_name_with_how_much_is_the_currency():
    assert only_call("position_risk", "how much euro are we running") == ("get_net_open_position", {"currency": "EUR"})
    assert only_call("position_risk", "fiber position")[1] == {"pair": "EURUSD"}


def test_a_daily_loss_limit_is_not_a_one_day_window_and_the_conversations_window_carries():
    assert extract("did i respect my daily loss limit").window is None
    assert extract("daily pnl for cable").window == "today"
    turn, _ = desk_turn("trade_journal", [], "my win rate since monday")
    name, args = only_call("psychology", "and did i blow through my daily stop", turn)
    assert name == "get_discipline_report" and args.get("window") == "since monday"


def test_the_ones_of_the_previous_answer_keep_its_window_on_another_desk():
    turn, _ = desk_turn("trade_journal", [], "count my trades by emotion last 2 weeks")
    name, args = only_call("psychology", "thats a lot of breakout ones, am i revenge trading", turn)
    assert name == "get_behaviour_report" and args.get("window") == "last 2 weeks"


def test_rumination_and_body_states_are_check_ins_with_a_feeling():
    assert feeling_in("still stewing about the cable stop-out") == "upset"
    assert feeling_in("couldn't sleep last night") == "tired"
    name, args = only_call("psychology", "keep going over that lira loss, cant let it go")
    assert name == "check_in_feeling" and args["feeling"] == "upset"


def test_a_schedule_of_this_sends_the_report_the_previous_turn_ran():
    turn, _ = desk_turn("compliance", [], "late bookings this week")
    name, args = only_call("compliance", "email me that every friday", turn)
    assert name == "schedule_compliance_report" and args["report"] == "get_late_bookings"


def test_which_tag_groups_by_tag():
    assert extract("which setup works best for me").group_by == "tag"
    assert extract("what pair do i lose most on").group_by == "pair"


def test_weekly_and_swiss_are_not_typos():
    assert "weekly" in extract("a weekly limit report").text
    assert extract("how much swiss franc are we long").named_currencies == ["CHF"]


def test_try_is_a_word_unless_written_as_the_code():
    assert extract("try the week before").currencies == []
    assert extract("TRY exposure").currencies == ["TRY"]


def test_a_customer_by_its_bare_number_where_only_a_customer_fits():
    assert extract("screening on 318 pls").customers == ["Cust318"]
    assert extract("same for 207").customers == ["Cust207"]
    assert extract("and 300 cable").customers == []  # a size, with an instrument


def test_a_follow_up_is_read_without_its_connective():
    turn, _ = desk_turn("position_risk", [], "pnl in loonie this week")
    assert only_call("position_risk", "and the kiwi's nop", turn) == ("get_net_open_position", {"pair": "NZDUSD"})


def test_a_sentence_naming_an_instrument_after_another_desk_is_read_afresh():
    history, _ = routed([], "feeling anxious about the yen")
    _, desks = routed(history, "what has aussie done this week")
    assert desks == ["position_risk"]
    _, desks = routed(history, "just the aussie ones")  # a narrowing stays with the previous desk
    assert desks == ["psychology"]


def test_a_value_with_one_word_of_its_own_is_a_follow_up():
    history, _ = routed([], "late bookings this month")
    _, desks = routed(history, "over 45 mins")
    assert desks == ["compliance"]


def test_schedule_that_stays_on_the_desk_that_just_answered():
    history, _ = routed([], "off-market trades this week")
    _, desks = routed(history, "schedule that every friday")
    assert desks == ["compliance"]


def test_a_labelled_check_in_is_a_check_in():
    assert only_call("psychology", "mood: frustrated, third stop-out today")[0] == "check_in_feeling"


def test_a_method_word_after_its_value_is_part_of_the_value():
    turn, _ = desk_turn("position_risk", [], "backtest the g10 var")
    assert only_call("position_risk", "parametric method", turn) == (
        "get_var_backtest", {"book": "FX-G10", "method": "parametric"})


def test_a_customer_number_keeps_the_ask_it_follows():
    turn, _ = desk_turn("compliance", [], "credit for Cust204")
    assert only_call("compliance", "kyc on 204 too", turn) == ("get_kyc_status", {"customer": "Cust204"})


def test_a_trade_the_previous_tool_cannot_take_is_a_new_ask():
    turn, _ = desk_turn("position_risk", [], "chart of loonie last 5 days")
    name, args = only_call("position_risk", "what if i sell 12m here", turn)
    assert name == "what_if_trade" and args["notional"] == 12_000_000


def test_cancel_words_with_a_report_cancel_a_schedule():
    assert only_call("position_risk", "kill the var one")[0] == "cancel_scheduled_report"
    assert only_call("position_risk", "stop 1.0895 on my cable position")[0] != "cancel_scheduled_report"


def test_pre_trade_written_apart_is_the_pre_trade_check():
    assert extract("pre trade check on 10m cable").text.startswith("pre-trade")


def test_what_follows_a_journal_write_is_what_it_writes():
    _, desks = routed([], "add to journal: fiber fade at the ecb, got in late and scared")
    assert desks == ["trade_journal"]
    _, desks = routed([], "give me today's pnl and log a journal note that i was tired all day")
    assert desks == ["position_risk", "trade_journal"]


def test_a_plus_sign_joins_two_asks():
    _, desks = routed([], "pnl this week + am i revenge trading")
    assert desks == ["position_risk", "psychology"]


def test_market_alone_asks_for_no_off_market_report():
    _, desks = routed([], "so bored, market's asleep")
    assert desks == ["psychology"]


def test_a_trade_id_with_a_dash_is_passed_as_written():
    assert extract("note on T-50117: cut it early").trade_ids == ["T-50117"]


def test_staring_is_not_sterling_and_look_is_no_desk_word():
    assert extract("been staring at the screens all day").pairs == []
    history, _ = routed([], "am i on tilt")
    _, desks = routed(history, "look at last month")
    assert desks == ["psychology"]


def test_the_trades_after_a_loss_and_a_tolerance_in_percent():
    assert extract("how do i do in the 4 trades after a big loss").next_trades == 4
    assert extract("tighten to 0.3 percent").tolerance_pct == 0.3


def test_a_schedule_follow_up_keeps_the_report_it_scheduled():
    turn, _ = desk_turn("compliance", [], "send me the breaches every monday at 8am")
    name, args = only_call("compliance", "for the em book", turn)
    assert name == "schedule_compliance_report" and args["report"] == "get_limit_breaches"
