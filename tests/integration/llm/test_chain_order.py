"""The whole chain from configuration: order of fallback down to the offline model."""

import redis

from llm.config import load_models
from tests.integration.llm.conftest import OFFLINE_TEXT, make_chain, make_env
from tests.protocol_servers import Fault

CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0"


def test_fallback_order_is_configuration_order_down_to_offline(openai_server, groq_server, bedrock_server):
    env = make_env(openai=openai_server, groq=groq_server, bedrock=bedrock_server)
    chain = make_chain(f"groq,openai,bedrock:{CLAUDE}", env)
    runnable = chain.for_agent("x")
    answered = []
    for server in (groq_server, openai_server, bedrock_server):
        message = runnable.invoke("hi")
        answered.append((message.response_metadata["model_provider"], message.response_metadata["fxdesk_fallbacks"]))
        server.always(Fault.http(503))
    message = runnable.invoke("hi")
    answered.append((message.response_metadata["model_provider"], message.response_metadata["fxdesk_fallbacks"]))
    assert answered == [("groq", []), ("openai", ["groq"]), ("bedrock", ["groq", "openai"]),
                        ("offline", ["groq", "openai", "bedrock"])]
    assert message.content == OFFLINE_TEXT
    assert (groq_server.calls, openai_server.calls, bedrock_server.calls) == (4, 3, 2)


def test_load_models_reads_fxdesk_models_and_the_real_offline_model_closes_the_chain(
        openai_server, groq_server, redis_url, redis_prefix):
    env = {**make_env(openai=openai_server, groq=groq_server), "FXDESK_MODELS": "groq,openai:gpt-4o-mini",
           "FXDESK_REDIS_URL": redis_url, "FXDESK_LLM_PREFIX": redis_prefix, "FXDESK_LLM_MAX_RETRIES": "0"}
    chain = load_models(env)
    assert chain.names == ["groq", "openai", "offline"]
    groq_server.always(Fault.http(500))
    openai_server.always(Fault.http(500))
    message = chain.for_agent("supervisor").invoke("hello")
    assert message.response_metadata["model_provider"] == "offline"
    assert message.response_metadata["fxdesk_fallbacks"] == ["groq", "openai"]
    assert message.content
    assert chain.usage().store == "redis"
    redis.Redis.from_url(redis_url).close()
