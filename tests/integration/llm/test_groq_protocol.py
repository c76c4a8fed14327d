"""Real langchain-groq / groq SDK over HTTP against a local Groq-compatible server."""

from collections import Counter

from tests.integration.llm.conftest import make_chain, make_env
from tests.protocol_servers import Fault, Reply


def test_groq_invoke_uses_the_openai_compatible_path_and_reports_usage(groq_server):
    groq_server.reply = Reply(text="GBP limit at 63%", input_tokens=40, output_tokens=6)
    chain = make_chain("groq:llama-3.3-70b-versatile", make_env(groq=groq_server))
    message = chain.for_agent("compliance").invoke("GBP limit?")
    assert groq_server.requests[0].path == "/openai/v1/chat/completions"
    assert groq_server.requests[0].body["model"] == "llama-3.3-70b-versatile"
    assert message.content == "GBP limit at 63%" and message.response_metadata["model_provider"] == "groq"
    assert message.usage_metadata["input_tokens"] == 40 and message.usage_metadata["output_tokens"] == 6


def test_groq_stream_reads_usage_from_x_groq(groq_server):
    groq_server.reply = Reply(text="streamed from groq", input_tokens=33, output_tokens=4)
    chain = make_chain("groq", make_env(groq=groq_server))
    chunks = list(chain.for_agent("x").stream("hi"))
    whole = chunks[0]
    for chunk in chunks[1:]:
        whole = whole + chunk
    assert whole.content.strip() == "streamed from groq"
    assert (whole.usage_metadata["input_tokens"], whole.usage_metadata["output_tokens"]) == (33, 4)
    [row] = [r for r in chain.usage().models if r.provider == "groq"]
    assert (row.input_tokens, row.output_tokens) == (33, 4)


def test_groq_rate_limited_key_sits_out_and_the_other_key_serves(groq_server):
    groq_server.inject(Fault.http(429, retry_after=20))
    chain = make_chain("groq", make_env(groq=groq_server, groq_keys=("gsk-1", "gsk-2")), max_retries=1)
    runnable = chain.for_agent("x")
    answers = [runnable.invoke("hi") for _ in range(4)]
    assert all(a.response_metadata["fxdesk_fallbacks"] == [] for a in answers)
    # call 1 on gsk-1 got 429; the retry and every later call go to gsk-2 while gsk-1 cools for 20 s
    assert groq_server.keys_seen() == ["gsk-1", "gsk-2", "gsk-2", "gsk-2", "gsk-2"]
    assert Counter(groq_server.keys_seen())["gsk-1"] == 1
