"""Tilt: how a trader trades right after a big win or a losing streak, against her own baseline (pure maths).

Over the trades opened in the window (closed ones by exit time):
- a *big win* is a closed trade with P&L ≥ ``tilt_big_win_ratio`` × the median P&L of the window's
  winning trades; a *losing streak* trigger is the closed trade that makes ``tilt_loss_streak``
  losses in a row (once per run; a win or a break-even ends the run);
- after each trigger, the next N trades are the first N window trades opened after it closed; the
  trades after all triggers of one kind are pooled (each trade once);
- figures of a set: mean USD size, the win rate (wins / closed) and the median hold (exit − open,
  minutes) of its closed trades; the baseline is the same figures over all the window's trades;
- a condition is flagged with ≥ ``tilt_min_trades`` trades after it when their mean size is
  ≥ ``tilt_size_ratio`` × the baseline, or (with ≥ ``tilt_min_trades`` closed) their win rate is
  ≥ ``tilt_win_rate_drop_pct`` points below it.
"""

from __future__ import annotations

import statistics
from bisect import bisect_right
from collections.abc import Sequence

from tools.psychology.calc import trade_size
from tools.psychology.results import TiltCondition, TradeSetFigures
from tools.psychology.thresholds import BehaviourThresholds
from tools.trade_journal.calc import Trade, closed_only

__all__ = ["big_win_threshold", "figures", "tilt_conditions"]


def figures(trades: Sequence[Trade]) -> TradeSetFigures:
    """Return size, win rate and hold time of a set of trades."""
    closed = [t for t in trades if t.is_closed]
    wins = sum(1 for t in closed if t.pnl_usd > 0)
    holds = [(t.exit_time - t.trade_time).total_seconds() / 60 for t in closed]
    return TradeSetFigures(
        trades=len(trades),
        mean_size_usd=round(statistics.fmean(trade_size(t) for t in trades), 2) if trades else None,
        closed=len(closed), wins=wins,
        win_rate_pct=round(100 * wins / len(closed), 2) if closed else None,
        median_hold_minutes=round(float(statistics.median(holds)), 2) if holds else None,
    )


def big_win_threshold(window_trades: Sequence[Trade], th: BehaviourThresholds) -> float | None:
    """Return the P&L from which a win is big, or None without winning trades."""
    wins = [t.pnl_usd for t in window_trades if t.is_closed and t.pnl_usd > 0]
    return th.tilt_big_win_ratio * float(statistics.median(wins)) if wins else None


def _streak_triggers(closed: Sequence[Trade], length: int) -> list[Trade]:
    triggers, run = [], 0
    for trade in closed:
        run = run + 1 if trade.pnl_usd < 0 else 0
        if run == length:
            triggers.append(trade)
    return triggers


def _after(window_trades: Sequence[Trade], triggers: Sequence[Trade], n: int) -> list[Trade]:
    ordered = sorted(window_trades, key=lambda t: (t.trade_time, t.trade_id))
    opened = [t.trade_time for t in ordered]
    chosen: dict[str, Trade] = {}
    for trigger in triggers:
        start = bisect_right(opened, trigger.exit_time)  # the first trade opened after it closed
        for trade in ordered[start:start + n]:
            chosen.setdefault(trade.trade_id, trade)
    return sorted(chosen.values(), key=lambda t: (t.trade_time, t.trade_id))


def _condition(name, definition, triggers, after, base: TradeSetFigures, th: BehaviourThresholds) -> TiltCondition:
    fig = figures(after)
    size_ratio = (round(fig.mean_size_usd / base.mean_size_usd, 2)
                  if fig.mean_size_usd is not None and base.mean_size_usd else None)
    hold_ratio = (round(fig.median_hold_minutes / base.median_hold_minutes, 2)
                  if fig.median_hold_minutes is not None and base.median_hold_minutes else None)
    change = (round(fig.win_rate_pct - base.win_rate_pct, 2)
              if fig.win_rate_pct is not None and base.win_rate_pct is not None else None)
    reasons = []
    if fig.trades >= th.tilt_min_trades and size_ratio is not None and size_ratio >= th.tilt_size_ratio:
        reasons.append(f"mean size {size_ratio:g}× your baseline (flag at {th.tilt_size_ratio:g}×)")
    if fig.closed >= th.tilt_min_trades and change is not None and change <= -th.tilt_win_rate_drop_pct:
        reasons.append(f"win rate {-change:g} points below your baseline (flag at {th.tilt_win_rate_drop_pct:g})")
    return TiltCondition(condition=name, definition=definition, triggers=len(triggers),
                         trigger_trade_ids=[t.trade_id for t in triggers], after=fig,
                         after_trade_ids=[t.trade_id for t in after], size_ratio=size_ratio, hold_ratio=hold_ratio,
                         win_rate_change_pct_points=change, flagged=bool(reasons), reasons=reasons)


def tilt_conditions(window_trades: Sequence[Trade], th: BehaviourThresholds,
                    next_n: int) -> tuple[TradeSetFigures, float | None, list[TiltCondition]]:
    """Return the baseline figures, the big-win threshold and the two conditions (see the module docstring)."""
    base = figures(window_trades)
    closed = closed_only(window_trades)
    big = big_win_threshold(window_trades, th)
    big_wins = [t for t in closed if big is not None and t.pnl_usd > 0 and t.pnl_usd >= big]
    streak = _streak_triggers(closed, th.tilt_loss_streak)
    conditions = [
        _condition("after_big_win", f"the next {next_n} trades after a win of ≥ {th.tilt_big_win_ratio:g}× your "
                   "median win", big_wins, _after(window_trades, big_wins, next_n), base, th),
        _condition("after_losing_streak", f"the next {next_n} trades after {th.tilt_loss_streak} losses in a row",
                   streak, _after(window_trades, streak, next_n), base, th),
    ]
    return base, big, conditions
