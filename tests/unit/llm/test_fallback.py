import asyncio

import pytest
from langchain_core.messages import AIMessage

from llm.errors import BadRequest, Retryable
from tests.unit.llm.llm_fakes import Partial, ScriptedModel, answer, make_chain, status_error, timeout_error


def total(chunks):
    out = chunks[0]
    for chunk in chunks[1:]:
        out = out + chunk
    return out


def test_first_healthy_link_answers_with_provider_metadata():
    a, b = ScriptedModel(script=[answer("from a")]), ScriptedModel(script=[answer("from b")])
    message = make_chain(("a", a), ("b", b)).for_agent("risk").invoke("hi")
    assert message.content == "from a" and b.calls == 0
    assert message.response_metadata["model_provider"] == "a"
    assert message.response_metadata["model_name"] == "a-model"
    assert message.response_metadata["fxdesk_fallbacks"] == []


def test_failures_fall_through_in_order_and_are_listed():
    a = ScriptedModel(script=[status_error(500)])
    b = ScriptedModel(script=[timeout_error()])
    c = ScriptedModel(script=[answer("from c")])
    chain = make_chain(("a", a), ("b", b), ("c", c))
    message = chain.for_agent("risk").invoke("hi")
    assert message.content == "from c"
    assert message.response_metadata["fxdesk_fallbacks"] == ["a", "b"]
    fallbacks = {row.provider: row.fallbacks for row in chain.usage().models}
    assert fallbacks == {"a": 1, "b": 1, "c": 0}


def test_retry_within_a_link_before_falling_through():
    a = ScriptedModel(script=[status_error(503), status_error(500), answer("third time")])
    message = make_chain(("a", a), ("b", ScriptedModel(script=[answer("b")])), retries=2).for_agent("x").invoke("q")
    assert message.content == "third time" and a.calls == 3


def test_bad_request_is_neither_retried_nor_hidden():
    a = ScriptedModel(script=[status_error(400)])
    b = ScriptedModel(script=[answer("b")])
    with pytest.raises(BadRequest) as info:
        make_chain(("a", a), ("b", b), retries=3).for_agent("x").invoke("q")
    assert info.value.status == 400 and a.calls == 1 and b.calls == 0


def test_unknown_exception_propagates_unchanged():
    a = ScriptedModel(script=[RuntimeError("bug in our code")])
    with pytest.raises(RuntimeError, match="bug in our code"):
        make_chain(("a", a), ("b", ScriptedModel(script=[answer()]))).for_agent("x").invoke("q")


def test_every_link_failing_raises_the_last_typed_error():
    chain = make_chain(("a", ScriptedModel(script=[status_error(500)])),
                       ("b", ScriptedModel(script=[timeout_error()])))
    with pytest.raises(Retryable) as info:
        chain.for_agent("x").invoke("q")
    assert info.value.kind == "timeout" and info.value.provider == "b"


def test_invalid_tool_call_falls_through_to_next_link():
    bad = AIMessage(content="", tool_calls=[{"name": "get_var", "args": {"confidence": "high"}, "id": "1"}])
    good = AIMessage(content="", tool_calls=[{"name": "get_var", "args": {"confidence": 0.99}, "id": "1"}])
    tool = {"type": "function", "function": {"name": "get_var", "description": "VaR", "parameters": {
        "type": "object", "properties": {"confidence": {"type": "number"}}, "required": []}}}
    chain = make_chain(("a", ScriptedModel(script=[bad])), ("b", ScriptedModel(script=[good])))
    message = chain.for_agent("risk", [tool]).invoke("var?")
    assert message.tool_calls[0]["args"] == {"confidence": 0.99}
    assert message.response_metadata["fxdesk_fallbacks"] == ["a"]
    assert chain.usage().models[0].failures == {"malformed": 1}


def test_tools_are_bound_on_every_link_before_chaining():
    a, b = ScriptedModel(script=[status_error(500)]), ScriptedModel(script=[answer()])
    tool = {"type": "function", "function": {"name": "t", "description": "d", "parameters": {"type": "object"}}}
    make_chain(("a", a), ("b", b)).for_agent("x", [tool])
    assert a.bound == [tool] and b.bound == [tool]


def test_stream_falls_back_before_first_token_and_stamps_first_chunk_only():
    a = ScriptedModel(script=[status_error(502)])
    b = ScriptedModel(script=[answer("long EUR")])
    chunks = list(make_chain(("a", a), ("b", b)).for_agent("x").stream("q"))
    whole = total(chunks)
    assert whole.content.strip() == "long EUR"
    assert whole.response_metadata["fxdesk_fallbacks"] == ["a"]
    assert whole.response_metadata["model_name"] == "b-model"  # not repeated per chunk
    assert whole.response_metadata["model_provider"] == "b"


def test_stream_failing_after_first_token_raises_typed_error_without_fallback():
    a = ScriptedModel(script=[Partial(["long ", "EUR "], timeout_error())])
    b = ScriptedModel(script=[answer("b")])
    got = []
    with pytest.raises(Retryable) as info:
        for chunk in make_chain(("a", a), ("b", b)).for_agent("x").stream("q"):
            got.append(chunk.content)
    assert got == ["long ", "EUR "] and info.value.kind == "timeout" and b.calls == 0


def test_stream_tool_call_is_held_and_validated_before_release():
    bad = AIMessage(content="", tool_calls=[{"name": "nope", "args": {}, "id": "1"}])
    good = AIMessage(content="", tool_calls=[{"name": "t", "args": {}, "id": "1"}])
    tool = {"type": "function", "function": {"name": "t", "description": "d", "parameters": {"type": "object"}}}
    chain = make_chain(("a", ScriptedModel(script=[bad])), ("b", ScriptedModel(script=[good])))
    whole = total(list(chain.for_agent("x", [tool]).stream("q")))
    assert whole.tool_calls[0]["name"] == "t" and whole.response_metadata["fxdesk_fallbacks"] == ["a"]


def test_breaker_open_link_is_skipped_without_calling_it():
    a = ScriptedModel(script=[status_error(500)])
    b = ScriptedModel(script=[answer()])
    runnable = make_chain(("a", a), ("b", b), threshold=2).for_agent("x")
    for _ in range(5):
        runnable.invoke("q")
    assert a.calls == 2 and b.calls == 5


def test_async_invoke_and_stream_fall_back_too():
    a = ScriptedModel(script=[status_error(500)])
    b = ScriptedModel(script=[answer("async b")])
    runnable = make_chain(("a", a), ("b", b), threshold=100).for_agent("x")

    async def run():
        message = await runnable.ainvoke("q")
        chunks = [c async for c in runnable.astream("q")]
        return message, total(chunks)

    message, streamed = asyncio.run(run())
    assert message.content == "async b" and message.response_metadata["fxdesk_fallbacks"] == ["a"]
    assert streamed.content.strip() == "async b" and streamed.response_metadata["fxdesk_fallbacks"] == ["a"]


def test_key_rejected_cools_that_key_and_the_next_key_serves():
    model = ScriptedModel(script=[status_error(401), answer("k2"), answer("k2 again")])
    chain = make_chain(("a", model), ("b", ScriptedModel(script=[answer("b")])), keys=["k1", "k2"], retries=1)
    runnable = chain.for_agent("x")
    assert runnable.invoke("q").content == "k2"
    assert runnable.invoke("q").content == "k2 again"  # k1 is cooling: k2 serves again
    health = chain.health("a")
    assert health.status == "degraded" and len(health.keys_cooling) == 1


def test_not_found_model_is_not_retried_but_falls_through():
    a = ScriptedModel(script=[status_error(404)])
    message = make_chain(("a", a), ("b", ScriptedModel(script=[answer("b")])), retries=3).for_agent("x").invoke("q")
    assert a.calls == 1 and message.response_metadata["fxdesk_fallbacks"] == ["a"]


def test_missing_credentials_skip_the_link_without_retry():
    from botocore.exceptions import NoCredentialsError

    a = ScriptedModel(script=[NoCredentialsError()])
    chain = make_chain(("a", a), ("b", ScriptedModel(script=[answer("b")])), retries=3)
    message = chain.for_agent("x").invoke("q")
    assert a.calls == 1 and message.response_metadata["fxdesk_fallbacks"] == ["a"]
    assert chain.usage().models[0].failures == {"no_key": 1}
