"""The circuit breaker around a real SDK client: open, skip at no cost, half-open probe, close."""

from llm.breaker import CircuitBreaker
from tests.integration.llm.conftest import make_chain, make_env
from tests.protocol_servers import Fault

COOLDOWN = 0.4


class _Clock:
    """The breaker's clock, moved by the test: a loaded machine cannot stretch "while open" past the cooldown."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_breaker_opens_skips_probes_once_and_closes(openai_server, groq_server):
    openai_server.always(Fault.http(500))
    chain = make_chain("openai,groq", make_env(openai=openai_server, groq=groq_server),
                       breaker_threshold=2, breaker_cooldown=COOLDOWN)
    clock = _Clock()
    [openai_link] = [link for link in chain.links if link.name == "openai"]
    openai_link.breaker = CircuitBreaker(failure_threshold=2, cooldown=COOLDOWN, clock=clock)
    runnable = chain.for_agent("x")

    for _ in range(2):
        assert runnable.invoke("hi").response_metadata["fxdesk_fallbacks"] == ["openai"]
    assert openai_server.calls == 2 and chain.health("openai").breaker == "open"
    assert chain.health("openai").status == "down"

    for _ in range(5):  # open: skipped without a request
        assert runnable.invoke("hi").response_metadata["model_provider"] == "groq"
    assert openai_server.calls == 2

    clock.sleep(COOLDOWN + 0.05)
    assert chain.health("openai").breaker == "half_open"
    runnable.invoke("hi")  # the one probe fails: open again
    assert openai_server.calls == 3 and chain.health("openai").breaker == "open"
    runnable.invoke("hi")
    assert openai_server.calls == 3

    openai_server.always(None)
    clock.sleep(COOLDOWN + 0.05)
    message = runnable.invoke("hi")  # the probe succeeds: closed
    assert message.response_metadata["model_provider"] == "openai"
    assert message.response_metadata["fxdesk_fallbacks"] == []
    assert chain.health("openai").breaker == "closed" and chain.health("openai").status == "up"
    runnable.invoke("hi")
    assert openai_server.calls == 5

    [row] = [r for r in chain.usage().models if r.provider == "openai"]
    assert row.failures == {"server_error": 3, "breaker_open": 6}
    assert row.fallbacks == 9 and row.successes == 2


def test_rate_limits_do_not_open_the_breaker(openai_server, groq_server):
    openai_server.always(Fault.http(429, retry_after=0.01))
    chain = make_chain("openai,groq", make_env(openai=openai_server, groq=groq_server), breaker_threshold=1)
    chain.for_agent("x").invoke("hi")
    assert chain.health("openai").breaker == "closed"
