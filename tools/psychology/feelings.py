"""Feelings against results: the trader's realised results on days she journaled a feeling vs her other days.

A *feeling day* is a desk day on which one of her journal entries (in scope) carries the feeling as
an emotion. Results are by exit day: each day's closed trades (wins = P&L > 0) and summed realised USD
P&L. Feeling days are compared with the other window days on which she closed trades:
win rate = wins / closed; average P&L per trading day = P&L / days with closed trades.
Feelings are normalised with the journal's emotion words ("nervous" → anxious, "mad" → angry).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from tools.psychology.results import DayGroup
from tools.trade_journal.calc import Trade, closed_only, normalise_labels
from tools.trade_journal.shorthand import EMOTION_WORDS

__all__ = ["day_results", "group_days", "normalise_feeling"]

_EXTRA = {"anxiety": "anxious", "anger": "angry", "fear": "fearful", "afraid": "fearful", "greed": "greedy",
          "frustration": "frustrated", "stress": "stressed", "fatigue": "tired", "exhausted": "tired",
          "knackered": "tired", "boredom": "bored", "confidence": "confident", "tilt": "tilted", "on tilt": "tilted"}


def normalise_feeling(text: str) -> str:
    """Return the journal's word for a feeling ("Nervous " → anxious); unknown feelings are kept, lower-cased."""
    label = (normalise_labels([text]) or [""])[0]
    return EMOTION_WORDS.get(label) or _EXTRA.get(label) or label


def day_results(trades: Iterable[Trade], start: date, end: date) -> dict[date, tuple[int, int, float]]:
    """Return ``{exit day: (closed, wins, realised USD P&L)}`` for trades closed from ``start`` to ``end``."""
    out: dict[date, tuple[int, int, float]] = {}
    for t in closed_only(trades):
        day = t.exit_time.date()
        if start <= day <= end:
            closed, wins, pnl = out.get(day, (0, 0, 0.0))
            out[day] = (closed + 1, wins + (t.pnl_usd > 0), pnl + t.pnl_usd)
    return out


def group_days(days: Sequence[date], results: dict[date, tuple[int, int, float]]) -> DayGroup:
    """Return the summed results of ``days`` (a day without closed trades counts in ``days`` only)."""
    rows = [results[d] for d in days if d in results]
    closed = sum(r[0] for r in rows)
    wins = sum(r[1] for r in rows)
    pnl = sum(r[2] for r in rows)
    return DayGroup(days=len(days), trading_days=len(rows), closed=closed, wins=wins,
                    win_rate_pct=round(100 * wins / closed, 2) if closed else None, pnl_usd=round(pnl, 2),
                    avg_pnl_per_trading_day_usd=round(pnl / len(rows), 2) if rows else None)
