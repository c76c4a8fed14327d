"""Benchmark: how soon each streamed answer token of the web desk is on screen (budget: p50 <= 50 ms).

Run: ``uv run python benchmarks/web_desk_stream.py [--turns 5]`` (loopback only; needs
``/usr/bin/chromium``). It starts ``fxdesk serve --dev`` on the real fxdesk graph (offline model,
Redis at ``FXDESK_REDIS_URL`` or 127.0.0.1:6379 under a private prefix, deleted at the end), signs in
as trader_aruna in Chromium and asks the seed question ``--turns`` times, each in a fresh page. For
each turn it prints the token chunks, the screen states and the p50 / max milliseconds from a
token's SSE chunk arriving to that token being rendered, then the p50 over all tokens against the
budget. The budget was an assertion in the e2e test until issue 12 (finding 10): a loaded machine
failed it (p50 68.7 ms) though nothing was wrong; it is a goal to watch, not a gate. Exit status 1
when the budget is missed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP  # noqa: E402
from tests.e2e.web_desk_page import STREAM_PROBE, ask, sign_in_demo, token_latencies  # noqa: E402
from tests.integration.server.servers import base_env, start_fxdesk  # noqa: E402
from tests.redis_keys import delete_prefix  # noqa: E402

SEED_QUESTION = "What's my EUR/USD exposure today?"
BUDGET_P50_MS = 50.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=5, help="questions asked, each in a fresh page (1..50)")
    args = parser.parse_args()
    turns = max(1, min(args.turns, 50))
    if not CHROMIUM.exists():
        print("Chromium is not installed: apt-get install -y chromium", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    redis_url = __import__("os").environ.get("FXDESK_REDIS_URL", "redis://127.0.0.1:6379/0")
    home = Path(tempfile.mkdtemp(prefix="fxdesk-bench-web-"))
    prefix = f"fxdesk-bench:{uuid.uuid4().hex}:"
    server = start_fxdesk(home, base_env(home, redis_url, prefix), echo=False, extra=("--dev",), timeout=120)
    every: list[float] = []
    print(f"{'turn':>4} {'chunks':>7} {'states':>7} {'p50 ms':>8} {'max ms':>8}")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for turn in range(1, turns + 1):
                context = browser.new_context(viewport=DESKTOP)
                context.add_init_script(STREAM_PROBE)
                page = context.new_page()
                sign_in_demo(page, server.url, "trader_aruna")
                ask(page, SEED_QUESTION, 0)
                latencies, states = token_latencies(page)
                context.close()
                every += latencies
                p50 = statistics.median(latencies) if latencies else float("inf")
                print(f"{turn:4d} {len(latencies):7d} {states:7d} {p50:8.1f} {max(latencies, default=0):8.1f}")
            browser.close()
    finally:
        server.stop()
        delete_prefix(redis_url, prefix)
        shutil.rmtree(home, ignore_errors=True)
    overall = statistics.median(every) if every else float("inf")
    verdict = "within" if overall <= BUDGET_P50_MS else "OVER"
    print(f"\nall tokens: {len(every)}, p50 {overall:.1f} ms, budget {BUDGET_P50_MS:.0f} ms -> {verdict} budget")
    return 0 if overall <= BUDGET_P50_MS else 1


if __name__ == "__main__":
    sys.exit(main())
