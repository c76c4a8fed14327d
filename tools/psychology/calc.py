"""Pure maths of the psychology desk: behaviour checks over one trader's own trades, each against her baseline.

Every check returns a `BehaviourFlag` ``{check, flagged, severity, evidence, explanation}`` whose
evidence holds ``observed`` and ``baseline`` (the same trader's own figure to compare with) and the
counts behind both; every limit comes from `BehaviourThresholds` (never a literal here). A check
flags a behaviour only when it is unusual *for this trader* (issue 13: a check that flags everyone
flags no one). Trades are `tools.trade_journal.calc.Trade` rows; realised P&L follows the shared rule
documented there; open trades never count as wins or losses. Times are naive UTC.

A trade belongs to the window when it was *opened* on a window day (overtrading, revenge trading,
loss chasing, time of day); streaks run over trades *closed* in the window, ordered by exit time.

Severity: ``none`` when not flagged; otherwise observed / threshold ≥ ``severity_high`` is ``high``,
≥ ``severity_medium`` is ``medium``, else ``low`` (for z-based checks, z / the z threshold).
"""

from __future__ import annotations

import statistics
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from tools.psychology.baseline import baseline_days, business_days, compare_rates, pct
from tools.psychology.thresholds import BehaviourThresholds
from tools.trade_journal.calc import Trade, closed_only, outcome, streaks

__all__ = ["CHECKS", "BehaviourFlag", "baseline_days", "behaviour_report", "business_days", "in_window",
           "severity", "trade_size"]

Severity = Literal["none", "low", "medium", "high"]


class BehaviourFlag(BaseModel):
    """One behaviour check's verdict and the numbers and trade ids that support it."""

    model_config = ConfigDict(frozen=True)

    check: str
    flagged: bool
    severity: Severity
    evidence: dict[str, Any]
    explanation: str


def severity(flagged: bool, observed: float, threshold: float, th: BehaviourThresholds) -> Severity:
    """Grade a flag by how far ``observed`` exceeds ``threshold`` (see the module docstring)."""
    if not flagged:
        return "none"
    ratio = observed / threshold if threshold else float("inf")
    if ratio >= th.severity_high:
        return "high"
    if ratio >= th.severity_medium:
        return "medium"
    return "low"


def in_window(trades: Sequence[Trade], start: date, end: date) -> list[Trade]:
    """Return the trades opened on a day from ``start`` to ``end``, ordered by trade time."""
    return sorted((t for t in trades if start <= t.trade_time.date() <= end), key=_by_open)


def check_overtrading(trades: Sequence[Trade], start: date, end: date, th: BehaviourThresholds) -> BehaviourFlag:
    """Flag window days with ≥ ``overtrading_ratio`` × the trader's baseline trade count.

    Baseline = median daily count over the ``overtrading_baseline_days`` business days before the
    window (days without trades count as 0), floored at ``overtrading_min_baseline``. ``trades``
    must include the baseline period.
    """
    base_days = baseline_days(start, th.overtrading_baseline_days)
    counts = Counter(t.trade_time.date() for t in trades)
    base_counts = [counts.get(d, 0) for d in base_days]
    baseline = float(statistics.median(base_counts))
    effective = max(baseline, th.overtrading_min_baseline)
    limit = th.overtrading_ratio * effective
    window_counts = {d: counts[d] for d in sorted(counts) if start <= d <= end}
    flagged_days = [
        {"day": d.isoformat(), "trades": n, "times_baseline": round(n / effective, 2)}
        for d, n in window_counts.items() if n >= limit
    ]
    top = max(window_counts.values(), default=0)
    flagged = bool(flagged_days)
    evidence = {
        "observed": {"busiest_day_trades": top, "times_baseline": round(top / effective, 2),
                     "days_traded": len(window_counts)},
        "baseline": {"median_trades_per_day": baseline, "used": effective, "busiest_day_trades": max(base_counts),
                     "start": base_days[0].isoformat(), "end": base_days[-1].isoformat(),
                     "business_days": len(base_days)},
        "threshold_trades_per_day": round(limit, 2),
        "daily_counts": {d.isoformat(): n for d, n in window_counts.items()},
        "flagged_days": flagged_days,
    }
    if flagged:
        text = (f"{len(flagged_days)} day(s) had at least {limit:g} trades, {th.overtrading_ratio:g}× your "
                f"baseline of {effective:g} per day (median over {len(base_days)} business days); busiest day "
                f"{top} trades.")
    else:
        text = (f"No day reached {limit:g} trades ({th.overtrading_ratio:g}× your baseline of {effective:g}); "
                f"busiest day {top} trades.")
    return BehaviourFlag(check="overtrading", flagged=flagged,
                         severity=severity(flagged, top / effective, th.overtrading_ratio, th),
                         evidence=evidence, explanation=text)


def check_revenge_trading(trades: Sequence[Trade], start: date, end: date,
                          th: BehaviourThresholds) -> BehaviourFlag:
    """Flag outsized trades opened soon after a losing close, when that is unusual for the trader.

    Size is the USD notional at the trade day's rate (base notional when unknown); outsized means
    ≥ ``revenge_size_ratio`` × the median size of all of ``trades`` (baseline period and window).
    A window trade opened within ``revenge_minutes`` after one of the trader's losing closes is
    *post-loss*; an outsized post-loss trade is an episode (paired with the latest such loss). The
    baseline is the outsized share of the trader's other window trades. Flag when there are
    ≥ ``revenge_min_episodes`` episodes and the post-loss share is ≥ ``revenge_rate_ratio`` × the
    baseline share (any share when the baseline is 0).
    """
    sizes = [trade_size(t) for t in trades]
    median = float(statistics.median(sizes)) if sizes else 0.0
    losses = sorted((t for t in closed_only(trades) if t.pnl_usd < 0), key=lambda t: (t.exit_time, t.trade_id))
    closes = [loss.exit_time for loss in losses]
    gap = timedelta(minutes=th.revenge_minutes)
    episodes, post, other_big, other = [], 0, 0, 0
    for trade in in_window(trades, start, end):
        big = bool(median) and trade_size(trade) >= th.revenge_size_ratio * median
        # the losing closes in [opened - gap, opened], latest last (bisect: the check stays O(n log n))
        recent = losses[bisect_left(closes, trade.trade_time - gap):bisect_right(closes, trade.trade_time)]
        before = [loss for loss in recent if loss.trade_id != trade.trade_id]
        if not before:
            other += 1
            other_big += big
            continue
        post += 1
        if not big:
            continue
        loss = before[-1]
        episodes.append({
            "loss_trade_id": loss.trade_id, "loss_book": loss.book, "loss_pair": loss.pair,
            "loss_usd": round(loss.pnl_usd, 2), "loss_closed_at": loss.exit_time.isoformat(),
            "trade_id": trade.trade_id, "book": trade.book, "customer": trade.customer, "pair": trade.pair,
            "opened_at": trade.trade_time.isoformat(),
            "minutes_after_loss": round((trade.trade_time - loss.exit_time).total_seconds() / 60, 1),
            "size_usd": round(trade_size(trade), 2), "times_median_size": round(trade_size(trade) / median, 2),
        })
    comparison = compare_rates(len(episodes), post, other_big, other)
    post_share, base_share = comparison["observed"]["pct"] or 0.0, comparison["baseline"]["pct"] or 0.0
    ratio = post_share / base_share if base_share else (float("inf") if post_share else 0.0)
    flagged = len(episodes) >= th.revenge_min_episodes and ratio >= th.revenge_rate_ratio
    evidence = {**comparison, "times_baseline": None if ratio == float("inf") else round(ratio, 2),
                "median_size_usd": round(median, 2), "outsized_from_usd": round(th.revenge_size_ratio * median, 2),
                "episodes": episodes}
    text = (f"{len(episodes)} of {post} trade(s) opened within {th.revenge_minutes:g} minutes of a losing close "
            f"were ≥ {th.revenge_size_ratio:g}× your median size of {median:,.0f} USD ({post_share:g}%), against "
            f"{other_big} of {other} ({base_share:g}%) of your other trades (flag at {th.revenge_rate_ratio:g}× "
            f"and {th.revenge_min_episodes} episode(s)).")
    return BehaviourFlag(check="revenge_trading", flagged=flagged,
                         severity=severity(flagged, ratio, th.revenge_rate_ratio, th),
                         evidence=evidence, explanation=text)


class _PairOpenings:
    """Each pair's trades in opening order, to find the first one opened at or after a time by bisection."""

    def __init__(self, trades: Sequence[Trade]):
        self._trades: dict[str, list[Trade]] = {}
        for trade in sorted(trades, key=_by_open):
            self._trades.setdefault(trade.pair, []).append(trade)
        self._times = {pair: [t.trade_time for t in group] for pair, group in self._trades.items()}

    def next_after(self, closed: Trade) -> Trade | None:
        """Return the first trade in ``closed``'s pair opened at or after it closed (not itself)."""
        group = self._trades.get(closed.pair, [])
        start = bisect_left(self._times.get(closed.pair, []), closed.exit_time)
        return next((t for t in group[start:start + 2] if t.trade_id != closed.trade_id), None)


def check_loss_chasing(trades: Sequence[Trade], start: date, end: date, th: BehaviourThresholds) -> BehaviourFlag:
    """Flag sizing up after losses more often than after wins (the trader's own baseline).

    For each closed trade, the next trade is the first one in the same pair opened at or after it
    closed; it counts when that next trade was opened in the window. After a loss, a larger next
    notional is an episode; after a win, a larger next notional is the baseline. Flag when there are
    ≥ ``chase_count`` episodes, the share after losses exceeds the share after wins by
    ≥ ``chase_excess_pct`` percentage points, and the two-proportion z is ≥ ``chase_min_z``.
    """
    openings = _PairOpenings(trades)
    episodes, after_loss, after_win, larger_after_win = [], 0, 0, 0
    for closed in closed_only(trades):
        result = outcome(closed.pnl_usd)
        nxt = openings.next_after(closed) if result else None
        if nxt is None or not start <= nxt.trade_time.date() <= end:
            continue
        larger = abs(nxt.notional) > abs(closed.notional)
        if result > 0:
            after_win += 1
            larger_after_win += larger
            continue
        after_loss += 1
        if larger:
            episodes.append({
                "loss_trade_id": closed.trade_id, "loss_usd": round(closed.pnl_usd, 2),
                "loss_notional": abs(closed.notional), "next_trade_id": nxt.trade_id,
                "next_notional": abs(nxt.notional), "pair": nxt.pair, "book": nxt.book, "customer": nxt.customer,
                "size_increase_pct": round(100 * (abs(nxt.notional) / abs(closed.notional) - 1), 2),
                "minutes_after_loss": round((nxt.trade_time - closed.exit_time).total_seconds() / 60, 1),
            })
    comparison = compare_rates(len(episodes), after_loss, larger_after_win, after_win)
    excess = comparison["excess_pct_points"]
    flagged = (len(episodes) >= th.chase_count and excess is not None and excess >= th.chase_excess_pct
               and comparison["z"] >= th.chase_min_z)
    evidence = {**comparison, "episodes": episodes, "count": len(episodes)}
    text = (f"After {after_loss} loss(es) your next trade in the same pair was larger {len(episodes)} time(s) "
            f"({comparison['observed']['pct'] or 0:g}%); after {after_win} win(s) it was larger "
            f"{larger_after_win} time(s) ({comparison['baseline']['pct'] or 0:g}%). Flag at "
            f"+{th.chase_excess_pct:g} points, z ≥ {th.chase_min_z:g} and {th.chase_count}+ episodes "
            f"(z = {comparison['z']:g}).")
    return BehaviourFlag(check="loss_chasing", flagged=flagged,
                         severity=severity(flagged, comparison["z"], th.chase_min_z, th),
                         evidence=evidence, explanation=text)


def check_time_of_day(trades: Sequence[Trade], start: date, end: date, th: BehaviourThresholds) -> BehaviourFlag:
    """Flag a 2-hour UTC bucket where the trader loses markedly more often than at her other hours.

    Over the window's trades that have closed, by the hour they were opened: for each bucket
    [h, h+2) with ≥ ``time_of_day_min_trades`` closed trades, compare its loss rate with the loss
    rate of the trader's closed trades opened outside it. The bucket with the highest z is reported;
    flag when its excess is ≥ ``time_of_day_excess_pct`` points and its z ≥ ``time_of_day_min_z``.
    """
    window = in_window(trades, start, end)
    closed = [t for t in window if t.is_closed]
    hours = Counter(t.trade_time.hour for t in window)
    best: tuple[float, int, dict[str, Any]] | None = None
    for hour in range(24):
        inside = [t for t in closed if t.trade_time.hour in (hour, (hour + 1) % 24)]
        if len(inside) < th.time_of_day_min_trades:
            continue
        lost_in = sum(1 for t in inside if t.pnl_usd < 0)
        lost_out = sum(1 for t in closed if t.pnl_usd < 0) - lost_in
        comparison = compare_rates(lost_in, len(inside), lost_out, len(closed) - len(inside))
        if best is None or comparison["z"] > best[0]:
            best = (comparison["z"], hour, comparison)
    n_loss = sum(1 for t in closed if t.pnl_usd < 0)
    evidence: dict[str, Any] = {
        "trades": len(window), "closed": len(closed), "losses": n_loss, "timezone": "UTC",
        "overall_loss_rate_pct": pct(n_loss, len(closed)),
        "share_by_hour_pct": {f"{h:02d}": round(100 * c / len(window), 2) for h, c in sorted(hours.items())},
        "observed": None, "baseline": None, "excess_pct_points": None, "z": None, "worst_bucket": None,
    }
    flagged = False
    if best is None:
        text = (f"No 2-hour bucket had {th.time_of_day_min_trades} closed trades to judge "
                f"({len(closed)} closed in the window).")
    else:
        z, hour, comparison = best
        members = [t for t in closed if t.trade_time.hour in (hour, (hour + 1) % 24)]
        evidence.update(comparison)
        evidence["worst_bucket"] = {"hours": _label(hour), "trade_ids": [t.trade_id for t in members if t.pnl_usd < 0],
                                    "books": sorted({t.book for t in members})}
        excess = comparison["excess_pct_points"] or 0.0
        flagged = excess >= th.time_of_day_excess_pct and z >= th.time_of_day_min_z
        text = (f"Trades opened {_label(hour)} UTC lost {comparison['observed']['count']} of "
                f"{comparison['observed']['of']} ({comparison['observed']['pct']:g}%) against "
                f"{comparison['baseline']['count']} of {comparison['baseline']['of']} "
                f"({comparison['baseline']['pct'] or 0:g}%) at your other hours (z = {z:g}; flag at "
                f"+{th.time_of_day_excess_pct:g} points and z ≥ {th.time_of_day_min_z:g}).")
    return BehaviourFlag(check="time_of_day", flagged=flagged,
                         severity=severity(flagged, best[0] if best else 0.0, th.time_of_day_min_z, th),
                         evidence=evidence, explanation=text)


def check_streaks(trades: Sequence[Trade], start: date, end: date, th: BehaviourThresholds) -> BehaviourFlag:
    """Report win/loss streaks of trades closed in the window; flag a loss run unusual for the trader.

    The baseline is the longest loss streak among trades closed in the ``overtrading_baseline_days``
    business days before the window. Flag when the current loss streak is ≥ ``streak_alert`` and at
    least as long as that baseline streak.
    """
    closed = [t for t in closed_only(trades) if start <= t.exit_time.date() <= end]
    base_days = baseline_days(start, th.overtrading_baseline_days)
    before = [t for t in closed_only(trades) if base_days[0] <= t.exit_time.date() < start]
    longest_win, longest_loss, current = streaks([outcome(t.pnl_usd) for t in closed])
    _, base_longest_loss, _ = streaks([outcome(t.pnl_usd) for t in before])
    run = closed[len(closed) - abs(current):] if current else []
    kind = "win" if current > 0 else "loss" if current < 0 else "none"
    needed = max(th.streak_alert, base_longest_loss)
    flagged = current < 0 and -current >= needed
    evidence = {
        "observed": {"current_loss_streak": max(-current, 0), "longest_loss_streak": longest_loss,
                     "closed_trades": len(closed)},
        "baseline": {"longest_loss_streak": base_longest_loss, "closed_trades": len(before),
                     "start": base_days[0].isoformat(), "end": base_days[-1].isoformat()},
        "closed_trades": len(closed),
        "current_streak": {"kind": kind, "length": abs(current), "trade_ids": [t.trade_id for t in run],
                           "books": sorted({t.book for t in run}),
                           "pnl_usd": round(sum(t.pnl_usd for t in run), 2)},
        "longest_win_streak": longest_win, "longest_loss_streak": longest_loss,
        "alert_at_losses": needed,
    }
    text = (f"Current streak: {abs(current)} {kind}(s); longest win streak {longest_win}, longest loss streak "
            f"{longest_loss}. Your longest loss streak in the {len(base_days)} business days before was "
            f"{base_longest_loss} (alert at {needed} losses in a row).")
    return BehaviourFlag(check="streaks", flagged=flagged,
                         severity=severity(flagged, -current, needed, th),
                         evidence=evidence, explanation=text)


CHECKS = {
    "overtrading": check_overtrading,
    "revenge_trading": check_revenge_trading,
    "loss_chasing": check_loss_chasing,
    "time_of_day": check_time_of_day,
    "streaks": check_streaks,
}


def behaviour_report(trades: Sequence[Trade], start: date, end: date, th: BehaviourThresholds,
                     checks: Sequence[str] | None = None) -> list[BehaviourFlag]:
    """Run the named checks (all by default, in catalogue order) over one trader's trades.

    ``trades`` must cover the baseline period before ``start`` as well as the window.
    """
    names = [c for c in CHECKS if checks is None or c in checks]
    return [CHECKS[name](trades, start, end, th) for name in names]


def _by_open(trade: Trade) -> tuple[datetime, str]:
    return trade.trade_time, trade.trade_id


def trade_size(trade: Trade) -> float:
    """Return a trade's size in USD at the trade day's rate (its base notional when that rate is unknown)."""
    usd = trade.notional_usd
    return abs(trade.notional) if usd is None else usd


def _label(hour: int) -> str:
    return f"{hour:02d}:00–{(hour + 2) % 24:02d}:00"
