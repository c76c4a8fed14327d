"""Pure maths of journal trade records and of the journal breakdown (no SQL, no LangChain).

A journal trade record is a trade as the trader wrote it (side, pair, size, entry, stop, target,
exit), never a booked trade. Definitions (prices in quote per base, size in base units):
- stop distance = |entry − stop|; risk = size × stop distance (quote currency);
- reward/risk = |target − entry| / stop distance;
- with an exit: result in quote currency = side sign × size × (exit − entry) (side sign +1 BUY,
  −1 SELL); R multiple = side sign × (exit − entry) / stop distance; outcome win / loss / breakeven
  by the sign of side sign × (exit − entry).
A stop on the wrong side of the entry (above a long's entry, below a short's) is reported as a warning.

The breakdown counts journal items (entries and trade records) per group and, for items with an
outcome (a record with an exit; an entry linked to a booked trade closed by the desk date, by the
sign of its realised P&L), the hit rate = wins / items with an outcome and win/loss streaks in time order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tools.trade_journal.calc import outcome, side_sign, streaks

__all__ = ["JournalItem", "breakdown", "record_figures", "tally"]


def record_figures(side: str, size: float | None, entry: float | None, stop: float | None,
                   target: float | None, exit: float | None) -> tuple[dict[str, Any], list[str]]:
    """Return the derived figures of one record (see the module docstring) and any warnings."""
    sign = side_sign(side)
    figures: dict[str, Any] = {"stop_distance": None, "risk_quote": None, "reward_risk": None,
                               "outcome": None, "result_quote": None, "r_multiple": None}
    warnings: list[str] = []
    distance = abs(entry - stop) if entry is not None and stop is not None else None
    if distance:
        figures["stop_distance"] = round(distance, 6)
        if size is not None:
            figures["risk_quote"] = round(size * distance, 2)
        if target is not None:
            figures["reward_risk"] = round(abs(target - entry) / distance, 2)
        if sign * (stop - entry) > 0:
            warnings.append(f"the stop {stop:g} is on the wrong side of the entry {entry:g} for a "
                            f"{'long' if sign > 0 else 'short'}")
    if exit is not None and entry is not None:
        move = sign * (exit - entry)
        figures["outcome"] = {1: "win", -1: "loss", 0: "breakeven"}[outcome(move)]
        if size is not None:
            figures["result_quote"] = round(size * move, 2)
        if distance:
            figures["r_multiple"] = round(move / distance, 2)
    return figures, warnings


@dataclass(frozen=True)
class JournalItem:
    """One journal entry or trade record as the breakdown sees it."""

    kind: str                      # entry | record
    item_id: int
    at: datetime
    pair: str | None
    setup_tags: tuple[str, ...] = ()
    emotions: tuple[str, ...] = ()
    result: int | None = None      # +1 win, −1 loss, 0 breakeven, None without an outcome
    book: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def tally(items: Sequence[JournalItem]) -> dict[str, Any]:
    """Return counts, hit rate and streaks of items (ordered by time, then kind and id)."""
    ordered = sorted(items, key=lambda i: (i.at, i.kind, i.item_id))
    results = [i.result for i in ordered if i.result is not None]
    wins, losses = results.count(1), results.count(-1)
    longest_win, longest_loss, current = streaks(results)
    return {
        "journaled": len(ordered), "entries": sum(i.kind == "entry" for i in ordered),
        "trade_records": sum(i.kind == "record" for i in ordered), "with_outcome": len(results),
        "wins": wins, "losses": losses, "breakeven": len(results) - wins - losses,
        "hit_rate_pct": round(100 * wins / len(results), 2) if results else None,
        "current_streak": {"kind": "win" if current > 0 else "loss" if current < 0 else "none",
                           "length": abs(current)},
        "longest_win_streak": longest_win, "longest_loss_streak": longest_loss,
    }


def breakdown(items: Iterable[JournalItem], by: str) -> list[dict[str, Any]]:
    """Return one `tally` row per group: ``by`` is ``tag`` (= ``setup``), ``emotion`` or ``pair``.

    An item counts in every one of its tags or emotions; one without any is in ``untagged`` /
    ``no-emotion`` / ``no-pair``. Rows are sorted by count (most first), then name.
    """
    groups: dict[str, list[JournalItem]] = {}
    for item in items:
        if by in ("tag", "setup"):
            keys = list(item.setup_tags) or ["untagged"]
        elif by == "emotion":
            keys = list(item.emotions) or ["no-emotion"]
        else:
            keys = [item.pair or "no-pair"]
        for key in dict.fromkeys(keys):
            groups.setdefault(key, []).append(item)
    rows = [{"group": key, **tally(members)} for key, members in groups.items()]
    return sorted(rows, key=lambda r: (-r["journaled"], r["group"]))
