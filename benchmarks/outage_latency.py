"""Benchmark: how fast `fxdesk serve` answers 503 once Redis dies (budgets: 1 s per request, /readyz 1.5 s).

Run: ``uv run python benchmarks/outage_latency.py [--rounds 3]`` (loopback only; needs
``redis-server``). Each round starts a redis-server of its own on a free port (never the shared
one) and ``fxdesk serve`` on the echo graph, creates a thread, kills Redis, then times the runs,
threads and readiness requests that must now answer 503 problems. It prints one row per request
(status, milliseconds: min / median / max over the rounds) and compares each median with its
budget. These budgets were assertions in the integration tests until issue 12 (finding 10): the
tests keep the behaviour (503 problem, ``Retry-After``, the check named), the timing lives here.
Exit status 1 when a budget is missed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.integration.server.conftest import auth  # noqa: E402
from tests.integration.server.servers import base_env, start_fxdesk  # noqa: E402
from tests.integration.server.test_langgraph_api_redis_outage import BODY, OwnRedis  # noqa: E402

BUDGET_S = {"readyz": 1.5}
DEFAULT_BUDGET_S = 1.0


def one_round(workdir: Path, timings: dict[str, list[float]], statuses: dict[str, set[int]]) -> None:
    own = OwnRedis(workdir)
    own.start()
    server = start_fxdesk(workdir, base_env(workdir, own.url, f"fxdesk-bench:{uuid.uuid4().hex}:"), timeout=180)
    try:
        with httpx.Client(base_url=server.url, headers=auth(), timeout=30) as http:
            tid = http.post("/threads", json={}).json()["thread_id"]
            own.kill()
            for name, method, path, body in [
                    ("POST /threads/{id}/runs/wait", "POST", f"/threads/{tid}/runs/wait", BODY),
                    ("POST /runs/wait", "POST", "/runs/wait", BODY),
                    ("POST /threads/{id}/runs/stream", "POST", f"/threads/{tid}/runs/stream", BODY),
                    ("GET /threads/{id}", "GET", f"/threads/{tid}", None), ("POST /threads", "POST", "/threads", {}),
                    ("readyz", "GET", "/readyz", None)]:
                started = time.perf_counter()
                response = http.request(method, path, json=body)
                timings[name].append(time.perf_counter() - started)
                statuses[name].add(response.status_code)
    finally:
        server.stop()
        own.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="fresh Redis + server per round (1..20)")
    args = parser.parse_args()
    if shutil.which("redis-server") is None:
        print("redis-server is not installed", file=sys.stderr)
        return 2
    timings: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, set[int]] = defaultdict(set)
    for _ in range(max(1, min(args.rounds, 20))):
        workdir = Path(tempfile.mkdtemp(prefix="fxdesk-bench-outage-"))
        try:
            one_round(workdir, timings, statuses)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    missed = 0
    print(f"{'request':34} {'status':>8} {'min ms':>8} {'p50 ms':>8} {'max ms':>8} {'budget':>8}  verdict")
    for name, values in timings.items():
        budget = BUDGET_S.get(name, DEFAULT_BUDGET_S)
        median = statistics.median(values)
        ok = median <= budget and statuses[name] == {503}
        missed += not ok
        print(f"{name:34} {','.join(map(str, sorted(statuses[name]))):>8} {min(values) * 1000:8.1f} "
              f"{median * 1000:8.1f} {max(values) * 1000:8.1f} {budget * 1000:8.0f}  {'ok' if ok else 'MISSED'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
