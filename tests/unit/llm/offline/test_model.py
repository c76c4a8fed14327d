"""The OfflineChatModel contract: modes from bound tools, metadata, tool calls and streaming."""

from __future__ import annotations

import json

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from llm.offline import OfflineChatModel, unsupported_numbers
from tests.unit.llm.offline.catalog_tools import desk_tools, handoff_tools
from tools.contract import offline_tables

SEED = "What's my EUR/USD exposure today?"


def test_offline_model_is_a_chat_model_with_the_contract_type():
    model = OfflineChatModel(tables=offline_tables())
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
    # Shaped like tools/position_risk get_net_open_position: long 1.25m EURUSD at 1.08 marked at 1.0825.
    result = {"status": "ok", "as_of": "2026-11-20", "scope": {"books": ["FX-G10"], "customers": 15},
              "pair": "EURUSD", "currency": None,
              "currencies": [{"book": "FX-G10", "currency": "EUR", "position": 1250000.0, "usd_rate": 1.0825,
                              "usd_equivalent": 1353125.0},
                             {"book": "FX-G10", "currency": "USD", "position": -1350000.0, "usd_rate": 1.0,
                              "usd_equivalent": -1350000.0}],
              "pairs": [{"book": "FX-G10", "pair": "EURUSD", "net_base": 1250000.0, "net_quote": -1350000.0,
                         "average_rate": 1.08, "close": 1.0825, "base_usd_equivalent": 1353125.0,
                         "unrealised_pnl_usd": 3125.0, "open_trades": 2}],
              "books": [{"book": "FX-G10", "gross_usd": 1353125.0, "net_usd": 1353125.0}]}
    tool_message = ToolMessage(json.dumps(result), tool_call_id=call.tool_calls[0]["id"], name="get_net_open_position")
    answer = bound.invoke([HumanMessage(SEED), call, tool_message])
    assert not answer.tool_calls
    assert "EURUSD" in answer.content
    assert "long 1,250,000 EUR" in answer.content
    assert "USD equivalent 1,353,125 USD" in answer.content
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


def test_tool_choice_by_name_restricts_the_call_to_that_tool(model):
    bound = model.bind_tools(desk_tools("position_risk"), tool_choice="get_var")
    reply = bound.invoke([HumanMessage("EUR/USD exposure in the G10 book")])
    assert [(c["name"], c["args"]) for c in reply.tool_calls] == [("get_var", {"book": "FX-G10"})]


def test_tool_choice_none_answers_without_tool_calls(model):
    bound = model.bind_tools(desk_tools("position_risk"), tool_choice="none")
    reply = bound.invoke([HumanMessage("hello")])
    assert reply.tool_calls == [] and reply.content


def test_streaming_reports_tokens_to_callbacks(model):
    from langchain_core.callbacks import BaseCallbackHandler

    class Tokens(BaseCallbackHandler):
        def __init__(self):
            self.tokens = []

        def on_llm_new_token(self, token, **kwargs):
            self.tokens.append(token)

    handler = Tokens()
    text = "".join(c.content for c in model.stream([HumanMessage("help")], config={"callbacks": [handler]}))
    assert "".join(handler.tokens) == text and len(handler.tokens) > 5


async def test_async_stream_and_invoke_match_sync(model):
    bound = model.bind_tools(desk_tools("compliance"))
    messages = [HumanMessage("can I buy 5m USDTRY for Cust310?")]
    chunks = [c async for c in bound.astream(messages)]
    total = chunks[0]
    for chunk in chunks[1:]:
        total = total + chunk
    sync = bound.invoke(messages)
    assert total.tool_calls == sync.tool_calls == (await bound.ainvoke(messages)).tool_calls
    assert sync.tool_calls[0]["args"] == {"pair": "USDTRY", "side": "buy", "notional": 5e6, "customer": "Cust310"}


def test_usage_metadata_is_reported(model):
    reply = model.invoke([HumanMessage("hello there")])
    usage = reply.usage_metadata
    assert usage["input_tokens"] == 2 and usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
