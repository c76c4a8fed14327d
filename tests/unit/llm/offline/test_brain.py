"""The intent model (issue 17): learnt from the phrasing tables, deterministic, explainable, size-aware."""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage

from llm.offline import OfflineChatModel
from llm.offline.brain import Brain, brain_for
from llm.offline.entities import extract
from llm.offline.tables import IntentTable, small_talk_intents
from tests.unit.llm.offline.catalog_tools import desk_tools, handoff_tools
from tools.contract import offline_tables

TABLES = offline_tables()


def test_training_is_deterministic():
    first, second = Brain(TABLES.intents), Brain(TABLES.intents)
    assert (first.weights == second.weights).all() and first.index == second.index


def test_the_model_learns_only_from_the_tables_it_is_given():
    """A new intent is learnt from its phrasings alone: no rule mentions it anywhere in the code."""
    fx_options = IntentTable("get_option_greeks", ("get_option_greeks",), ("options",),
                             tuple(f"what's my {w} on the {p} options" for w in ("delta", "gamma", "vega", "theta")
                                   for p in ("euro", "cable", "yen", "aussie", "kiwi")))
    brain = Brain((*TABLES.intents, fx_options))
    assert brain.score("show me vega on swissie options").intent == "get_option_greeks"
    assert Brain(TABLES.intents).score("show me vega on swissie options").intent != "get_option_greeks"


def test_a_decision_says_why_with_its_strongest_features():
    brain = brain_for(TABLES)
    scored = brain.score("show me the chart of cable")
    assert scored.intent == "get_rate_history" and scored.confidence > 0.5
    assert "w:chart" in [name for name, _ in brain.explain(scored)]


def test_routing_reply_metadata_carries_the_explanation():
    router = OfflineChatModel(tables=TABLES).bind_tools(handoff_tools())
    reply = router.invoke([HumanMessage("how's my book looking")])
    assert [c["name"] for c in reply.tool_calls] == ["transfer_to_position_risk"]
    why = reply.response_metadata["fxdesk_offline_why"]
    assert why["intent"] == "book_summary" and why["features"]


def test_without_tables_the_model_learns_from_the_bound_tools_descriptions():
    bare = OfflineChatModel().bind_tools(handoff_tools())
    assert [c["name"] for c in bare.invoke([HumanMessage("hand this to the compliance desk")]).tool_calls] == [
        "transfer_to_compliance"]
    assert OfflineChatModel().bind_tools(handoff_tools()).invoke([HumanMessage("hello")]).tool_calls == []


def test_the_book_summary_intent_calls_positions_pnl_and_limits():
    risk = OfflineChatModel(tables=TABLES).bind_tools(desk_tools("position_risk"))
    reply = risk.invoke([HumanMessage("hi, where are we")])
    assert [c["name"] for c in reply.tool_calls] == ["get_net_open_position", "get_pnl", "get_limit_utilisation"]


@pytest.mark.parametrize(("text", "notional"), [
    ("5 yards of yen", 5e9), ("3m cable", 3e6), ("half a bar of aussie", 5e5), ("10 mio fibre", 10e6),
    ("2 bars of kiwi", 2e6), ("half a yard of euro", 5e8), ("1,500,000 loonie", 1.5e6),
])
def test_sizes_in_desk_shorthand(text, notional):
    assert extract(f"what if i buy {text}").notional == notional


@pytest.mark.parametrize(("word", "pair"), [
    ("cable", "GBPUSD"), ("fibre", "EURUSD"), ("loonie", "USDCAD"), ("swissie", "USDCHF"), ("aussie", "AUDUSD"),
    ("kiwi", "NZDUSD"), ("yen", "USDJPY"), ("chunnel", "EURGBP"), ("rand", "USDZAR"), ("lira", "USDTRY"),
])
def test_pair_nicknames(word, pair):
    assert extract(f"what's my {word} position").pairs == [pair]


def test_small_talk_phrasings_are_the_offline_models_own():
    assert {i.name for i in small_talk_intents()} == {"greeting", "help", "thanks", "goodbye", "out_of_domain"}
    assert all(len(i.phrasings) >= 20 for i in small_talk_intents())


def test_a_word_marks_a_desk_ask_only_when_two_desk_phrasings_use_it():
    """Issue 17: one phrasing's word ("racing") made "first week of the month?" a desk ask, not a follow-up."""
    chat = IntentTable("greeting", (), (), ("hi", "hello there"))
    desk = IntentTable("get_pnl", ("get_pnl",), ("position_risk",),
                       ("pnl today", "pnl this week", "heart racing after the pnl"))
    brain = Brain((desk, chat))
    assert "pnl" in brain.desk_words and "racing" not in brain.desk_words


def test_every_intent_weighs_the_same_however_many_phrasings_it_has():
    """Doubling one intent's phrasings must not make it the answer to a message that names neither."""
    small = IntentTable("a", ("a",), ("desk_a",), ("alpha report", "alpha numbers"))
    large = IntentTable("b", ("b",), ("desk_b",), ("beta report", "beta numbers") * 5)
    ranked = dict(Brain((small, large)).score("report").ranked)
    assert abs(ranked["a"] - ranked["b"]) < 0.1  # unbalanced training gives b 0.69 against a 0.31
