"""Routing mode: supervisor answers, refusals for desks the role may not use, hand-off arguments."""

from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from llm.offline import OfflineChatModel
from llm.offline.routing import routed_desks
from tests.unit.llm.offline.catalog_tools import handoff_tools
from tools.contract import offline_tables

MODEL = OfflineChatModel(tables=offline_tables())


def route(message: str, desks=("position_risk", "trade_journal", "psychology", "compliance")):
    return MODEL.bind_tools(handoff_tools(desks)).invoke([SystemMessage("route"), HumanMessage(message)])


def test_refusal_for_a_desk_whose_transfer_tool_is_not_bound_names_what_the_role_can_do():
    reply = route("What's my EUR/USD exposure today?", desks=("compliance",))
    assert reply.tool_calls == []
    assert "not permitted to use position risk" in reply.content
    assert "compliance (limit breaches" in reply.content


def test_role_with_no_desks_is_told_so():
    reply = route("What's my EUR/USD exposure today?", desks=())
    assert reply.tool_calls == []
    assert "no desks available" in reply.content


def test_cross_desk_question_runs_the_bound_desk_and_says_which_was_left_out():
    reply = route("would buying 20m cable breach my limits?", desks=("position_risk", "trade_journal"))
    assert [c["name"] for c in reply.tool_calls] == ["transfer_to_position_risk"]
    assert "cannot use compliance" in reply.content


def test_help_lists_only_the_bound_desks():
    reply = route("what can you do?", desks=("compliance",))
    assert "compliance" in reply.content
    assert "trade journal" not in reply.content and "position risk" not in reply.content


def test_out_of_domain_is_answered_politely_without_hand_offs():
    reply = route("what's the capital of France?")
    assert reply.tool_calls == []
    assert "outside what this desk assistant covers" in reply.content


def test_hand_off_arguments_fit_the_schema_and_tool_call_ids_are_unique():
    reply = route("am I overtrading and any breaches?")
    assert [set(c["args"]) for c in reply.tool_calls] == [{"reason"}, {"reason"}]
    assert len({c["id"] for c in reply.tool_calls}) == 2
    assert reply.response_metadata["fxdesk_offline_mode"] == "routing"


def test_no_user_message_gets_the_help_text():
    reply = MODEL.bind_tools(handoff_tools()).invoke([SystemMessage("route")])
    assert reply.tool_calls == [] and "I can help with" in reply.content


def test_the_same_input_gives_the_same_output():
    first, second = route("pnl for cable last week"), route("pnl for cable last week")
    assert first.tool_calls == second.tool_calls and first.content == second.content


def test_supervisor_texts_quote_no_numbers_since_no_tool_ran():
    from llm.offline.numbers import numbers_in

    texts = [route(m).content for m in ("hi", "help", "thanks", "bye", "what's the weather?")]
    texts.append(route("What's my EUR/USD exposure today?", desks=("compliance",)).content)
    texts.append(route("help", desks=()).content)
    for text in texts:
        assert text and numbers_in(text) == []


def test_a_desk_word_outweighs_an_out_of_domain_verdict_when_the_desk_is_a_real_runner_up():
    """Issue 17: "what about kyc" read as out of domain (its "what about" is small-talk language).

    Since session 22's phrasings the model reads "what about kyc" as KYC outright; "tell me about kyc"
    still reads out of domain first, so it exercises the runner-up rule.
    """
    desks, small_talk, _ = routed_desks([HumanMessage("what about kyc")], "what about kyc", offline_tables())
    assert (desks, small_talk) == (["compliance"], None)
    desks, small_talk, why = routed_desks([HumanMessage("tell me about kyc")], "tell me about kyc", offline_tables())
    assert (desks, small_talk) == (["compliance"], None) and why["over"] == "out_of_domain"
    assert routed_desks([HumanMessage("who will win the election")], "who will win the election",
                        offline_tables())[:2] == ([], "out_of_domain")


def test_a_follow_up_the_model_cannot_place_stays_with_the_previous_desk():
    """Issue 17: "what about their kyc" after a credit question was answered as out of domain."""
    earlier = [HumanMessage("credit for Cust204"),
               AIMessage("", tool_calls=[{"name": "transfer_to_compliance", "args": {}, "id": "t1"}])]
    follow = [*earlier, HumanMessage("what about their kyc")]
    assert routed_desks(follow, "what about their kyc", offline_tables())[:2] == (["compliance"], None)
