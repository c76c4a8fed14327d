"""LangChain tools of the psychology desk for issue 17: tilt check, feelings check-in, discipline report.

Each runs through `ScopeGate.run` (role grant, scope, audit) over the caller's own trades
(`data.queries.own_trades`) and journal; the maths is in `tools.psychology.tilt`, `.feelings` and
`.discipline`. The tool docstrings are prompt text.
"""

from __future__ import annotations

from typing import Any

from langchain_core.tools import BaseTool, tool
from langgraph.prebuilt import ToolRuntime
from sqlalchemy import Engine

from data.queries import journal as jq
from data.queries import journal_trades as rq
from data.queries import own_trades as tq
from tools.context import Context
from tools.psychology import args as a
from tools.psychology import discipline, feelings, tilt
from tools.psychology.baseline import baseline_days
from tools.psychology.calc import in_window
from tools.psychology.results import DisciplineResult, FeelingCheckInResult, TiltCheckResult
from tools.psychology.thresholds import BehaviourThresholds
from tools.scope import Scope, ScopeGate
from tools.trade_journal.tools import desk_now, run_meta, to_trades
from tools.windows import resolve_window

__all__ = ["build_skill_tools"]

DESK = "psychology"


def build_skill_tools(gate: ScopeGate, th: BehaviourThresholds) -> list[BaseTool]:
    """Return get_tilt_check, check_in_feeling and get_discipline_report over ``gate`` with thresholds ``th``."""
    engine = gate.db.engine

    def call(runtime: ToolRuntime[Context], name: str, args: dict[str, Any], compute) -> dict:
        return gate.run(runtime.context, desk=DESK, tool=name, args=args, compute=compute, run_meta=run_meta(runtime))

    @tool("get_tilt_check", args_schema=a.TiltCheckArgs)
    def get_tilt_check(window: str = "last 90 days", next_trades: int | None = None, *,
                       runtime: ToolRuntime[Context]) -> dict:
        """Check for tilt: how the user trades in the next trades after a big win and after a losing streak.

        For each condition: how many triggers, the next N trades' mean size, win rate and median hold
        time against the user's own baseline (all their trades in the window), the ratios and
        whether it looks like tilt (size up ≥ 1.25× or win rate 15+ points lower, by default).
        """
        n = next_trades or th.tilt_next_trades
        return call(runtime, "get_tilt_check", {"window": window, "next_trades": next_trades},
                    lambda scope: _tilt(engine, scope, window, n, th))

    @tool("check_in_feeling", args_schema=a.FeelingCheckInArgs)
    def check_in_feeling(feeling: str, note: str = "", window: str = "last 90 days", *,
                         runtime: ToolRuntime[Context]) -> dict:
        """Record how the user feels right now in their journal, and answer with their own evidence.

        Saves a journal entry (tag check-in, the feeling as its emotion) and compares the user's
        realised results on past days they journaled the same feeling with their other trading days:
        win rate, P&L per trading day, days. Use it for "I'm anxious", "feeling tilted after that loss".
        """
        return call(runtime, "check_in_feeling", {"feeling": feeling, "note": note, "window": window},
                    lambda scope: _check_in(gate, scope, feeling, note, window))

    @tool("get_discipline_report", args_schema=a.DisciplineArgs)
    def get_discipline_report(window: str = "last 30 days", daily_loss_limit_usd: float | None = None, *,
                              runtime: ToolRuntime[Context]) -> dict:
        """Check the user's discipline: trades opened after their daily loss limit was hit, and size beyond the usual.

        Daily loss limit: the user's own figure if they name one, else the desk default. Oversize:
        trades ≥ 2.5× the user's median size (60 business days before the window), their share
        against the user's baseline share. Every finding lists its days and trade ids.
        """
        return call(runtime, "get_discipline_report", {"window": window, "daily_loss_limit_usd": daily_loss_limit_usd},
                    lambda scope: _discipline(engine, scope, window, daily_loss_limit_usd or th.daily_loss_limit_usd,
                                              th))

    return [get_tilt_check, check_in_feeling, get_discipline_report]


def _trades(engine: Engine, scope: Scope, start, end):
    return to_trades(tq.own_trades(engine, user_id=scope.user_id, books=scope.books, customers=scope.customers,
                                   start=start, end=end, by="open", closed_by=scope.as_of))


def _scope(scope: Scope) -> dict[str, Any]:
    return {"user_id": scope.user_id, "books": list(scope.books)}


def _tilt(engine: Engine, scope: Scope, window: str, n: int, th: BehaviourThresholds) -> TiltCheckResult:
    win = resolve_window(window, scope.as_of, default="last 90 days")
    trades = _trades(engine, scope, win.start, win.end)
    base, big, conditions = tilt.tilt_conditions(trades, th, n)
    return TiltCheckResult(as_of=scope.as_of, window=win, scope=_scope(scope), next_trades=n,
                           big_win_from_usd=None if big is None else round(big, 2), baseline=base,
                           conditions=conditions, tilted=any(c.flagged for c in conditions),
                           books=sorted({t.book for t in trades}))


def _check_in(gate: ScopeGate, scope: Scope, feeling: str, note: str, window: str) -> FeelingCheckInResult:
    engine = gate.db.engine
    win = resolve_window(window, scope.as_of, default="last 90 days")
    label = feelings.normalise_feeling(feeling)
    past = rq.entries_with_trades(engine, user_id=scope.user_id, books=scope.books, customers=scope.customers,
                                  start=win.start, end=win.end)
    days = sorted({e["created_at"].date() for e in past if label in e["emotions"]})
    entry = jq.insert_entry(engine, user_id=scope.user_id, book=scope.books[0] if scope.books else None,
                            trade_id=None, pair=None, setup_tags=["check-in"], emotions=[label],
                            notes=note.strip(), at=desk_now(scope.as_of))
    results = feelings.day_results(_trades(engine, scope, baseline_days(win.start, 10)[0], win.end),
                                   win.start, win.end)
    others = [d for d in sorted(results) if d not in set(days)]
    mine, rest = feelings.group_days(days, results), feelings.group_days(others, results)
    listed = [{"day": d, "closed": results[d][0], "wins": results[d][1], "pnl_usd": round(results[d][2], 2)}
              if d in results else {"day": d, "closed": 0, "wins": 0, "pnl_usd": 0.0} for d in days]
    diff_rate = (round(mine.win_rate_pct - rest.win_rate_pct, 2)
                 if mine.win_rate_pct is not None and rest.win_rate_pct is not None else None)
    diff_pnl = (round(mine.avg_pnl_per_trading_day_usd - rest.avg_pnl_per_trading_day_usd, 2)
                if mine.avg_pnl_per_trading_day_usd is not None and rest.avg_pnl_per_trading_day_usd is not None
                else None)
    return FeelingCheckInResult(as_of=scope.as_of, window=win, scope=_scope(scope), feeling=label, entry=entry,
                                feeling_days=mine, other_days=rest, feeling_day_list=listed,
                                win_rate_difference_pct_points=diff_rate, avg_day_pnl_difference_usd=diff_pnl)


def _discipline(engine: Engine, scope: Scope, window: str, limit: float, th: BehaviourThresholds) -> DisciplineResult:
    win = resolve_window(window, scope.as_of, default="last 30 days")
    base_days = baseline_days(win.start, th.overtrading_baseline_days)
    trades = _trades(engine, scope, base_days[0], win.end)
    window_trades = in_window(trades, win.start, win.end)
    baseline = [t for t in trades if base_days[0] <= t.trade_time.date() <= base_days[-1]]
    loss = discipline.loss_limit_finding(trades, win.start, win.end, limit)
    over = discipline.oversize_finding(window_trades, baseline, th)
    return DisciplineResult(as_of=scope.as_of, window=win, scope=_scope(scope), loss_limit=loss, oversize=over,
                            flagged=loss.flagged or over.flagged)

