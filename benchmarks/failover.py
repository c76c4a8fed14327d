"""Failover cost of the provider chain, over real SDK clients and loopback protocol servers.

Run: uv run python benchmarks/failover.py [--requests N]

Scenarios (primary = openai link, secondary = groq link, both local servers on 127.0.0.1):
  secondary alone          the floor: one healthy provider, nothing in front of it
  healthy primary          primary answers
  primary 500s, closed     primary answers 500 at once, breaker never opens (threshold huge)
  primary 500s, open       primary answers 500, breaker opens after 3 and stays open
  primary hangs, closed    primary hangs past the 0.2 s timeout every time (breaker never opens)
  primary hangs, open      primary hangs, breaker opened after 3 timeouts: skipped at no cost
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from llm.config import build_chain  # noqa: E402
from llm.settings import ChainSettings, ModelSpec  # noqa: E402
from tests.protocol_servers import Fault, GroqServer, OpenAIServer  # noqa: E402

TIMEOUT = 0.2


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]


def run(name, primary, secondary, providers, n, *, fault=None, threshold=10**6, warmup=20):
    primary.always(None)
    primary.clear()
    env = {"OPENAI_API_KEY": "sk-bench", "OPENAI_BASE_URL": primary.base_url,
           "GROQ_API_KEY": "gsk-bench", "GROQ_BASE_URL": secondary.base_url}
    specs = [ModelSpec(provider=p) for p in providers]
    chain = build_chain(ChainSettings(models=specs, timeout=TIMEOUT, max_retries=0, breaker_threshold=threshold,
                                      breaker_cooldown=3600), env)
    runnable = chain.for_agent("bench")
    if fault is not None:
        primary.always(fault)
    for _ in range(warmup):  # connection pools, lazy imports, and (when it may) the breaker opening
        runnable.invoke("What is my EURUSD position?")
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        message = runnable.invoke("What is my EURUSD position?")
        samples.append((time.perf_counter() - started) * 1000)
    who = message.response_metadata["model_provider"]
    breaker = chain.health(chain.names[0]).breaker
    return {"name": name, "n": n, "p50": statistics.median(samples), "p99": percentile(samples, 99),
            "answered_by": who, "breaker": breaker, "primary_calls": primary.calls}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    n = args.requests
    with OpenAIServer(model="gpt-4o-mini") as primary, GroqServer() as secondary:
        rows = [
            run("secondary alone", primary, secondary, ["groq"], n),
            run("healthy primary", primary, secondary, ["openai", "groq"], n),
            run("primary 500s, breaker closed", primary, secondary, ["openai", "groq"], n,
                fault=Fault.http(500)),
            run("primary 500s, breaker open", primary, secondary, ["openai", "groq"], n,
                fault=Fault.http(500), threshold=3),
            run("primary hangs, breaker closed", primary, secondary, ["openai", "groq"], max(5, n // 20),
                fault=Fault("hang", seconds=5), warmup=1),
            run("primary hangs, breaker open", primary, secondary, ["openai", "groq"], n,
                fault=Fault("hang", seconds=5), threshold=3),
            run("secondary alone (again)", primary, secondary, ["groq"], n),
        ]
    # The machine is shared: take the floor as the mean of a run before and after the others.
    floor, healthy = (rows[0]["p50"] + rows[-1]["p50"]) / 2, rows[1]["p50"]
    print(f"{'scenario':32} {'n':>5} {'p50 ms':>9} {'p99 ms':>9} {'x healthy':>10} {'+ms vs floor':>13}"
          f"  answered_by  breaker    primary_calls")
    for row in rows:
        print(f"{row['name']:32} {row['n']:>5} {row['p50']:>9.2f} {row['p99']:>9.2f} {row['p50'] / healthy:>10.2f}"
              f" {row['p50'] - floor:>13.2f}  {row['answered_by']:11}  {row['breaker']:9}  {row['primary_calls']}")
    added = rows[5]["p50"] - floor
    skip = skip_cost_us()
    print(f"\nDead (hanging) primary with the breaker open: {added:+.2f} ms per request at p50 against the "
          f"floor (network noise); with the breaker closed it adds {rows[4]['p50'] - floor:.0f} ms "
          f"(the {TIMEOUT * 1000:.0f} ms timeout).")
    print(f"In-process cost of skipping an open-breaker link (no network on either side, 5000 calls): "
          f"p50 {skip[0]:.1f} us, p99 {skip[1]:.1f} us (goal < 5 ms: {'met' if skip[1] < 5000 else 'NOT met'}).")


def skip_cost_us(n: int = 5000) -> tuple[float, float]:
    """Return p50/p99 of (open link -> offline) minus (offline alone), in microseconds."""
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import AIMessage
    from langchain_core.outputs import ChatGeneration, ChatResult

    class Instant(BaseChatModel):
        @property
        def _llm_type(self) -> str:
            return "instant"

        def _generate(self, messages, stop=None, run_manager=None, **kwargs):
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content="ok"))])

    def timings(providers: list[str], open_first: bool) -> list[float]:
        env = {"OPENAI_API_KEY": "sk", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
        chain = build_chain(ChainSettings(models=[ModelSpec(provider=p) for p in providers]), env, offline=Instant())
        if open_first:
            for _ in range(chain.links[0].breaker.failure_threshold):
                chain.links[0].breaker.record_failure()
        runnable = chain.for_agent("bench")
        out = []
        for _ in range(n):
            started = time.perf_counter()
            runnable.invoke("hi")
            out.append((time.perf_counter() - started) * 1e6)
        return out

    base, skipped = timings(["offline"], False), timings(["openai", "offline"], True)
    return statistics.median(skipped) - statistics.median(base), percentile(skipped, 99) - percentile(base, 99)


if __name__ == "__main__":
    main()
