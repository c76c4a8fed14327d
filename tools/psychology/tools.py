"""LangChain tool of the psychology desk: behaviour facts over the caller's own trades, with evidence.

`get_behaviour_report` hands the model's arguments to `ScopeGate.run` (role grant, scope check,
audit) and runs the checks of `tools.psychology.calc` over `data.queries.own_trades`, with the
thresholds read once from the environment when the tools are built (`load_thresholds`). The tool
docstring is prompt text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.tools import BaseTool, tool
from langgraph.prebuilt import ToolRuntime
from sqlalchemy import Engine

from data.queries import own_trades as tq
from tools.context import Context
from tools.psychology import args as a
from tools.psychology import calc
from tools.psychology.skill_tools import build_skill_tools
from tools.psychology.thresholds import BehaviourThresholds, load_thresholds
from tools.scope import Scope, ScopeGate
from tools.trade_journal.tools import run_meta, to_trades
from tools.windows import resolve_window

DESK = "psychology"


def build_tools(gate: ScopeGate, thresholds: BehaviourThresholds | None = None) -> list[BaseTool]:
    """Return the psychology desk's tools; ``thresholds`` default to `load_thresholds()` (read once, here)."""
    engine = gate.db.engine
    th = thresholds or load_thresholds()

    @tool("get_behaviour_report", args_schema=a.BehaviourReportArgs)
    def get_behaviour_report(window: str = "last 30 days", checks: list[str] | None = None, *,
                             runtime: ToolRuntime[Context]) -> dict:
        """Check the user's own trading behaviour in a time window and return one flag per check, with evidence.

        Checks (limits shown are the defaults; the `thresholds` field gives the ones used):
        overtrading (days with ≥ 2× the user's baseline, the median daily trade count over the 60
        business days before the window), revenge_trading (a trade opened within 30 minutes of a
        losing close at ≥ 1.5× the user's median size), loss_chasing (after a loss, the next trade
        in the same pair is larger, 3+ times), time_of_day (one 2-hour UTC bucket holds ≥ 40 % of
        the trades or of the losses) and streaks (current and longest win/loss runs; a current run
        of 4+ losses is flagged). Each flag is {check, flagged, severity (none/low/medium/high),
        evidence (numbers, days, trade ids, books), explanation}. Report only what the evidence shows.
        """
        args = {"window": window, "checks": checks}
        return gate.run(runtime.context, desk=DESK, tool="get_behaviour_report", args=args,
                        compute=lambda scope: _report(engine, scope, window, checks, th),
                        run_meta=run_meta(runtime))

    return [get_behaviour_report, *build_skill_tools(gate, th)]


def _report(engine: Engine, scope: Scope, window: str, checks: Sequence[str] | None,
            th: BehaviourThresholds) -> dict[str, Any]:
    win = resolve_window(window, scope.as_of, default="last 30 days")
    baseline = calc.baseline_days(win.start, th.overtrading_baseline_days)
    rows = tq.own_trades(engine, user_id=scope.user_id, books=scope.books, customers=scope.customers,
                         start=baseline[0], end=win.end, by="open", closed_by=scope.as_of)
    trades = to_trades(rows)
    in_window = calc.in_window(trades, win.start, win.end)
    flags = calc.behaviour_report(trades, win.start, win.end, th, checks)
    return {
        "as_of": scope.as_of, "window": win, "scope": {"user_id": scope.user_id, "books": list(scope.books)},
        "trades_in_window": len(in_window),
        "closed_in_window": sum(1 for t in trades if t.is_closed and win.start <= t.exit_time.date() <= win.end),
        "books": sorted({t.book for t in in_window}),
        "thresholds": th,
        "flags": flags,
    }
