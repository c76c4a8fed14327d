"""Platform benchmark: cron ticks across two replicas, webhook delivery, cross-replica event relay.

Run: uv run python benchmarks/platform_load.py [--crons 1000] [--webhooks 100] [--events 200]

Two replicas are two `server.app` apps in this process (each with its own lifespan, Redis clients,
executor and cron scheduler) on one Redis, under a fresh key prefix deleted afterwards. Loopback only.

- crons: N stateless crons all due at the same instant T; each replica's scheduler races for the
  ticks. Reports how many ran (must be N, each once) and tick lag = run created_at - T.
- webhooks: runs with a webhook to a local receiver; latency = receipt - run end (record updated_at).
- relay: a run on replica A emits timestamped custom events; replica B follows its Redis stream
  (what ``join_stream`` reads); lag = receipt on B - emission on A.
Goals (issue 15): no missed or doubled tick, tick lag p99 < 2 s, webhook p50 < 50 ms, relay p50 < 20 ms.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import os  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402
from uuid import uuid4  # noqa: E402

from langchain_core.messages import AIMessage  # noqa: E402
from langgraph.config import get_stream_writer  # noqa: E402
from langgraph.graph import END, START, MessagesState, StateGraph  # noqa: E402

from server.app import create_app  # noqa: E402
from server.auth import JwtKeys  # noqa: E402
from server.crons.scheduler import tick_id  # noqa: E402
from server.settings import Settings  # noqa: E402
from tests.redis_keys import delete_prefix  # noqa: E402
from tools.context import Context  # noqa: E402

USER = Context(user_id="bench_trader", role="trader", books=("FX-G10",), customers=())


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]


def bench_graph() -> StateGraph:
    def node(state: MessagesState) -> dict:
        if "events" in str(state["messages"][-1].content):
            writer = get_stream_writer()
            for i in range(int(str(state["messages"][-1].content).split()[-1])):
                writer({"i": i, "t": time.time()})
                time.sleep(0.005)
        return {"messages": [AIMessage(content="done")]}

    builder = StateGraph(MessagesState, context_schema=Context)
    builder.add_node("work", node)
    builder.add_edge(START, "work")
    builder.add_edge("work", END)
    return builder


class Receiver:
    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                import orjson
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.times[orjson.loads(body)["run_id"]] = time.time()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"


async def bench_crons(apps, n: int) -> dict:
    crons = apps[0].state.crons
    due = datetime.now(UTC).replace(microsecond=0).timestamp() + 3
    due_ms = int(due * 1000)
    input_ = {"messages": [{"role": "user", "content": "tick"}]}
    for i in range(n):
        record = {"cron_id": f"bench-{i}", "assistant_id": "bench", "thread_id": None, "user_id": USER.user_id,
                  "schedule": "0 0 1 1 *", "timezone": "UTC", "end_time": None, "enabled": True, "metadata": {},
                  "on_run_completed": None, "payload": {"input": input_}, "created_at": "", "updated_at": ""}
        await crons.save(record, due_ms)
    runs = apps[0].state.services.runs
    deadline = time.monotonic() + 120
    lags: list[float] = []
    pending = {f"bench-{i}" for i in range(n)}
    while pending and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        for cid in list(pending):
            record = await runs.get(tick_id(cid, due_ms))
            if record is not None:
                lags.append(datetime.fromisoformat(record["created_at"]).timestamp() - due)
                pending.discard(cid)
    # Doubled ticks: a run executed twice on its thread would leave two human messages.
    threads = apps[0].state.services.threads
    doubled = 0
    for i in range(0, n, max(1, n // 100)):  # a 1 % sample (every run of it checked once finished)
        tid = tick_id(f"bench-{i}", due_ms, "thread")
        await apps[0].state.services.executor.join(tick_id(f"bench-{i}", due_ms))
        state = await threads.get(USER.user_id, tid)
        humans = [m for m in (state["values"] or {}).get("messages", []) if m["type"] == "human"]
        doubled += len(humans) != 1
    return {"fired": len(lags), "missed": len(pending), "doubled_in_sample": doubled,
            "lag_p50_s": percentile(lags, 50), "lag_p99_s": percentile(lags, 99)}


async def bench_webhooks(app, receiver: Receiver, n: int) -> dict:
    api = app.state.services
    latencies = []
    for _ in range(n):
        tid = str(uuid4())
        await api.threads.create(USER.user_id, tid, {})
        from server.runs.admission import admit_run
        from server.runs.caller import Caller
        from server.runs.requests import RunCreate
        body = RunCreate(assistant_id="bench", input={"messages": [{"role": "user", "content": "hook"}]},
                         webhook=receiver.url)
        record, local = await admit_run(body, Caller(USER.user_id, USER), thread_id=tid, registry=api.registry,
                                        threads=api.threads, runs=api.runs, executor=api.executor)
        await local.done.wait()
        ended = time.time()
        while record["run_id"] not in receiver.times:
            await asyncio.sleep(0.001)
        latencies.append(receiver.times[record["run_id"]] - ended)
    return {"webhook_p50_ms": percentile(latencies, 50) * 1000, "webhook_p99_ms": percentile(latencies, 99) * 1000}


async def bench_relay(apps, events: int) -> dict:
    a, b = apps[0].state.services, apps[1].state.services
    tid = str(uuid4())
    await a.threads.create(USER.user_id, tid, {})
    from server.runs.admission import admit_run
    from server.runs.caller import Caller
    from server.runs.requests import RunCreate
    body = RunCreate(assistant_id="bench", input={"messages": [{"role": "user", "content": f"events {events}"}]},
                     stream_mode=["custom"])
    record, _ = await admit_run(body, Caller(USER.user_id, USER), thread_id=tid, registry=a.registry,
                                threads=a.threads, runs=a.runs, executor=a.executor)
    import orjson
    lags = []
    async for _, event, data in b.executor.events.follow(record["run_id"], "0-0",
                                                        lambda: b.executor.finished(record["run_id"])):
        if event == "custom":
            lags.append(time.time() - orjson.loads(data)["t"])
    return {"relayed": len(lags), "relay_p50_ms": percentile(lags, 50) * 1000,
            "relay_p99_ms": percentile(lags, 99) * 1000}


async def main(args) -> None:
    url = os.environ.get("FXDESK_REDIS_URL", "redis://127.0.0.1:6379/0")
    prefix = f"fxdesk-bench:{uuid4().hex}:"
    receiver = Receiver()

    async def users(user_id: str) -> Context | None:
        return USER if user_id == USER.user_id else None

    settings = Settings(redis_url=url, key_prefix=prefix, cron_poll_seconds=0.2,
                        webhook_secret="bench", webhook_allow_hosts="127.0.0.1")
    apps = [create_app(settings=settings, graphs={"bench": bench_graph()}, users=users,
                       jwt_keys=JwtKeys("HS256", "bench", "bench")) for _ in range(2)]
    try:
        async with apps[0].router.lifespan_context(apps[0]), apps[1].router.lifespan_context(apps[1]):
            results = {"crons": await bench_crons(apps, args.crons),
                       "webhooks": await bench_webhooks(apps[0], receiver, args.webhooks),
                       "relay": await bench_relay(apps, args.events)}
    finally:
        receiver.server.shutdown()
        delete_prefix(url, prefix)
    c, w, r = results["crons"], results["webhooks"], results["relay"]
    print(f"| measure | value | goal |\n|---|---|---|\n"
          f"| crons fired / due ({args.crons} due at one instant, 2 replicas) | {c['fired']} / {args.crons} "
          f"(missed {c['missed']}, doubled in a 1 % sample {c['doubled_in_sample']}) | all, once |\n"
          f"| tick lag p50 / p99 | {c['lag_p50_s']:.2f} s / {c['lag_p99_s']:.2f} s | p99 < 2 s |\n"
          f"| webhook delivery after run end p50 / p99 ({args.webhooks} runs) | {w['webhook_p50_ms']:.1f} ms / "
          f"{w['webhook_p99_ms']:.1f} ms | p50 < 50 ms |\n"
          f"| cross-replica event lag p50 / p99 ({r['relayed']} events) | {r['relay_p50_ms']:.1f} ms / "
          f"{r['relay_p99_ms']:.1f} ms | p50 < 20 ms |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crons", type=int, default=1000)
    parser.add_argument("--webhooks", type=int, default=100)
    parser.add_argument("--events", type=int, default=200)
    asyncio.run(main(parser.parse_args()))
