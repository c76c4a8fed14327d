"""Exact-match Redis response cache: hits save a request; different tool results never share an answer."""

import redis
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from tests.integration.llm.conftest import make_chain, make_env
from tests.protocol_servers import Reply


def conversation(tool_result: str) -> list:
    return [HumanMessage("What is my EURUSD position?"),
            AIMessage(content="", tool_calls=[{"name": "get_net_open_position", "args": {"pair": "EURUSD"},
                                               "id": "call_1"}]),
            ToolMessage(content=tool_result, tool_call_id="call_1")]


def echo_tool_result(body: dict) -> Reply:
    tool = [m for m in body["messages"] if m["role"] == "tool"]
    return Reply(text=f"Your position: {tool[-1]['content'] if tool else 'none'}", input_tokens=50, output_tokens=8)


def test_users_with_different_tool_results_never_share_a_cached_answer(openai_server, redis_url, redis_prefix):
    openai_server.reply_for = echo_tool_result
    client = redis.Redis.from_url(redis_url)
    chain = make_chain("openai", make_env(openai=openai_server), redis_client=client, redis_prefix=redis_prefix)
    runnable = chain.for_agent("position_risk")
    aruna, li = conversation('{"EUR": 1000000}'), conversation('{"EUR": -250000}')

    first = [runnable.invoke(aruna).content, runnable.invoke(li).content]
    again = [runnable.invoke(aruna).content, runnable.invoke(li).content]

    assert first == again == ['Your position: {"EUR": 1000000}', 'Your position: {"EUR": -250000}']
    assert openai_server.calls == 2  # the repeats were served from Redis
    report = chain.usage()
    assert (report.cache.hits, report.cache.misses) == (2, 2)
    [row] = [r for r in report.models if r.provider == "openai"]
    assert row.cache_hits == 2 and row.input_tokens == 100 and row.successes == 2  # hits are not billed twice
    client.close()


def test_bound_tools_are_part_of_the_cache_key(openai_server, redis_url, redis_prefix):
    client = redis.Redis.from_url(redis_url)
    chain = make_chain("openai", make_env(openai=openai_server), redis_client=client, redis_prefix=redis_prefix)
    tool = {"type": "function", "function": {"name": "get_var", "description": "VaR",
                                             "parameters": {"type": "object", "properties": {}}}}
    chain.for_agent("a").invoke("hi")
    chain.for_agent("a", [tool]).invoke("hi")
    chain.for_agent("a").invoke("hi")
    assert openai_server.calls == 2
    client.close()


def test_cache_entries_expire_with_the_ttl(openai_server, redis_url, redis_prefix):
    client = redis.Redis.from_url(redis_url)
    chain = make_chain("openai", make_env(openai=openai_server), redis_client=client, redis_prefix=redis_prefix,
                       cache_ttl=60)
    chain.for_agent("a").invoke("hi")
    [key] = [k for k in client.scan_iter(match=f"{redis_prefix}cache:*") if not k.endswith(b"stats")]
    assert 0 < client.ttl(key) <= 60
    client.close()
