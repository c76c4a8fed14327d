"""Answer templates of the trade-journal desk: each tool's JSON result as short markdown (CONTRACTS.md §4)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from llm.offline import templates_skills as skills
from llm.offline.numbers import format_number
from llm.offline.render import inline, money, table, window_text

__all__ = ["TEMPLATES"]

_STAT_LINES = (
    ("trades", "Closed trades", None), ("win_rate_pct", "Win rate", "%"), ("avg_win_usd", "Average win", "USD"),
    ("avg_loss_usd", "Average loss", "USD"), ("expectancy_usd", "Expectancy", "USD"),
    ("profit_factor", "Profit factor", None), ("total_pnl_usd", "Total P&L", "USD"),
    ("longest_win_streak", "Longest win streak", None), ("longest_loss_streak", "Longest loss streak", None),
)


def journal_entry(result: Mapping[str, Any]) -> str | None:
    """Write a saved or updated journal entry."""
    entry = result.get("entry")
    if not isinstance(entry, Mapping):
        return None
    verb = "Updated" if "updated_fields" in result else "Saved"
    about = [f"trade {entry['trade_id']}" if entry.get("trade_id") else None, entry.get("pair"), entry.get("book")]
    lines = [f"{verb} journal entry {format_number(entry.get('entry_id'))}"
             + (f" ({', '.join(a for a in about if a)})" if any(about) else "") + "."]
    if result.get("updated_fields"):
        lines.append(f"- Changed: {inline(result['updated_fields'])}")
    lines.append(f"- Tags: {inline(entry.get('setup_tags') or [])}; emotions: {inline(entry.get('emotions') or [])}")
    if entry.get("notes"):
        lines.append(f"- Note: {entry['notes']}")
    return "\n".join(lines)


def journal_entries(result: Mapping[str, Any]) -> str | None:
    """Write the journal entries in a window, newest first."""
    entries = result.get("entries")
    if entries is None:
        return None
    filters = result.get("filters") or {}
    extra = ", ".join(f"{k} {v}" for k, v in filters.items() if v)
    head = f"**Journal entries** for {window_text(result.get('window'))}" + (f" ({extra})" if extra else "")
    if not entries:
        return head + ": none."
    rows = [{**e, "created_at": str(e.get("created_at", ""))[:10]} for e in entries]
    return "\n".join([head + f": {format_number(len(entries))} entries.",
                      table(rows, ["entry_id", "created_at", "pair", "trade_id", "setup_tags", "emotions", "notes"])])


def journal_stats(result: Mapping[str, Any]) -> str | None:
    """Write the win/loss statistics, best and worst trade, and the breakdown by tag or pair."""
    stats = result.get("stats")
    if not isinstance(stats, Mapping):
        return None
    focus = f" in {result['pair']}" if result.get("pair") else ""
    lines = [f"**Trading statistics{focus}** for {window_text(result.get('window'))}:"]
    for key, label, unit in _STAT_LINES:
        if stats.get(key) is not None:
            value = format_number(stats[key])
            lines.append(f"- {label}: {value}{'%' if unit == '%' else ' ' + unit if unit else ''}")
    counts = [f"{format_number(stats[k])} {k}" for k in ("wins", "losses", "breakeven") if stats.get(k) is not None]
    if counts:
        lines.append(f"- Outcomes: {', '.join(counts)}")
    for key, label in (("best_trade", "Best trade"), ("worst_trade", "Worst trade")):
        trade = result.get(key)
        if isinstance(trade, Mapping):
            lines.append(f"- {label}: {trade.get('trade_id')} {trade.get('pair')} {money(trade.get('pnl_usd'))}")
    if result.get("open_trades_excluded"):
        lines.append(f"({format_number(result['open_trades_excluded'])} open trades are not counted.)")
    groups = result.get("groups") or []
    if groups:
        lines.append(f"\nBy {result.get('group_by')}:")
        lines.append(table(groups, ["group", "trades", "win_rate_pct", "expectancy_usd", "profit_factor",
                                    "total_pnl_usd"]))
    return "\n".join(lines)


TEMPLATES: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    "add_journal_entry": journal_entry,
    "update_journal_entry": journal_entry,
    "list_journal_entries": journal_entries,
    "get_journal_stats": journal_stats,
    "log_journal_trade": skills.journal_trade,
    "get_journal_breakdown": skills.journal_breakdown,
}
