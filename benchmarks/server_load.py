"""Load benchmark: `fxdesk serve` against `langgraph dev` on the same graph, in the same run.

Run: ``uv run python benchmarks/server_load.py`` (loopback only, bounded: at most 500 users and
20 turns each, and every scenario stops after ``--deadline`` seconds).

Each simulated user holds one multi-turn conversation through the official ``langgraph-sdk``:
odd turns with ``runs.wait``, even turns with ``runs.stream`` (values + updates + messages-tuple).
A turn counts as an error if the call raises, the body carries ``__error__`` or the stream an
``error`` event. For each server and each concurrency level the script prints turns/s, p50 and p99
turn latency and errors, then the ratios fxdesk / langgraph dev.

``--graph fxdesk`` (default) serves the real supervisor graph (``server/studio.py``, offline model);
``--graph echo`` serves a one-node echo graph, which measures the servers themselves.
Redis: ``FXDESK_REDIS_URL`` (default redis://127.0.0.1:6379/0), keys under a unique prefix,
deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from langgraph_sdk.client import LangGraphClient

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from server.auth import JwtKeys, mint_token  # noqa: E402
from tests.integration.server.servers import ServerProcess, start_fxdesk, start_langgraph_dev  # noqa: E402
from tests.redis_keys import delete_prefix  # noqa: E402

ECHO = REPO / "tests" / "integration" / "server" / "echo_graph.py"
GRAPHS = {"fxdesk": f"{REPO / 'server' / 'studio.py'}:graph", "echo": f"{ECHO}:graph"}
SECRET = "fxdesk-bench-secret-" + uuid.uuid4().hex
USERS = {  # demo users and their full entitlements (sent as context so langgraph dev gets the same scope)
    "trader_aruna": {"role": "trader"}, "trader_li": {"role": "trader"}, "analyst_maya": {"role": "analyst"},
    "compliance_omar": {"role": "compliance"},
}
QUESTIONS = {
    "fxdesk": ["what is my net open position?", "and the 1-day VaR?", "any limit breaches?",
               "show my P&L this month", "hi", "what can you do?"],
    "echo": ["hello", "again", "more", "still here"],
}
MAX_USERS, MAX_TURNS = 500, 20


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    wall: float = 0.0
    samples: list[str] = field(default_factory=list)

    def row(self, label: str, users: int) -> str:
        lat = sorted(self.latencies)
        p50 = _pct(lat, 50) * 1000
        p99 = _pct(lat, 99) * 1000
        rate = len(lat) / self.wall if self.wall else 0.0
        return (f"{label:<14} {users:>5} {len(lat):>6} {rate:>9.1f} {p50:>9.1f} {p99:>9.1f} "
                f"{p99 / p50 if p50 else 0:>7.1f} {self.errors:>6}")

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0

    @property
    def p50(self) -> float:
        return _pct(sorted(self.latencies), 50)


def _pct(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    index = min(len(values) - 1, max(0, round(pct / 100 * len(values) + 0.5) - 1))
    return values[index]


def start_servers(graph: str, workdir: Path, env: dict[str, str], workers: int,
                  startup: float = 120.0) -> list[ServerProcess]:
    spec = (graph, GRAPHS[graph])
    return [start_fxdesk(workdir, env, workers=workers, graph=spec, timeout=startup),
            start_langgraph_dev(workdir, env, graph=spec, timeout=startup)]


async def conversation(client: LangGraphClient, graph: str, user: str, turns: int, result: Result) -> None:
    context = {"user_id": user, **_entitlements(user)}
    try:
        thread = await client.threads.create()
    except Exception as exc:
        result.errors += turns
        result.samples.append(f"create: {type(exc).__name__}: {exc}"[:200])
        return
    questions = QUESTIONS[graph]
    for turn in range(turns):
        body = {"messages": [{"role": "user", "content": questions[turn % len(questions)]}]}
        started = time.perf_counter()
        try:
            if turn % 2 == 0:
                values = await client.runs.wait(thread["thread_id"], graph, input=body, context=context)
                failed = isinstance(values, dict) and "__error__" in values
            else:
                failed = False
                async for event in client.runs.stream(thread["thread_id"], graph, input=body, context=context,
                                                      stream_mode=["values", "updates", "messages-tuple"]):
                    failed = failed or event.event == "error"
        except Exception as exc:
            failed = True
            result.samples.append(f"{type(exc).__name__}: {exc}"[:200])
        if failed:
            result.errors += 1
        else:
            result.latencies.append(time.perf_counter() - started)


_ENTITLEMENTS: dict[str, dict] = {}


def _entitlements(user: str) -> dict:
    return _ENTITLEMENTS[user]


def load_entitlements() -> None:
    from data.database import Database
    from data.users import load_user

    db = Database.from_url(os.environ.get("FXDESK_DATABASE_URL"))
    for user in USERS:
        fields = load_user(db, user).context_fields()
        _ENTITLEMENTS[user] = {"role": fields["role"], "books": list(fields["books"]),
                               "customers": list(fields["customers"])}


async def scenario(server: ServerProcess, graph: str, users: int, turns: int, deadline: float) -> Result:
    keys = JwtKeys("HS256", SECRET, SECRET)
    names = list(USERS)
    clients = {}
    for name in names:
        token = mint_token(name, USERS[name]["role"], keys)
        http = httpx.AsyncClient(base_url=server.url, headers={"Authorization": f"Bearer {token}"},
                                 timeout=httpx.Timeout(deadline, connect=10, pool=deadline),
                                 limits=httpx.Limits(max_connections=MAX_USERS, max_keepalive_connections=MAX_USERS))
        clients[name] = LangGraphClient(http)
    result = Result()
    started = time.perf_counter()
    tasks = [asyncio.create_task(conversation(clients[names[i % len(names)]], graph, names[i % len(names)], turns,
                                              result)) for i in range(users)]
    done, pending = await asyncio.wait(tasks, timeout=deadline)
    for task in pending:
        task.cancel()
    if pending:
        result.samples.append(f"{len(pending)} conversations cut off at the {deadline:.0f} s deadline")
        result.errors += len(pending)
    result.wall = time.perf_counter() - started
    for client in clients.values():
        await client.aclose()
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", choices=sorted(GRAPHS), default="fxdesk")
    parser.add_argument("--users", default="1,20,200", help="Comma-separated concurrency levels.")
    parser.add_argument("--turns", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers for fxdesk serve.")
    parser.add_argument("--deadline", type=float, default=240.0, help="Seconds allowed per scenario.")
    parser.add_argument("--startup", type=float, default=120.0,
                        help="Seconds each server may take to answer (raise it on a loaded machine).")
    args = parser.parse_args()
    levels = [min(MAX_USERS, int(n)) for n in args.users.split(",")]
    turns = min(MAX_TURNS, args.turns)
    redis_url = os.environ.get("FXDESK_REDIS_URL", "redis://127.0.0.1:6379/0")
    prefix = f"fxdesk-bench:{uuid.uuid4().hex[:12]}:"
    workdir = Path(tempfile.mkdtemp(prefix="fxdesk-load-"))
    env = {**os.environ, "FXDESK_REDIS_URL": redis_url, "FXDESK_KEY_PREFIX": prefix, "FXDESK_JWT_SECRET": SECRET,
           "PYTHONPATH": str(REPO), "LANGSMITH_TRACING": "false", "LANGCHAIN_TRACING_V2": "false",
           "LANGGRAPH_CLI_NO_ANALYTICS": "1",
           # every simulated user shares one identity: the per-user run limit (issue 12) would turn a
           # throughput benchmark into a rate-limit test
           "FXDESK_RATE_LIMIT": os.environ.get("FXDESK_RATE_LIMIT", "1000000/minute")}
    load_entitlements()
    servers = start_servers(args.graph, workdir, env, args.workers, args.startup)
    results: dict[tuple[str, int], Result] = {}
    try:
        for server in servers:  # warm both up (imports, first checkpoint) before timing
            await scenario(server, args.graph, 2, 2, args.deadline)
        for users in levels:
            for server in servers:
                results[(server.kind, users)] = await scenario(server, args.graph, users, turns, args.deadline)
    finally:
        for server in servers:
            server.stop()
        delete_prefix(redis_url, prefix)
    print(f"\ngraph={args.graph} turns/conversation={turns} fxdesk workers={args.workers} (loopback, 1 machine)")
    print(f"{'server':<14} {'users':>5} {'turns':>6} {'turns/s':>9} {'p50 ms':>9} {'p99 ms':>9} "
          f"{'p99/p50':>7} {'errors':>6}")
    for (name, users), result in results.items():
        print(result.row(name, users))
    print("\nratios fxdesk serve / langgraph dev")
    for users in levels:
        fx, dev = results[("fxdesk", users)], results[("langgraph-dev", users)]
        print(f"  {users:>4} users: turns/s x{fx.rate / dev.rate if dev.rate else float('inf'):.2f}, "
              f"p50 x{fx.p50 / dev.p50 if dev.p50 else float('inf'):.2f}")
    for (name, users), result in results.items():
        for sample in result.samples[:3]:
            print(f"  {name} @ {users}: {sample}")


if __name__ == "__main__":
    asyncio.run(main())
