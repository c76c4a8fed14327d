"""Benchmark whole graph turns with the offline model on three checkpointers (bounded, one command).

    uv run python benchmarks/graph_turns.py [--threads 16] [--turns 6] [--workers 4] [--redis-url URL]
        [--savers memory,sqlite,redis]

For InMemorySaver, SQLite and our Redis saver it runs ``--threads`` conversations of ``--turns``
turns each (a realistic mix of desks, follow-ups and a two-desk question), first one at a time to
measure latency, then ``--workers`` threads at once for throughput. Per turn it times the whole
``invoke`` and, with callbacks, the time spent inside the chat model and inside tools; the rest is
framework overhead (graph scheduling, state merging, checkpoint reads/writes, our routing code).
``cpu/turn`` is this process's CPU time per sequential turn (``time.process_time``, every thread,
Redis's own CPU excluded): on a shared, loaded machine it moves far less than the wall-clock times.
Redis keys live under a fresh ``fxdesk-bench:<uuid>:`` prefix and are deleted at the end.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from data.database import Database
from graph.builder import build_graph
from llm.config import load_models
from tests.redis_keys import delete_prefix  # noqa: E402
from tools.contract import offline_tables
from tools.users import context_for

CONVERSATION = [
    "What's my EUR/USD exposure today?",
    "and GBP?",
    "what's my P&L on cable last week?",
    "what's my win rate over the last 90 days?",
    "am I overtrading lately?",
    "would buying 20m cable breach my limits?",
    "any late bookings in the last 30 days?",
    "what's the KYC status of Cust203?",
]


class Timer(BaseCallbackHandler):
    """Accumulates seconds spent inside chat models and tools during one turn."""

    def __init__(self) -> None:
        self.started: dict[Any, float] = {}
        self.model = 0.0
        self.tools = 0.0

    def on_chat_model_start(self, serialized, messages, *, run_id, **kwargs):  # noqa: D102
        self.started[run_id] = time.perf_counter()

    def on_llm_end(self, response, *, run_id, **kwargs):  # noqa: D102
        self.model += time.perf_counter() - self.started.pop(run_id, time.perf_counter())

    on_llm_error = on_llm_end

    def on_tool_start(self, serialized, input_str, *, run_id, **kwargs):  # noqa: D102
        self.started[run_id] = time.perf_counter()

    def on_tool_end(self, output, *, run_id, **kwargs):  # noqa: D102
        self.tools += time.perf_counter() - self.started.pop(run_id, time.perf_counter())

    on_tool_error = on_tool_end


DURABILITY = {"value": "async"}


def run_conversation(graph, context, thread_id: str, turns: int) -> list[tuple[float, float, float]]:
    """Run ``turns`` turns in one thread; return (total, model, tools) seconds per turn."""
    samples = []
    for i in range(turns):
        timer = Timer()
        config = {"configurable": {"thread_id": thread_id}, "callbacks": [timer]}
        start = time.perf_counter()
        graph.invoke({"messages": [HumanMessage(CONVERSATION[i % len(CONVERSATION)])]}, config, context=context,
                     durability=DURABILITY["value"])
        samples.append((time.perf_counter() - start, timer.model, timer.tools))
    return samples


def pct(values: list[float], q: float) -> float:
    """Return the q-quantile (0..1) of ``values`` by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


@contextmanager
def savers(redis_url: str | None, workdir: Path) -> Iterator[list[tuple[str, Any]]]:
    """Yield (name, saver) for memory, SQLite and (when it answers) Redis; clean up afterwards."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    out: list[tuple[str, Any]] = [("memory", InMemorySaver())]
    with SqliteSaver.from_conn_string(str(workdir / "bench-checkpoints.sqlite")) as sqlite:
        out.append(("sqlite", sqlite))
        if redis_url is None:
            yield out
            return
        from checkpoint import RedisSaver

        prefix = f"fxdesk-bench:{uuid.uuid4().hex}:"
        try:
            with RedisSaver.from_conn_string(redis_url, prefix=prefix) as saver:
                out.append(("redis", saver))
                yield out
        finally:
            delete_prefix(redis_url, prefix)


def bench(name: str, graph, context, threads: int, turns: int, workers: int,
          report: Callable[[str], None]) -> dict[str, float]:
    """Measure one saver: sequential latency and overhead, then concurrent throughput."""
    run_conversation(graph, context, f"warm-{name}-{uuid.uuid4().hex}", 3)  # imports, caches, first compiles
    sequential = []
    cpu_start = time.process_time()
    for t in range(threads):
        sequential += run_conversation(graph, context, f"seq-{name}-{t}-{uuid.uuid4().hex}", turns)
    cpu_ms = (time.process_time() - cpu_start) * 1000 / max(1, len(sequential))
    totals = [s[0] * 1000 for s in sequential]
    overhead = [(s[0] - s[1] - s[2]) * 1000 for s in sequential]
    model = [s[1] * 1000 for s in sequential]
    tools = [s[2] * 1000 for s in sequential]

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_conversation, graph, context, f"par-{name}-{t}-{uuid.uuid4().hex}", turns)
                   for t in range(threads)]
        concurrent = [s for f in futures for s in f.result()]
    elapsed = time.perf_counter() - start
    conc_totals = [s[0] * 1000 for s in concurrent]
    row = {
        "turns": len(sequential), "p50": pct(totals, .5), "p99": pct(totals, .99),
        "model_p50": pct(model, .5), "tools_p50": pct(tools, .5),
        "overhead_p50": pct(overhead, .5), "overhead_p99": pct(overhead, .99),
        "overhead_mean": statistics.fmean(overhead),
        "cpu_ms": cpu_ms, "conc_tps": len(concurrent) / elapsed,
        "conc_p50": pct(conc_totals, .5), "conc_p99": pct(conc_totals, .99),
    }
    report(f"| {name:7} | {row['turns']:5d} | {row['p50']:7.1f} | {row['p99']:7.1f} | {row['model_p50']:6.1f} | "
           f"{row['tools_p50']:6.1f} | {row['overhead_p50']:6.1f} | {row['overhead_p99']:6.1f} | "
           f"{row['cpu_ms']:7.1f} | "
           f"{row['conc_tps']:6.1f} | {row['conc_p50']:7.1f} | {row['conc_p99']:7.1f} |")
    return row


def main() -> None:
    """Run the benchmark and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=12, help="conversations per saver")
    parser.add_argument("--turns", type=int, default=6, help="turns per conversation")
    parser.add_argument("--workers", type=int, default=4, help="concurrent conversations in the throughput run")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0", help="'' to skip Redis")
    parser.add_argument("--user", default="trader_aruna")
    parser.add_argument("--savers", default="memory,sqlite,redis",
                        help="comma-separated savers to measure (memory, sqlite, redis)")
    parser.add_argument("--durability", choices=("sync", "async", "exit"), default="async",
                        help="LangGraph checkpoint durability (async = the default: writes overlap the next step)")
    args = parser.parse_args()
    DURABILITY["value"] = args.durability

    redis_url = args.redis_url or None
    if redis_url:
        from server.runtime import redis_answers

        if not redis_answers(redis_url):
            print(f"(Redis at {redis_url} does not answer: skipping it)")
            redis_url = None
    with tempfile.TemporaryDirectory(prefix="fxdesk-bench-") as tmp:
        workdir = Path(tmp)
        db = Database.from_url(f"sqlite:///{workdir / 'desk.db'}")
        context = context_for(db, args.user)
        builder = build_graph(load_models({}, offline_tables=offline_tables()), db)
        print(f"{args.threads} conversations x {args.turns} turns per saver, offline model, user {args.user}; "
              f"throughput with {args.workers} concurrent conversations; durability {args.durability}. Times in ms.")
        print("| saver   | turns | p50     | p99     | model  | tools  | ovh p50 | ovh p99 | cpu/turn | turns/s | "
              "conc p50 | conc p99 |")
        print("|---------|-------|---------|---------|--------|--------|--------|--------|---------|--------|"
              "---------|---------|")
        with savers(redis_url, workdir) as named:
            for name, saver in named:
                if name not in args.savers.split(","):
                    continue
                bench(name, builder.compile(checkpointer=saver), context, args.threads, args.turns, args.workers,
                      print)
        db.engine.dispose()


if __name__ == "__main__":
    main()
