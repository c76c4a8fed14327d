"""Psychology flags per demo trader, each against her own baseline: the table quoted in the README (issue 13).

Run: ``uv run python benchmarks/behaviour_on_demo.py [WINDOW]`` (default "last 30 days"). Builds the demo
dataset in a temporary SQLite file (about a minute) and prints, per trader, the flags raised and the
loss-chasing and time-of-day evidence (observed vs baseline, with z). Not a timing benchmark.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from langgraph.prebuilt import ToolRuntime

from data.database import Database
from data.demo_trades import TRADERS
from tools.context import Context
from tools.psychology.thresholds import BehaviourThresholds
from tools.psychology.tools import build_tools
from tools.scope import ScopeGate


def _rate(side: dict) -> str:
    return f"{side['count']}/{side['of']} ({side['pct']}%)"


def main(window: str = "last 30 days") -> None:
    """Print one row per demo trader."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.from_url(f"sqlite:///{Path(tmp) / 'demo.db'}")
        tool = next(t for t in build_tools(ScopeGate(db), BehaviourThresholds()) if t.name == "get_behaviour_report")
        print(f"window: {window}; demo generator_version {db.meta('generator_version')}")
        print("| trader | flagged | loss chasing: after losses / after wins (z) | worst 2-hour bucket: loss rate / "
              "other hours (z) |")
        print("|---|---|---|---|")
        for p in TRADERS:
            extra = ("Cust999",) if p.book == "FX-EM" else ()
            ctx = Context(user_id=p.trader, role="trader", books=(p.book,), customers=(*p.customers, *extra))
            runtime = ToolRuntime(state={}, context=ctx, config={}, stream_writer=None, tool_call_id="b", store=None)
            out = tool.invoke({"window": window, "runtime": runtime})
            flags = {f["check"]: f for f in out["flags"]}
            chase, tod = flags["loss_chasing"]["evidence"], flags["time_of_day"]["evidence"]
            raised = ", ".join(c for c, f in flags.items() if f["flagged"]) or "—"
            bucket = tod["worst_bucket"]["hours"] if tod["worst_bucket"] else "—"
            print(f"| {p.trader} | {raised} | {_rate(chase['observed'])} / {_rate(chase['baseline'])} ({chase['z']}) "
                  f"| {bucket}: {_rate(tod['observed'])} / {_rate(tod['baseline'])} ({tod['z']}) |")
        db.engine.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:2])
