"""Discipline: trading after the daily loss limit was hit, and size beyond the trader's usual (pure maths).

- Daily loss limit: on each window day, the trader's trades that closed that day are taken in exit
  order and their realised USD P&L summed; the limit is hit at the first close where that running
  sum is ≤ −limit. Every trade opened that day after that moment is a trade after the limit.
  Flagged when there is at least one.
- Size beyond the usual: the baseline median is the median USD size of her trades opened in the
  ``overtrading_baseline_days`` business days before the window (the window's trades when there are
  none); oversize means ≥ ``discipline_size_ratio`` × that median. The observed share is over the
  window's trades, the baseline share over the baseline trades. Flagged with at least one oversize
  trade and an observed share ≥ ``discipline_rate_ratio`` × the baseline share (any share when it is 0).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import date

from tools.psychology.baseline import pct
from tools.psychology.calc import trade_size
from tools.psychology.results import LossLimitDay, LossLimitFinding, OversizeFinding, RateFigure
from tools.psychology.thresholds import BehaviourThresholds
from tools.trade_journal.calc import Trade, closed_only

__all__ = ["loss_limit_finding", "oversize_finding"]

_MAX_ROWS = 20


def loss_limit_finding(trades: Sequence[Trade], start: date, end: date, limit: float) -> LossLimitFinding:
    """Return the days the realised loss reached ``limit`` (USD, positive) and the trades opened after it."""
    days = []
    closes: dict[date, list[Trade]] = {}
    for trade in closed_only(trades):
        if start <= trade.exit_time.date() <= end:
            closes.setdefault(trade.exit_time.date(), []).append(trade)
    for day in sorted(closes):
        running, hit = 0.0, None
        for trade in closes[day]:
            running += trade.pnl_usd
            if hit is None and running <= -limit:
                hit = (trade.exit_time, running)
        if hit is None:
            continue
        after = sorted((t for t in trades if t.trade_time.date() == day and t.trade_time > hit[0]),
                       key=lambda t: (t.trade_time, t.trade_id))
        days.append(LossLimitDay(day=day, limit_hit_at=hit[0], realised_at_hit_usd=round(hit[1], 2),
                                 day_realised_usd=round(running, 2), trades_after=len(after),
                                 trade_ids=[t.trade_id for t in after], books=sorted({t.book for t in after})))
    after_total = sum(d.trades_after for d in days)
    return LossLimitFinding(daily_loss_limit_usd=limit, days_hit=len(days), trades_after_limit=after_total,
                            days=days, flagged=after_total > 0)


def oversize_finding(window: Sequence[Trade], baseline: Sequence[Trade], th: BehaviourThresholds) -> OversizeFinding:
    """Return the window's trades beyond the usual size against the baseline share (see the module docstring)."""
    reference = baseline or window
    median = float(statistics.median(trade_size(t) for t in reference)) if reference else None
    cut = th.discipline_size_ratio * median if median else None
    big = [t for t in window if cut is not None and trade_size(t) >= cut]
    base_big = sum(1 for t in baseline if cut is not None and trade_size(t) >= cut)
    observed = RateFigure(count=len(big), of=len(window), pct=pct(len(big), len(window)))
    base = RateFigure(count=base_big, of=len(baseline), pct=pct(base_big, len(baseline)))
    if base.pct:
        ratio = (observed.pct or 0.0) / base.pct
    else:
        ratio = float("inf") if big else 0.0
    rows = [{"trade_id": t.trade_id, "book": t.book, "customer": t.customer, "pair": t.pair,
             "opened_at": t.trade_time.isoformat(), "size_usd": round(trade_size(t), 2),
             "times_median": round(trade_size(t) / median, 2)}
            for t in sorted(big, key=lambda t: -trade_size(t))[:_MAX_ROWS]]
    return OversizeFinding(median_size_usd=None if median is None else round(median, 2),
                           oversize_from_usd=None if cut is None else round(cut, 2), observed=observed, baseline=base,
                           times_baseline=None if ratio == float("inf") else round(ratio, 2), trades=rows,
                           flagged=bool(big) and ratio >= th.discipline_rate_ratio)
