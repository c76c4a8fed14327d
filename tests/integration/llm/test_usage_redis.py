"""Usage and cost kept in Redis: replicas share totals that equal what the servers reported."""

from decimal import Decimal

import redis

from tests.integration.llm.conftest import make_chain, make_env
from tests.protocol_servers import Fault, Reply


def test_token_and_cost_totals_equal_the_servers_reports_across_replicas(
        openai_server, groq_server, redis_url, redis_prefix):
    openai_server.reply = Reply(text="from openai", input_tokens=1000, output_tokens=200)
    groq_server.reply = Reply(text="from groq", input_tokens=300, output_tokens=50)
    env = make_env(openai=openai_server, groq=groq_server)
    client = redis.Redis.from_url(redis_url)
    replica_a = make_chain("openai,groq", env, redis_client=client, redis_prefix=redis_prefix, cache=False)
    replica_b = make_chain("openai,groq", env, redis_client=client, redis_prefix=redis_prefix, cache=False)

    for _ in range(3):
        replica_a.for_agent("x").invoke("hi")
    list(replica_b.for_agent("x").stream("hi"))
    openai_server.inject(Fault.http(500))
    replica_b.for_agent("x").invoke("hi")  # openai fails once, groq answers

    report_a, report_b = replica_a.usage(), replica_b.usage()
    assert report_a == report_b and report_a.store == "redis"
    rows = {r.provider: r for r in report_a.models}
    assert (rows["openai"].input_tokens, rows["openai"].output_tokens) == openai_server.reported_usage() == (4000, 800)
    assert (rows["groq"].input_tokens, rows["groq"].output_tokens) == groq_server.reported_usage() == (300, 50)
    assert rows["openai"].requests == 5 and rows["openai"].failures == {"server_error": 1}
    assert rows["openai"].fallbacks == 1 and rows["groq"].successes == 1
    # gpt-4o-mini $0.15/$0.60 per M: 4000*0.15e-6 + 800*0.60e-6 = 0.0006 + 0.00048 = 0.00108
    # llama-3.3-70b $0.59/$0.79 per M: 300*0.59e-6 + 50*0.79e-6 = 0.000177 + 0.0000395 = 0.0002165
    assert rows["openai"].cost_usd == Decimal("0.00108")
    assert rows["groq"].cost_usd == Decimal("0.0002165")
    assert report_a.cost_usd == Decimal("0.0012965")
    assert report_a.input_tokens == 4300 and report_a.output_tokens == 850
    assert rows["openai"].latency_p50_ms is not None
    assert client.exists(f"{redis_prefix}usage:openai|gpt-4o-mini")
    client.close()


def test_price_override_from_config_is_used(openai_server, redis_url, redis_prefix):
    from llm.prices import Price

    openai_server.reply = Reply(input_tokens=10, output_tokens=10)
    client = redis.Redis.from_url(redis_url)
    chain = make_chain("openai", make_env(openai=openai_server), redis_client=client, redis_prefix=redis_prefix,
                       prices={"gpt-4o-mini": Price(input=Decimal("1"), output=Decimal("3"))})
    chain.for_agent("x").invoke("hi")
    assert chain.usage().cost_usd == Decimal("0.00004")  # 10*1e-6 + 10*3e-6
    client.close()
