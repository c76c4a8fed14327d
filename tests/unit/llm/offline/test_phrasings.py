"""Routing and argument extraction over natural desk language: nicknames, typos, spellings, windows."""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from llm.offline import OfflineChatModel
from tests.unit.llm.offline.catalog_tools import DESKS, desk_tools, handoff_tools
from tools.contract import offline_tables

MODEL = OfflineChatModel(tables=offline_tables())
ROUTER = MODEL.bind_tools(handoff_tools())
SPECIALISTS = {desk: MODEL.bind_tools(desk_tools(desk)) for desk in DESKS}

ROUTING = [
    ("What's my EUR/USD exposure today?", ["position_risk"]),
    ("how long am I cable", ["position_risk"]),
    ("net open position in the G10 book", ["position_risk"]),
    ("whats my exposre to the loonie", ["position_risk"]),
    ("pnl since monday", ["position_risk"]),
    ("How much did I make this week?", ["position_risk"]),
    ("give me the 99% VaR for FX-EM", ["position_risk"]),
    ("value at risk, historical method", ["position_risk"]),
    ("how close am I to my limits?", ["position_risk"]),
    ("headroom on my NOP limits", ["position_risk"]),
    ("what if I sell 10 yards of dollar-yen", ["position_risk"]),
    ("EURUSD?", ["position_risk"]),
    ("show my journal entries from last week", ["trade_journal"]),
    ("log a journal entry for T004211: took the breakout on NFP, felt fomo", ["trade_journal"]),
    # a feeling named while writing a journal record describes it; it is not a second, psychology ask
    ("short 2m aussie 0.6620 stop 0.6650, range fade, felt anxious", ["trade_journal"]),
    ("what's my win rate by tag over the last 90 days", ["trade_journal"]),
    ("expectancy and profit factor on fiber trades", ["trade_journal"]),
    ("update entry 12 with emotions calm", ["trade_journal"]),
    ("am I overtrading?", ["psychology"]),
    ("any revenge trading after my losses last week?", ["psychology"]),
    ("am I on tilt today", ["psychology"]),
    ("do I chase my losses", ["psychology"]),
    ("which time of day do I trade worst", ["psychology"]),
    ("any limit breaches today?", ["compliance"]),
    ("is Cust999 restricted?", ["compliance"]),
    ("screen USDRUB against the restricted list", ["compliance"]),
    ("KYC status of customer 203", ["compliance"]),
    ("which customers have pending kyc", ["compliance"]),
    ("credit utilisation for Cust310", ["compliance"]),
    ("any off-market trades in the last 30 days?", ["compliance"]),
    ("show me late bookings this month", ["compliance"]),
    ("can I buy 5m USDTRY for Cust310?", ["compliance"]),
    ("pre-trade check: sell 2.5 mio aussie", ["compliance"]),
    ("Cust207?", ["compliance"]),
    ("would buying 20m cable breach my limits?", ["position_risk", "compliance"]),
    ("If I sell 50m EURJPY would I be over my limit?", ["position_risk", "compliance"]),
    ("would lifting 1 yard of euro-yen breach anything", ["position_risk", "compliance"]),
    ("show my P&L and my journal stats", ["position_risk", "trade_journal"]),
    ("am I overtrading and any breaches?", ["psychology", "compliance"]),
    ("gimme the var on em", ["position_risk"]),
    ("r we long or short yen?", ["position_risk"]),
    ("how exposed am i to sterling", ["position_risk"]),
    ("show me trades outside the days range this week", ["compliance"]),
    ("how many trades did i do today vs normal", ["psychology"]),
    ("any limit brecahes today", ["compliance"]),
    ("kyc staus for cust 207", ["compliance"]),
    ("show me my jounral entires", ["trade_journal"]),
    ("hi", []),
    ("good morning!", []),
    ("thanks a lot", []),
    ("what can you do?", []),
    ("help", []),
    ("what's the weather in London?", []),
    ("tell me a joke", []),
    ("who won the football last night", []),
    # issue 17 skills
    ("long 5m cable 1.2710 stop 1.2650 breakout, felt fomo", ["trade_journal"]),
    ("morning! bought 3m eurusd at 1.0850 stop 1.0820, target 1.0910 range trade", ["trade_journal"]),
    ("how many trades did i journal this month", ["trade_journal"]),
    ("I'm so anxious today", ["psychology"]),
    ("do i size up after a losing streak", ["psychology"]),
    ("did I keep trading after hitting my daily loss limit", ["psychology"]),
]


@pytest.mark.parametrize(("message", "desks"), ROUTING, ids=[m for m, _ in ROUTING])
def test_routing_picks_the_desks_in_order(message, desks):
    reply = ROUTER.invoke([SystemMessage("route"), HumanMessage(message)])
    assert [c["name"].removeprefix("transfer_to_") for c in reply.tool_calls] == desks
    if not desks:
        assert reply.content


SPECIALIST = [
    # position risk
    ("position_risk", "What's my EUR/USD exposure today?", "get_net_open_position", {"pair": "EURUSD"}),
    ("position_risk", "exposure in eur-usd", "get_net_open_position", {"pair": "EURUSD"}),
    ("position_risk", "how long am I EURUSD", "get_net_open_position", {"pair": "EURUSD"}),
    ("position_risk", "position in euro dollar", "get_net_open_position", {"pair": "EURUSD"}),
    ("position_risk", "fibre position?", "get_net_open_position", {"pair": "EURUSD"}),
    ("position_risk", "how much cable do I have", "get_net_open_position", {"pair": "GBPUSD"}),
    ("position_risk", "loonie exposure", "get_net_open_position", {"pair": "USDCAD"}),
    ("position_risk", "my aussie position", "get_net_open_position", {"pair": "AUDUSD"}),
    ("position_risk", "kiwi positon", "get_net_open_position", {"pair": "NZDUSD"}),
    ("position_risk", "swissie exposure", "get_net_open_position", {"pair": "USDCHF"}),
    ("position_risk", "what's my yen position", "get_net_open_position", {"pair": "USDJPY"}),
    ("position_risk", "dollar-yen exposure please", "get_net_open_position", {"pair": "USDJPY"}),
    ("position_risk", "chunnel position", "get_net_open_position", {"pair": "EURGBP"}),
    ("position_risk", "exposure to euro yen", "get_net_open_position", {"pair": "EURJPY"}),
    ("position_risk", "peso exposure in the EM book", "get_net_open_position", {"pair": "USDMXN", "book": "FX-EM"}),
    ("position_risk", "rand position", "get_net_open_position", {"pair": "USDZAR"}),
    ("position_risk", "lira exposure", "get_net_open_position", {"pair": "USDTRY"}),
    # "how much <currency>" asks the amount of that currency (issue 17, session 22), not its USD pair
    ("position_risk", "how much real am I holding", "get_net_open_position", {"currency": "BRL"}),
    ("position_risk", "rupee position", "get_net_open_position", {"pair": "USDINR"}),
    ("position_risk", "rouble exposure", "get_net_open_position", {"pair": "USDRUB"}),
    ("position_risk", "ruble position in fx-em", "get_net_open_position", {"pair": "USDRUB", "book": "FX-EM"}),
    ("position_risk", "USD/JPY net open position", "get_net_open_position", {"pair": "USDJPY"}),
    ("position_risk", "usdcad exposure", "get_net_open_position", {"pair": "USDCAD"}),
    ("position_risk", "JPY/USD position", "get_net_open_position", {"pair": "USDJPY"}),
    ("position_risk", "what's my GBP exposure", "get_net_open_position", {"currency": "GBP"}),
    ("position_risk", "net open position for the g10 book", "get_net_open_position", {"book": "FX-G10"}),
    ("position_risk", "NOP of the EM book", "get_net_open_position", {"book": "FX-EM"}),
    ("position_risk", "positions", "get_net_open_position", {}),
    ("position_risk", "pnl today", "get_pnl", {"window": "today"}),
    ("position_risk", "P&L for cable last week", "get_pnl", {"pair": "GBPUSD", "window": "last week"}),
    ("position_risk", "pnl past 2 weeks", "get_pnl", {"window": "last 2 weeks"}),
    ("position_risk", "how much did I make since Monday", "get_pnl", {"window": "since monday"}),
    ("position_risk", "mtm this month in the G10 book", "get_pnl", {"window": "this month", "book": "FX-G10"}),
    ("position_risk", "profit since 2026-11-02", "get_pnl", {"window": "since 2026-11-02"}),
    ("position_risk", "pnl last 30 days", "get_pnl", {"window": "last 30 days"}),
    ("position_risk", "pnl yesterday on usd/try", "get_pnl", {"window": "yesterday", "pair": "USDTRY"}),
    ("position_risk", "P/L over the last three weeks", "get_pnl", {"window": "last 3 weeks"}),
    ("position_risk", "pnl between 2026-11-02 and 2026-11-13", "get_pnl", {"window": "2026-11-02..2026-11-13"}),
    ("position_risk", "VaR", "get_var", {}),
    ("position_risk", "value at risk for FX-EM", "get_var", {"book": "FX-EM"}),
    ("position_risk", "historical var of the g10 book", "get_var", {"book": "FX-G10", "method": "historical"}),
    ("position_risk", "ewma VaR", "get_var", {"method": "parametric"}),
    ("position_risk", "limit utilisation", "get_limit_utilisation", {}),
    ("position_risk", "how much headroom on the EM book limits", "get_limit_utilisation", {"book": "FX-EM"}),
    ("position_risk", "what if I buy 20m cable", "what_if_trade", {"pair": "GBPUSD", "side": "buy", "notional": 20e6}),
    ("position_risk", "what if I sell 10 yards of dollar-yen", "what_if_trade",
     {"pair": "USDJPY", "side": "sell", "notional": 10e9}),
    ("position_risk", "hypothetical: lift 500k aussie at 0.6550", "what_if_trade",
     {"pair": "AUDUSD", "side": "buy", "notional": 500e3, "rate": 0.655}),
    ("position_risk", "what if I go short 2.5 mio EUR/GBP", "what_if_trade",
     {"pair": "EURGBP", "side": "sell", "notional": 2.5e6}),
    ("position_risk", "would hitting 1,000,000 usdzar change my risk", "what_if_trade",
     {"pair": "USDZAR", "side": "sell", "notional": 1e6}),
    ("position_risk", "simulate buying twenty million euro", "what_if_trade",
     {"pair": "EURUSD", "side": "buy", "notional": 20e6}),
    ("position_risk", "what if I pay 1 yard of USDINR", "what_if_trade",
     {"pair": "USDINR", "side": "buy", "notional": 1e9}),
    ("position_risk", "what if I give 5m kiwi", "what_if_trade", {"pair": "NZDUSD", "side": "sell", "notional": 5e6}),
    ("position_risk", "what if I buy 20 million dollar-yen", "what_if_trade",
     {"pair": "USDJPY", "side": "buy", "notional": 20e6}),
    ("position_risk", "what if i bought 3bn yen", "what_if_trade", {"pair": "USDJPY", "side": "buy", "notional": 3e9}),
    ("position_risk", "gimme the var on em", "get_var", {"book": "FX-EM"}),
    ("position_risk", "var backtest", "get_var_backtest", {}),
    ("position_risk", "how many VaR exceptions did the G10 book have", "get_var_backtest", {"book": "FX-G10"}),
    ("position_risk", "backtest the historical var on em", "get_var_backtest",
     {"book": "FX-EM", "method": "historical"}),
    ("position_risk", "are we in the basel traffic light green zone", "get_var_backtest", {}),
    ("position_risk", "wats my positon in eurusd", "get_net_open_position", {"pair": "EURUSD"}),
    ("position_risk", "whats my pnl mtd on the g10 book", "get_pnl", {"book": "FX-G10", "window": "this month"}),
    ("position_risk", "how much headroom do i have on the chunnel", "get_limit_utilisation", {"book": "FX-G10"}),
    ("position_risk", "what if i dump 15 yards of yen", "what_if_trade",
     {"pair": "USDJPY", "side": "sell", "notional": 15e9}),
    ("position_risk", "what did I make yesterday in loonie", "get_pnl", {"pair": "USDCAD", "window": "yesterday"}),
    ("position_risk", "cabel exposure", "get_net_open_position", {"pair": "GBPUSD"}),
    ("position_risk", "whats my expsoure to swissy", "get_net_open_position", {"pair": "USDCHF"}),
    ("position_risk", "pnl yday", "get_pnl", {"window": "yesterday"}),
    # trade journal
    ("trade_journal", "my win rate on breakout trades", "get_journal_stats", {"group_by": "tag"}),
    ("trade_journal", "add to my journal: stopped out on usdcad, frustrated", "add_journal_entry",
     {"pair": "USDCAD", "emotions": ["frustrated"], "notes": "stopped out on usdcad, frustrated"}),
    ("trade_journal", "show my journal entries from last week", "list_journal_entries", {"window": "last week"}),
    ("trade_journal", "last 5 journal entries", "list_journal_entries", {"limit": 5}),
    ("trade_journal", "entries tagged breakout this month", "list_journal_entries",
     {"tag": "breakout", "window": "this month"}),
    ("trade_journal", "journal notes on cable", "list_journal_entries", {"pair": "GBPUSD"}),
    ("trade_journal", "log a journal entry for T004211: took the breakout on NFP, felt fomo", "add_journal_entry",
     {"trade_id": "T004211", "setup_tags": ["breakout", "nfp"], "emotions": ["fomo"],
      "notes": "took the breakout on NFP, felt fomo"}),
    ("trade_journal", "add a note on trade 4212: faded the move, felt calm", "add_journal_entry",
     {"trade_id": "T004212", "setup_tags": ["fade"], "emotions": ["calm"], "notes": "faded the move, felt calm"}),
    ("trade_journal", "journal this: \"cable news spike, anxious\"", "add_journal_entry",
     {"pair": "GBPUSD", "setup_tags": ["news"], "emotions": ["anxious"], "notes": "cable news spike, anxious"}),
    ("trade_journal", "update entry 12 with emotions calm", "update_journal_entry",
     {"entry_id": 12, "emotions": ["calm"]}),
    ("trade_journal", "change the tags on entry #7 to #reversal", "update_journal_entry",
     {"entry_id": 7, "setup_tags": ["reversal"]}),
    ("trade_journal", "what's my win rate", "get_journal_stats", {}),
    ("trade_journal", "win rate by tag over the last 90 days", "get_journal_stats",
     {"group_by": "tag", "window": "last 90 days"}),
    ("trade_journal", "expectancy and profit factor on fiber", "get_journal_stats", {"pair": "EURUSD"}),
    ("trade_journal", "stats per pair this year", "get_journal_stats", {"group_by": "pair", "window": "this year"}),
    ("trade_journal", "averge win vs average loss last 30 days", "get_journal_stats", {"window": "last 30 days"}),
    # psychology
    ("psychology", "am I overtrading?", "get_behaviour_report", {"checks": ["overtrading"]}),
    ("psychology", "any revenge trading last week?", "get_behaviour_report",
     {"window": "last week", "checks": ["revenge_trading"]}),
    ("psychology", "behaviour report for the past 2 weeks", "get_behaviour_report", {"window": "last 2 weeks"}),
    ("psychology", "do I chase my losses since monday", "get_behaviour_report",
     {"window": "since monday", "checks": ["loss_chasing"]}),
    ("psychology", "what time of day am I worst, and any losing streaks?", "get_behaviour_report",
     {"checks": ["time_of_day", "streaks"]}),
    ("psychology", "am i overtradng this wek", "get_behaviour_report",
     {"window": "this week", "checks": ["overtrading"]}),
    # issue 17: discipline has its own tool now (trading after the daily loss limit, size beyond the usual)
    ("psychology", "how's my discipline this month", "get_discipline_report", {"window": "this month"}),
    ("psychology", "overtraidng or revenge trades in the last 60 days?", "get_behaviour_report",
     {"window": "last 60 days", "checks": ["overtrading", "revenge_trading"]}),
    # compliance
    ("compliance", "any limit breaches?", "get_limit_breaches", {}),
    ("compliance", "breaches in the EM book", "get_limit_breaches", {"book": "FX-EM"}),
    ("compliance", "limit breeches in fx-g10", "get_limit_breaches", {"book": "FX-G10"}),
    ("compliance", "credit utilisation for Cust310", "get_credit_utilisation", {"customer": "Cust310"}),
    ("compliance", "how much credit line does customer 203 have left", "get_credit_utilisation",
     {"customer": "Cust203"}),
    ("compliance", "is Cust999 restricted?", "screen_restricted", {"customer": "Cust999"}),
    ("compliance", "screen usd/rub", "screen_restricted", {"pair": "USDRUB"}),
    ("compliance", "is the rouble on the sanctions list", "screen_restricted", {"pair": "USDRUB"}),
    ("compliance", "can I buy 5m USDTRY for Cust310?", "pre_trade_check",
     {"pair": "USDTRY", "side": "buy", "notional": 5e6, "customer": "Cust310"}),
    ("compliance", "pre-trade check: sell 2.5 mio aussie", "pre_trade_check",
     {"pair": "AUDUSD", "side": "sell", "notional": 2.5e6}),
    ("compliance", "would buying 20m cable breach my limits?", "pre_trade_check",
     {"pair": "GBPUSD", "side": "buy", "notional": 20e6}),
    ("compliance", "am I allowed to sell 500k rand to client 310 at 18.25", "pre_trade_check",
     {"pair": "USDZAR", "side": "sell", "notional": 500e3, "customer": "Cust310", "rate": 18.25}),
    ("compliance", "ok to lift a yard of fibre?", "pre_trade_check",
     {"pair": "EURUSD", "side": "buy", "notional": 1e9}),
    ("compliance", "off-market trades in the last 30 days", "get_off_market_trades", {"window": "last 30 days"}),
    ("compliance", "off market rates this week in fx-em with 0.5% tolerance", "get_off_market_trades",
     {"window": "this week", "book": "FX-EM", "tolerance_pct": 0.5}),
    ("compliance", "late bookings this month", "get_late_bookings", {"window": "this month"}),
    ("compliance", "trades booked late by more than 45 minutes since monday", "get_late_bookings",
     {"window": "since monday", "threshold_minutes": 45}),
    ("compliance", "late bookings over 2 hours yesterday", "get_late_bookings",
     {"window": "yesterday", "threshold_minutes": 120}),
    ("compliance", "KYC status of customer 203", "get_kyc_status", {"customer": "Cust203"}),
    ("compliance", "which customers have pending kyc", "get_kyc_status", {"status": "pending"}),
    ("compliance", "kyc for cust 0210", "get_kyc_status", {"customer": "Cust210"}),
    ("compliance", "kyc staus for cust 207", "get_kyc_status", {"customer": "Cust207"}),
    ("compliance", "credit lines for counterparty 221", "get_credit_utilisation", {"customer": "Cust221"}),
    ("compliance", "any limit braeches in the em book", "get_limit_breaches", {"book": "FX-EM"}),
    ("compliance", "onboarding status: expired KYC", "get_kyc_status", {"status": "expired"}),
    ("compliance", "is usdrub ok to trade for cust310", "screen_restricted", {"pair": "USDRUB", "customer": "Cust310"}),
    ("compliance", "show me trades outside the days range this week", "get_off_market_trades", {"window": "this week"}),
    ("compliance", "any limit brecahes today", "get_limit_breaches", {}),
    ("compliance", "pre trade 3m usdmxn sell at 17.2 for cust 305", "pre_trade_check",
     {"pair": "USDMXN", "side": "sell", "notional": 3e6, "rate": 17.2, "customer": "Cust305"}),
    # issue 17 skills
    ("trade_journal", "long 5m cable 1.2710 stop 1.2650 breakout, felt fomo", "log_journal_trade",
     {"text": "long 5m cable 1.2710 stop 1.2650 breakout, felt fomo"}),
    ("trade_journal", "S 2m EU 1.0900 sl 1.0950 tp 1.0800", "log_journal_trade",
     {"text": "S 2m EU 1.0900 sl 1.0950 tp 1.0800"}),
    ("trade_journal", "how many trades did i journal this month", "get_journal_breakdown", {"window": "this month"}),
    ("trade_journal", "hit rate by pair last 30 days", "get_journal_breakdown",
     {"window": "last 30 days", "by": "pair"}),
    ("psychology", "I'm so anxious today", "check_in_feeling", {"feeling": "anxious", "note": "I'm so anxious today"}),
    ("psychology", "feeling really tilted after that loss", "check_in_feeling",
     {"feeling": "tilted", "note": "feeling really tilted after that loss"}),
    ("psychology", "how do I trade after a big win?", "get_tilt_check", {}),
    ("psychology", "do i size up after a losing streak last 90 days", "get_tilt_check", {"window": "last 90 days"}),
    ("psychology", "did I keep trading after hitting my daily loss limit of 20k", "get_discipline_report",
     {"daily_loss_limit_usd": 20000.0}),
]


def test_several_pairs_give_one_call_each():
    reply = SPECIALISTS["position_risk"].invoke([HumanMessage("compare my cable and aussie exposure")])
    assert [(c["name"], c["args"]) for c in reply.tool_calls] == [
        ("get_net_open_position", {"pair": "GBPUSD"}), ("get_net_open_position", {"pair": "AUDUSD"})]
    assert len({c["id"] for c in reply.tool_calls}) == 2


def test_several_customers_give_one_call_each():
    reply = SPECIALISTS["compliance"].invoke([HumanMessage("kyc for Cust203 and Cust310")])
    assert [(c["name"], c["args"]) for c in reply.tool_calls] == [
        ("get_kyc_status", {"customer": "Cust203"}), ("get_kyc_status", {"customer": "Cust310"})]


def test_a_summary_request_gets_positions_pnl_and_limits_in_that_order():
    reply = SPECIALISTS["position_risk"].invoke([HumanMessage("morning briefing please")])
    assert [c["name"] for c in reply.tool_calls] == ["get_net_open_position", "get_pnl", "get_limit_utilisation"]
    routed = ROUTER.invoke([HumanMessage("give me a summary")])
    assert [c["name"] for c in routed.tool_calls] == ["transfer_to_position_risk"]


def test_a_customer_alone_asks_compliance_who_they_are():
    reply = SPECIALISTS["compliance"].invoke([HumanMessage("Cust203")])
    assert [(c["name"], c["args"]) for c in reply.tool_calls] == [
        ("get_kyc_status", {"customer": "Cust203"}), ("screen_restricted", {"customer": "Cust203"})]


@pytest.mark.parametrize(("desk", "message", "tool", "args"), SPECIALIST, ids=[c[1] for c in SPECIALIST])
def test_specialist_calls_the_tool_with_the_extracted_args(desk, message, tool, args):
    reply = SPECIALISTS[desk].invoke([SystemMessage("desk"), HumanMessage(message)])
    assert [(c["name"], c["args"]) for c in reply.tool_calls] == [(tool, args)]


def test_the_phrasing_table_is_large_enough():
    assert len(ROUTING) + len(SPECIALIST) >= 100
