"""Book-scale benchmark (issue 14): load 10k / 100k / 1M-trade books, then time every tool, SQLite and PostgreSQL.

Run: ``uv run python benchmarks/book_scale.py --sizes 10000,100000`` (add ``1000000`` on a quiet machine).

Per size, the demo generator writes a book in the interchange format (`data.demo_scale`: the demo's
market, books, limits, customers and users, and N trades with the demo's distributions). Per
backend, a child process loads it into an empty database (``fxdesk data load``'s code path) and
reports wall and CPU seconds, rows/s and its peak RSS; then every read-only tool is called as the
demo users of `tests.tool_probes` and timed (median of ``--repeat`` calls; one call from 100k
trades up). The tables print load throughput against the goals (>= 50k rows/s PostgreSQL,
>= 20k SQLite, peak RSS < 500 MB) and each tool's time per size with the growth factor per 10x.

PostgreSQL: a throwaway database ``fxdesk_bench_<hex>`` on ``FXDESK_BENCH_PG_DSN`` (default
``host=127.0.0.1 port=5432 user=postgres dbname=postgres``), dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PG_DSN = os.environ.get("FXDESK_BENCH_PG_DSN", "host=127.0.0.1 port=5432 user=postgres dbname=postgres")
GOALS = {"sqlite": 20_000, "postgresql": 50_000}
RSS_GOAL_MB = 500


def child_load(url: str, directory: str) -> None:
    """Load ``directory`` into ``url`` and print one JSON line of measurements (runs in its own process)."""
    from data.database import Database
    from data.interchange import load_files

    db = Database.from_url(url, ensure_demo=False)
    wall, cpu = time.perf_counter(), time.process_time()
    report = load_files(db, [directory])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    rows = sum(c.rows for c in report.tables.values())
    print(json.dumps({"rows": rows, "trades": report.tables["trades"].rows, "wall_s": wall, "cpu_s": cpu,
                      "peak_rss_mb": _peak_rss_mb()}))


def _peak_rss_mb() -> float:
    # VmHWM belongs to this program's address space; ru_maxrss survives execve on Linux and would
    # report the parent's size at fork time.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load(url: str, directory: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child-load", url, str(directory)], capture_output=True,
                          text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _time_tools(url: str, repeat: int) -> dict[str, float]:
    from data.database import Database
    from tests.tool_probes import READ_ONLY, ToolProbe

    db = Database.from_url(url, ensure_demo=False)
    probe = ToolProbe(db)
    out = {}
    for name in READ_ONLY:
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            result = probe(name)
            samples.append((time.perf_counter() - start) * 1000)
            if result.get("status") != "ok":
                raise SystemExit(f"{name} failed: {result}")
        out[name] = statistics.median(samples)
    db.engine.dispose()
    return out


class _Postgres:
    def __init__(self) -> None:
        self.names: list[str] = []

    def new(self) -> str:
        import psycopg

        name = f"fxdesk_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_DSN, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        self.names.append(name)
        return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"

    def drop_all(self) -> None:
        import psycopg

        with psycopg.connect(PG_DSN, autocommit=True) as admin:
            for name in self.names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _growth(values: list[float]) -> str:
    return " ".join(f"x{b / a:.1f}" for a, b in zip(values, values[1:], strict=False) if a > 0) or "-"


def main() -> None:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="Trade counts, comma-separated (10x apart).")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=3, help="Calls per tool (median); 1 from 100k trades up.")
    parser.add_argument("--no-tools", action="store_true", help="Measure the loads only.")
    parser.add_argument("--workdir", default=None, help="Where books and SQLite files go (default: a temp dir).")
    parser.add_argument("--child-load", nargs=2, metavar=("URL", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_load:
        child_load(*args.child_load)
        return
    from data.demo_scale import write_scaled_book

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # still drop the PostgreSQL databases
    sizes = [int(s) for s in args.sizes.split(",")]
    backends = args.backends.split(",")
    work = Path(args.workdir or tempfile.mkdtemp(prefix="fxdesk-book-scale-"))
    pg = _Postgres()
    loads: list[tuple[int, str, dict]] = []
    tools: dict[tuple[str, int], dict[str, float]] = {}
    try:
        for size in sizes:
            book = work / f"book-{size}"
            if not (book / "trades.csv").exists():
                start = time.perf_counter()
                write_scaled_book(book, size)
                print(f"generated {size:,} trades in {time.perf_counter() - start:.1f} s", file=sys.stderr)
            for backend in backends:
                url = f"sqlite:///{work / f'{backend}-{size}-{uuid.uuid4().hex[:6]}.db'}" \
                    if backend == "sqlite" else pg.new()
                loads.append((size, backend, _load(url, book)))
                print(f"loaded {size:,} into {backend}", file=sys.stderr)
                if not args.no_tools:
                    tools[(backend, size)] = _time_tools(url, args.repeat if size < 100_000 else 1)
                    print(f"timed tools on {size:,} {backend}", file=sys.stderr)
    finally:
        if pg.names:
            pg.drop_all()
    _print(sizes, backends, loads, tools)


def _print(sizes, backends, loads, tools) -> None:
    print("\nLoad (validated rows of every file; child process, empty database)")
    print(f"{'trades':>9} {'backend':<11} {'rows':>9} {'wall s':>7} {'rows/s':>8} {'cpu s':>6} {'rows/cpu-s':>10} "
          f"{'peak RSS MB':>11}  goal")
    for size, backend, m in loads:
        rate, cpu_rate = m["rows"] / m["wall_s"], m["rows"] / m["cpu_s"]
        met = "met" if rate >= GOALS[backend] and m["peak_rss_mb"] < RSS_GOAL_MB else "GAP"
        print(f"{size:>9,} {backend:<11} {m['rows']:>9,} {m['wall_s']:>7.1f} {rate:>8,.0f} {m['cpu_s']:>6.1f} "
              f"{cpu_rate:>10,.0f} {m['peak_rss_mb']:>11.0f}  {met} (>= {GOALS[backend]:,}/s, < {RSS_GOAL_MB} MB)")
    if not tools:
        return
    print("\nTool time, ms (median; growth factor per step in size)")
    header = f"{'tool':<24}" + "".join(f" {f'{b} {s // 1000}k':>15}" for b in backends for s in sizes)
    print(header + "".join(f" {f'{b} growth':>18}" for b in backends))
    from tests.tool_probes import READ_ONLY

    for name in READ_ONLY:
        cells = [tools[(b, s)][name] for b in backends for s in sizes]
        growth = [_growth([tools[(b, s)][name] for s in sizes]) for b in backends]
        print(f"{name:<24}" + "".join(f" {c:>15,.0f}" for c in cells) + "".join(f" {g:>18}" for g in growth))
    print("\nGoal: every tool <= 500 ms p50 at 1M trades on PostgreSQL (tools still read rows into Python).")


if __name__ == "__main__":
    main()
