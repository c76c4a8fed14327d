"""Real langchain-openai / openai SDK over HTTP against a local chat-completions server."""

import time
from collections import Counter

import pytest
from langchain_core.tools import StructuredTool

from llm.errors import BadRequest, Retryable
from tests.integration.llm.conftest import OFFLINE_TEXT, make_chain, make_env
from tests.protocol_servers import Fault, Reply
from tools.position_risk.args import NetOpenPositionArgs


def _join(chunks):
    out = chunks[0]
    for chunk in chunks[1:]:
        out = out + chunk
    return out


def net_open_position_tool() -> StructuredTool:
    return StructuredTool.from_function(lambda **kw: kw, name="get_net_open_position",
                                        description="Net open position per currency.",
                                        args_schema=NetOpenPositionArgs)


def test_answer_carries_server_usage_and_provider_metadata(openai_server):
    chain = make_chain("openai", make_env(openai=openai_server))
    message = chain.for_agent("position_risk").invoke("What is my EURUSD position?")
    assert message.content == openai_server.reply.text
    assert message.response_metadata["model_provider"] == "openai"
    assert message.response_metadata["model_name"] == "gpt-4o-mini"
    assert message.usage_metadata["input_tokens"] == 21 and message.usage_metadata["output_tokens"] == 9
    assert openai_server.requests[0].body["messages"][-1]["content"] == "What is my EURUSD position?"


def test_keys_rotate_round_robin_evenly(openai_server):
    chain = make_chain("openai", make_env(openai=openai_server, openai_keys=("sk-a", "sk-b", "sk-c")))
    runnable = chain.for_agent("x")
    for _ in range(9):
        runnable.invoke("hi")
    assert Counter(openai_server.keys_seen()) == {"sk-a": 3, "sk-b": 3, "sk-c": 3}


def test_revoked_key_is_cooled_and_the_others_serve(openai_server):
    openai_server.revoke("sk-b")
    chain = make_chain("openai", make_env(openai=openai_server, openai_keys=("sk-a", "sk-b", "sk-c")),
                       max_retries=1)
    runnable = chain.for_agent("x")
    answers = [runnable.invoke("hi") for _ in range(8)]
    assert all(a.response_metadata["fxdesk_fallbacks"] == [] for a in answers)
    seen = Counter(openai_server.keys_seen())
    assert seen["sk-b"] == 1 and seen["sk-a"] + seen["sk-c"] == 8 and abs(seen["sk-a"] - seen["sk-c"]) <= 1
    health = chain.health("openai")
    assert len(health.keys_cooling) == 1 and health.status == "degraded"
    assert chain.usage().models[0].failures == {"key_rejected": 1}


def test_retry_after_is_honoured_before_the_retry(openai_server):
    openai_server.inject(Fault.http(429, retry_after=1))
    chain = make_chain("openai", make_env(openai=openai_server), max_retries=2)
    started = time.perf_counter()
    message = chain.for_agent("x").invoke("hi")
    elapsed = time.perf_counter() - started
    assert message.response_metadata["fxdesk_fallbacks"] == []
    # It waited the 1 s the server asked for (a lower bound a busy machine cannot break; issue 12).
    assert openai_server.calls == 2 and elapsed >= 1.0


def test_retry_after_longer_than_max_wait_falls_through_at_once(openai_server, groq_server):
    openai_server.inject(Fault.http(429, retry_after=30))
    chain = make_chain("openai,groq", make_env(openai=openai_server, groq=groq_server), max_retries=3, max_wait=2)
    message = chain.for_agent("x").invoke("hi")
    # Fell through without a retry: one call to openai, then groq (no timing asserted; issue 12).
    assert message.response_metadata["fxdesk_fallbacks"] == ["openai"] and openai_server.calls == 1


def test_server_errors_are_retried_with_backoff_then_succeed(openai_server):
    openai_server.inject(Fault.http(500), times=2)
    chain = make_chain("openai", make_env(openai=openai_server), max_retries=2)
    message = chain.for_agent("x").invoke("hi")
    assert openai_server.calls == 3 and message.response_metadata["fxdesk_fallbacks"] == []
    [row] = [r for r in chain.usage().models if r.provider == "openai"]
    assert (row.requests, row.successes, row.failures) == (3, 1, {"server_error": 2})


def test_bad_request_is_not_retried_and_not_hidden(openai_server, groq_server):
    openai_server.inject(Fault.http(400))
    chain = make_chain("openai,groq", make_env(openai=openai_server, groq=groq_server), max_retries=3)
    with pytest.raises(BadRequest) as info:
        chain.for_agent("x").invoke("hi")
    assert info.value.status == 400 and openai_server.calls == 1 and groq_server.calls == 0


def test_hang_past_timeout_falls_to_the_next_provider(openai_server, groq_server):
    openai_server.always(Fault("hang", seconds=30))
    chain = make_chain("openai,groq", make_env(openai=openai_server, groq=groq_server), timeout=0.3)
    message = chain.for_agent("x").invoke("hi")
    # Gave up on the hang as a timeout and answered from groq (no timing asserted; issue 12).
    assert message.response_metadata["model_provider"] == "groq"
    assert message.response_metadata["fxdesk_fallbacks"] == ["openai"]
    assert chain.usage().models[1].failures == {"timeout": 1}


def test_truncated_json_is_a_typed_malformed_error_and_falls_through(openai_server):
    openai_server.always(Fault("truncated"))
    chain = make_chain("openai", make_env(openai=openai_server))
    message = chain.for_agent("x").invoke("hi")
    assert message.content == OFFLINE_TEXT and message.response_metadata["fxdesk_fallbacks"] == ["openai"]
    assert chain.usage().models[1].failures == {"malformed": 1}
    assert "malformed" in chain.health("openai").last_error


def test_truncated_json_alone_raises_retryable_malformed(openai_server):
    openai_server.always(Fault("truncated"))
    chain = make_chain("openai", make_env(openai=openai_server))
    bound = chain.links[0].bind()
    from llm.calls import invoke_link
    with pytest.raises(Retryable) as info:
        invoke_link(bound, "hi", None)
    assert info.value.kind == "malformed" and info.value.provider == "openai"


@pytest.mark.parametrize("arguments", ['{"book": "FX-G10", ', '{"book": 10}', '{"pair": ["EUR", "USD"]}'])
def test_invalid_tool_arguments_fall_through_to_next_link(openai_server, groq_server, arguments):
    openai_server.always(Fault("bad_tool_args", arguments=arguments))
    groq_server.reply = Reply(text="", tool_calls=[("get_net_open_position", {"book": "FX-G10", "pair": "EURUSD"})])
    chain = make_chain("openai,groq", make_env(openai=openai_server, groq=groq_server))
    message = chain.for_agent("position_risk", [net_open_position_tool()]).invoke("EURUSD position in FX-G10?")
    assert message.tool_calls[0]["args"] == {"book": "FX-G10", "pair": "EURUSD"}
    assert message.response_metadata["fxdesk_fallbacks"] == ["openai"]
    assert openai_server.requests[0].body["tools"][0]["function"]["name"] == "get_net_open_position"


def test_stream_reports_usage_chunk_and_counts_tokens(openai_server):
    chain = make_chain("openai", make_env(openai=openai_server))
    chunks = list(chain.for_agent("x").stream("hi"))
    whole = _join(chunks)
    assert whole.content.strip() == openai_server.reply.text
    assert openai_server.requests[0].body["stream_options"] == {"include_usage": True}
    assert whole.usage_metadata["input_tokens"] == 21 and whole.usage_metadata["output_tokens"] == 9
    [row] = [r for r in chain.usage().models if r.provider == "openai"]
    assert (row.input_tokens, row.output_tokens, row.successes) == (21, 9, 1)


def test_stream_falls_back_before_the_first_token(openai_server, groq_server):
    openai_server.always(Fault.http(503))
    groq_server.reply = Reply(text="groq streams this answer")
    chain = make_chain("openai,groq", make_env(openai=openai_server, groq=groq_server))
    chunks = list(chain.for_agent("x").stream("hi"))
    whole = _join(chunks)
    assert whole.content.strip() == "groq streams this answer"
    assert whole.response_metadata["fxdesk_fallbacks"] == ["openai"]
    assert whole.response_metadata["model_provider"] == "groq"
    assert whole.usage_metadata["output_tokens"] == 9


def test_stream_truncated_by_the_server_after_tokens_raises_typed_error(openai_server, groq_server):
    openai_server.inject(Fault("drop_mid_stream"))
    chain = make_chain("openai,groq", make_env(openai=openai_server, groq=groq_server))
    received = []
    with pytest.raises(Retryable) as info:
        for chunk in chain.for_agent("x").stream("hi"):
            received.append(chunk.content)
    # the openai SDK ends the stream quietly when the connection drops: no finish reason gives it away
    assert "".join(received).strip() == "EURUSD net" and groq_server.calls == 0
    assert info.value.kind == "malformed" and "finish" in str(info.value)


async def test_async_invoke_and_stream_fall_back(openai_server, groq_server):
    openai_server.always(Fault.http(500))
    chain = make_chain("openai,groq", make_env(openai=openai_server, groq=groq_server))
    runnable = chain.for_agent("x")
    message = await runnable.ainvoke("hi")
    chunks = [c async for c in runnable.astream("hi")]
    assert message.response_metadata["fxdesk_fallbacks"] == ["openai"]
    assert _join(chunks).response_metadata["fxdesk_fallbacks"] == ["openai"]


def test_stream_from_a_hanging_primary_falls_back_after_the_timeout(openai_server, groq_server):
    openai_server.always(Fault("hang", seconds=30))
    chain = make_chain("openai,groq", make_env(openai=openai_server, groq=groq_server), timeout=0.3)
    whole = _join(list(chain.for_agent("x").stream("hi")))
    assert whole.response_metadata["fxdesk_fallbacks"] == ["openai"] and whole.content.strip()


def test_concurrent_callers_share_the_key_rotation_evenly(openai_server):
    from concurrent.futures import ThreadPoolExecutor

    chain = make_chain("openai", make_env(openai=openai_server, openai_keys=("sk-a", "sk-b")))
    runnable = chain.for_agent("x")
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda _: runnable.invoke("hi"), range(20)))
    assert Counter(openai_server.keys_seen()) == {"sk-a": 10, "sk-b": 10}
