"""Pure maths of the psychology desk: behaviour checks over one trader's own trades, each with evidence.

Every check returns a `BehaviourFlag` ``{check, flagged, severity, evidence, explanation}``; every
limit comes from `BehaviourThresholds` (never a literal here). Trades are `tools.trade_journal.calc.Trade`
rows and realised P&L follows the shared rule documented there (side sign × notional ×
(exit_rate − rate) in the quote currency, converted to USD at the exit day's rate; open trades have
no P&L and never count as wins or losses). Times are naive UTC.

A trade belongs to the window when it was *opened* on a window day (overtrading, revenge trading,
loss chasing, time of day); streaks run over trades *closed* in the window, ordered by exit time.

Severity: ``none`` when not flagged; otherwise observed / threshold ≥ ``severity_high`` is ``high``,
≥ ``severity_medium`` is ``medium``, else ``low``.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from tools.psychology.thresholds import BehaviourThresholds
from tools.trade_journal.calc import Trade, closed_only, outcome, streaks

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


def business_days(start: date, end: date) -> list[date]:
    """Return the Monday-to-Friday dates from ``start`` to ``end`` inclusive."""
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def baseline_days(window_start: date, count: int) -> list[date]:
    """Return the ``count`` business days just before ``window_start``, oldest first."""
    days, day = [], window_start
    while len(days) < count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days[::-1]


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
    baseline = float(statistics.median(counts.get(d, 0) for d in base_days))
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
        "baseline_median_trades_per_day": baseline,
        "baseline_used": effective,
        "baseline_period": {"start": base_days[0].isoformat(), "end": base_days[-1].isoformat(),
                            "business_days": len(base_days)},
        "threshold_trades_per_day": round(limit, 2),
        "daily_counts": {d.isoformat(): n for d, n in window_counts.items()},
        "flagged_days": flagged_days,
    }
    if flagged:
        text = (f"{len(flagged_days)} day(s) had at least {limit:g} trades, {th.overtrading_ratio:g}× the "
                f"baseline of {effective:g} per day (median over {len(base_days)} business days); busiest day "
                f"{top} trades.")
    else:
        text = f"No day reached {limit:g} trades ({th.overtrading_ratio:g}× the baseline of {effective:g})."
    return BehaviourFlag(check="overtrading", flagged=flagged,
                         severity=severity(flagged, top / effective, th.overtrading_ratio, th),
                         evidence=evidence, explanation=text)


def check_revenge_trading(trades: Sequence[Trade], start: date, end: date,
                          th: BehaviourThresholds) -> BehaviourFlag:
    """Flag trades opened within ``revenge_minutes`` after a losing close with an outsized notional.

    Size is the USD notional at the trade day's rate (base notional when unknown); outsized means
    ≥ ``revenge_size_ratio`` × the median size of all of ``trades`` (baseline period and window).
    Each such trade is paired with the most recent loss that closed before it.
    """
    sizes = [_size(t) for t in trades]
    median = float(statistics.median(sizes)) if sizes else 0.0
    losses = [t for t in closed_only(trades) if t.pnl_usd < 0]
    gap = timedelta(minutes=th.revenge_minutes)
    episodes = []
    for trade in in_window(trades, start, end):
        before = [loss for loss in losses if loss.trade_id != trade.trade_id
                  and loss.exit_time <= trade.trade_time <= loss.exit_time + gap]
        if not before or not median or _size(trade) < th.revenge_size_ratio * median:
            continue
        loss = max(before, key=lambda t: (t.exit_time, t.trade_id))
        episodes.append({
            "loss_trade_id": loss.trade_id, "loss_book": loss.book, "loss_pair": loss.pair,
            "loss_usd": round(loss.pnl_usd, 2), "loss_closed_at": loss.exit_time.isoformat(),
            "trade_id": trade.trade_id, "book": trade.book, "customer": trade.customer, "pair": trade.pair,
            "opened_at": trade.trade_time.isoformat(),
            "minutes_after_loss": round((trade.trade_time - loss.exit_time).total_seconds() / 60, 1),
            "size_usd": round(_size(trade), 2), "times_median_size": round(_size(trade) / median, 2),
        })
    flagged = bool(episodes)
    worst = max((e["times_median_size"] for e in episodes), default=0.0)
    evidence = {"median_size_usd": round(median, 2), "episodes": episodes}
    if flagged:
        text = (f"{len(episodes)} trade(s) opened within {th.revenge_minutes:g} minutes of a losing close at "
                f"≥ {th.revenge_size_ratio:g}× the median size of {median:,.0f} USD; largest {worst:g}×.")
    else:
        text = (f"No trade opened within {th.revenge_minutes:g} minutes of a losing close was "
                f"≥ {th.revenge_size_ratio:g}× the median size.")
    return BehaviourFlag(check="revenge_trading", flagged=flagged,
                         severity=severity(flagged, worst, th.revenge_size_ratio, th),
                         evidence=evidence, explanation=text)


def check_loss_chasing(trades: Sequence[Trade], start: date, end: date, th: BehaviourThresholds) -> BehaviourFlag:
    """Flag ≥ ``chase_count`` episodes of: after a losing close, the next trade in that pair is larger.

    The next trade is the first one in the same pair opened at or after the loss closed; the episode
    counts when that trade was opened in the window and its notional exceeds the losing trade's.
    """
    ordered = sorted(trades, key=_by_open)
    episodes, followed = [], 0
    for loss in (t for t in closed_only(trades) if t.pnl_usd < 0):
        nxt = next((t for t in ordered if t.pair == loss.pair and t.trade_id != loss.trade_id
                    and t.trade_time >= loss.exit_time), None)
        if nxt is None or not start <= nxt.trade_time.date() <= end:
            continue
        followed += 1
        if abs(nxt.notional) <= abs(loss.notional):
            continue
        episodes.append({
            "loss_trade_id": loss.trade_id, "loss_usd": round(loss.pnl_usd, 2),
            "loss_notional": abs(loss.notional), "next_trade_id": nxt.trade_id,
            "next_notional": abs(nxt.notional), "pair": nxt.pair, "book": nxt.book, "customer": nxt.customer,
            "size_increase_pct": round(100 * (abs(nxt.notional) / abs(loss.notional) - 1), 2),
            "minutes_after_loss": round((nxt.trade_time - loss.exit_time).total_seconds() / 60, 1),
        })
    flagged = len(episodes) >= th.chase_count
    share = round(100 * len(episodes) / followed, 2) if followed else None
    evidence = {"episodes": episodes, "count": len(episodes), "threshold": th.chase_count,
                "losses_followed_in_pair": followed, "larger_share_pct": share}
    text = (f"{len(episodes)} time(s) the next trade in the same pair after a loss was larger "
            f"(flag at {th.chase_count}); that is {share if share is not None else 0:g}% of the "
            f"{followed} losses followed by a trade in the same pair.")
    return BehaviourFlag(check="loss_chasing", flagged=flagged,
                         severity=severity(flagged, len(episodes), th.chase_count, th),
                         evidence=evidence, explanation=text)


def check_time_of_day(trades: Sequence[Trade], start: date, end: date, th: BehaviourThresholds) -> BehaviourFlag:
    """Flag a 2-hour bucket (UTC, any starting hour) holding ≥ ``time_of_day_share`` % of trades or losses.

    Losses are the window's trades that closed at a loss, bucketed by the hour they were opened.
    Below ``time_of_day_min_trades`` trades (or ``time_of_day_min_losses`` losses) there is no flag.
    """
    window = in_window(trades, start, end)
    hours = Counter(t.trade_time.hour for t in window)
    loss_trades = [t for t in window if t.is_closed and t.pnl_usd < 0]
    loss_hours = Counter(t.trade_time.hour for t in loss_trades)
    n, n_loss = len(window), len(loss_trades)

    def bucket(counter: Counter, h: int) -> int:
        return counter[h] + counter[(h + 1) % 24]

    top_h = max(range(24), key=lambda h: (bucket(hours, h), -h))
    top_loss_h = max(range(24), key=lambda h: (bucket(loss_hours, h), -h))
    share = 100 * bucket(hours, top_h) / n if n else 0.0
    loss_share = 100 * bucket(loss_hours, top_loss_h) / n_loss if n_loss else 0.0
    busy = n >= th.time_of_day_min_trades and share >= th.time_of_day_share
    lossy = n_loss >= th.time_of_day_min_losses and loss_share >= th.time_of_day_share
    flagged = busy or lossy
    evidence = {
        "trades": n, "losses": n_loss, "timezone": "UTC",
        "share_by_hour_pct": {f"{h:02d}": round(100 * c / n, 2) for h, c in sorted(hours.items())},
        "top_bucket": _bucket_row(window, top_h, share),
        "top_loss_bucket": _bucket_row(loss_trades, top_loss_h, loss_share),
    }
    parts = []
    if n:
        parts.append(f"{share:.2f}% of {n} trades were opened {_label(top_h)} UTC")
    if n_loss:
        parts.append(f"{loss_share:.2f}% of {n_loss} losing trades were opened {_label(top_loss_h)} UTC")
    text = ("; ".join(parts) or "No trades in the window") + f" (flag at {th.time_of_day_share:g}%)."
    observed = max(share if busy else 0.0, loss_share if lossy else 0.0)
    return BehaviourFlag(check="time_of_day", flagged=flagged,
                         severity=severity(flagged, observed, th.time_of_day_share, th),
                         evidence=evidence, explanation=text)


def check_streaks(trades: Sequence[Trade], start: date, end: date, th: BehaviourThresholds) -> BehaviourFlag:
    """Report current and longest win/loss streaks of trades closed in the window; flag a long loss run."""
    closed = [t for t in closed_only(trades) if start <= t.exit_time.date() <= end]
    results = [outcome(t.pnl_usd) for t in closed]
    longest_win, longest_loss, current = streaks(results)
    run = closed[len(closed) - abs(current):] if current else []
    kind = "win" if current > 0 else "loss" if current < 0 else "none"
    flagged = current <= -th.streak_alert
    evidence = {
        "closed_trades": len(closed),
        "current_streak": {"kind": kind, "length": abs(current), "trade_ids": [t.trade_id for t in run],
                           "books": sorted({t.book for t in run}),
                           "pnl_usd": round(sum(t.pnl_usd for t in run), 2)},
        "longest_win_streak": longest_win, "longest_loss_streak": longest_loss,
        "alert_at_losses": th.streak_alert,
    }
    text = (f"Current streak: {abs(current)} {kind}(s); longest win streak {longest_win}, longest loss streak "
            f"{longest_loss} (alert at {th.streak_alert} losses in a row).")
    return BehaviourFlag(check="streaks", flagged=flagged,
                         severity=severity(flagged, -current, th.streak_alert, th),
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


def _size(trade: Trade) -> float:
    usd = trade.notional_usd
    return abs(trade.notional) if usd is None else usd


def _label(hour: int) -> str:
    return f"{hour:02d}:00–{(hour + 2) % 24:02d}:00"


def _bucket_row(trades: Sequence[Trade], hour: int, share: float) -> dict[str, Any]:
    members = [t for t in trades if t.trade_time.hour in (hour, (hour + 1) % 24)]
    return {"hours": _label(hour), "count": len(members), "share_pct": round(share, 2),
            "trade_ids": [t.trade_id for t in members], "books": sorted({t.book for t in members})}
