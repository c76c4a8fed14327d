"""Trader memory (issue 15): what is taken as a memory command, and remember / show / forget on a store."""

import pytest
from langgraph.store.memory import InMemoryStore

from graph.memory import handle, memory_namespace
from graph.memory_commands import parse


@pytest.mark.parametrize(("text", "key"), [
    ("I only trade the London session", "preference-trade-the-london-session"),
    ("FYI I never hold over the weekend.", "preference-hold-over-the-weekend"),
    ("call EURUSD fibre", "nickname-fibre"), ("call EUR/USD fiber", "nickname-fiber"),
    ("my daily loss limit is 50k", "fact-daily-loss-limit"),
    ("Remember that my desk head is Priya", "fact-desk-head"),
    ("remember I hate Mondays", "note-i-hate-mondays"),
])
def test_statements_about_the_trader_are_remembered_under_stable_keys(text, key):
    command = parse(text)
    assert command is not None and command.action == "remember" and command.key == key


@pytest.mark.parametrize("text", ["what is my loss limit?", "my win rate is bad", "show me my net open position",
                                  "how is my P&L?", "hi", "What's my EUR/USD exposure today?",
                                  "am I overtrading this week", "my daily loss limit is 20k, did i break it",
                                  "my max daily loss is 50k, did I respect it"])
def test_questions_and_desk_requests_are_not_memory_commands(text):
    """Desk phrasings (tools/*/phrasings) must reach the desks, not the memory."""
    assert parse(text) is None


def test_remember_show_and_forget_follow_the_trader_and_no_one_else():
    store = InMemoryStore()
    for text in ("I only trade the London session", "call EURUSD fibre", "my daily loss limit is 50k"):
        assert handle(store, "trader_aruna", parse(text)).startswith("Noted: I'll remember that ")
    shown = handle(store, "trader_aruna", parse("what do you remember about me?"))
    assert "you only trade the London session" in shown and "'fibre' means EURUSD" in shown
    assert "your daily loss limit is 50k" in shown
    assert handle(store, "trader_li", parse("what do you remember about me")) == \
        "I don't have anything remembered about you yet."
    assert handle(store, "trader_aruna", parse("forget that")) == "Forgotten: your daily loss limit is 50k."
    assert handle(store, "trader_aruna", parse("forget fibre")) == "Forgotten: 'fibre' means EURUSD."
    assert handle(store, "trader_aruna", parse("forget my stop loss")).startswith("I had nothing remembered")
    assert [i.key for i in store.search(memory_namespace("trader_aruna"))] == ["preference-trade-the-london-session"]


def test_restating_a_fact_replaces_it():
    store = InMemoryStore()
    handle(store, "u", parse("my daily loss limit is 50k"))
    handle(store, "u", parse("my daily loss limit is 75k"))
    [item] = store.search(memory_namespace("u"))
    assert item.value["value"] == "75k"


def test_no_desk_phrasing_is_taken_as_a_memory_command():
    from pathlib import Path

    root = Path(__file__).resolve().parents[3] / "tools"
    lines = [line.strip() for f in root.glob("*/phrasings/*.txt") for line in f.read_text().splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    assert lines and [line for line in lines if parse(line) is not None] == []


def test_a_nicknamed_pair_is_said_the_traders_way_at_its_first_mention_only():
    """Issue 15: a trader who said "call EURUSD fibre" sees "fibre" in answers; tables and figures stay."""
    from graph.memory import apply_nicknames

    nicknames = [{"pair": "EURUSD", "name": "fibre"}, {"pair": "GBPUSD", "name": "loonie-ish"}]
    text = "**EURUSD** long 1,000,000 EUR\n| EURUSD | 1 |\nGBP/USD flat; EURUSDX is not a pair"
    assert apply_nicknames(text, nicknames) == (
        "**fibre (EURUSD)** long 1,000,000 EUR\n| EURUSD | 1 |\nloonie-ish (GBP/USD) flat; EURUSDX is not a pair")
    assert apply_nicknames("fibre is EURUSD", nicknames[:1]) == "fibre is EURUSD"
    assert apply_nicknames("USDJPY only", nicknames) == "USDJPY only"


def test_the_supervisors_final_answer_carries_the_nickname_and_other_traders_do_not_see_it():
    from langchain_core.messages import AIMessage, HumanMessage
    from langgraph.graph import END
    from langgraph.types import Command

    from graph.memory import with_memory
    from tools.context import Context

    store = InMemoryStore()
    handle(store, "trader_aruna", parse("call EURUSD fibre"))

    def supervisor(state, runtime):
        return Command(goto=END, update={"messages": [AIMessage("Your EURUSD exposure", id="a1")], "hops": 0})

    node = with_memory(supervisor)

    class Runtime:
        def __init__(self, user):
            self.context = Context(user_id=user, role="trader")
            self.store = store

    state = {"messages": [HumanMessage("exposure?")]}
    aruna = node(state, Runtime("trader_aruna"))
    assert aruna.update["messages"][-1].content == "Your fibre (EURUSD) exposure"
    assert aruna.update["messages"][-1].id == "a1" and aruna.update["hops"] == 0
    assert node(state, Runtime("trader_li")).update["messages"][-1].content == "Your EURUSD exposure"
