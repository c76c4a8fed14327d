"""The OfflineChatModel contract: modes from bound tools, metadata, tool calls and streaming."""

from __future__ import annotations

import json

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from llm.offline import OfflineChatModel, unsupported_numbers
from tests.unit.llm.offline.catalog_tools import desk_tools, handoff_tools

SEED = "What's my EUR/USD exposure today?"


def test_offline_model_is_a_chat_model_with_the_contract_type():
    model = OfflineChatModel()
    assert isinstance(model, BaseChatModel)
    assert model._llm_type == "fxdesk-offline"


def test_seed_question_routes_to_position_risk(model):
    reply = model.bind_tools(handoff_tools()).invoke([SystemMessage("You route."), HumanMessage(SEED)])
    assert [call["name"] for call in reply.tool_calls] == ["transfer_to_position_risk"]
    assert isinstance(reply.tool_calls[0]["args"]["reason"], str)
    assert reply.response_metadata["model_provider"] == "offline"
    assert reply.response_metadata["model_name"]
    assert reply.response_metadata["fxdesk_fallbacks"] == []


def test_seed_question_calls_net_open_position_for_eurusd(model):
    reply = model.bind_tools(desk_tools("position_risk")).invoke([HumanMessage(SEED)])
    assert [(c["name"], c["args"]) for c in reply.tool_calls] == [("get_net_open_position", {"pair": "EURUSD"})]


def test_seed_answer_quotes_the_eurusd_position_and_usd_equivalent(model):
    bound = model.bind_tools(desk_tools("position_risk"))
    call = bound.invoke([HumanMessage(SEED)])
    result = {"status": "ok", "as_of": "2026-11-20",
              "pairs": [{"pair": "EURUSD", "book": "FX-G10", "net_base": 1250000.0, "usd_equivalent": 1353187.5}]}
    tool_message = ToolMessage(json.dumps(result), tool_call_id=call.tool_calls[0]["id"], name="get_net_open_position")
    answer = bound.invoke([HumanMessage(SEED), call, tool_message])
    assert not answer.tool_calls
    assert "EURUSD" in answer.content
    assert "1,250,000" in answer.content and "1,353,187.5" in answer.content
    assert unsupported_numbers(answer.content, [result]) == []


def test_stream_yields_word_chunks_that_add_up_to_the_invoke_answer(model):
    messages = [HumanMessage("hello there")]
    chunks = list(model.stream(messages))
    assert len(chunks) > 3
    assert "".join(c.content for c in chunks) == model.invoke(messages).content


def test_stream_carries_tool_calls_as_tool_call_chunks(model):
    bound = model.bind_tools(desk_tools("position_risk"))
    chunks = list(bound.stream([HumanMessage("what if I buy 20m cable")]))
    assert any(c.tool_call_chunks for c in chunks)
    total = chunks[0]
    for chunk in chunks[1:]:
        total = total + chunk
    assert [(c["name"], c["args"]) for c in total.tool_calls] == [
        ("what_if_trade", {"pair": "GBPUSD", "side": "buy", "notional": 20_000_000.0})]
    assert total.response_metadata["model_provider"] == "offline"


def test_compose_mode_joins_desk_answers_under_headings(model):
    messages = [HumanMessage("would buying 20m cable breach my limits?"),
                AIMessage("Position answer", name="position_risk"), AIMessage("Compliance answer", name="compliance")]
    reply = model.invoke(messages)
    assert "Position answer" in reply.content and "Compliance answer" in reply.content
    assert reply.content.index("Position answer") < reply.content.index("Compliance answer")
    assert "### Position risk" in reply.content
