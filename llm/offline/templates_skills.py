"""Answer templates of the psychology and trade-journal skills of issue 17 (tilt, feelings, discipline, journal trades).

Each template quotes only numbers that are in the result. `tools.psychology.answers` and
`tools.trade_journal.answers` publish them per desk (CONTRACTS §4); they live here so that the offline
model, which imports nothing above `llm/`, renders them today.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from llm.offline.numbers import format_number
from llm.offline.render import inline, money, table, window_text

__all__ = ["discipline_report", "feeling_check_in", "journal_breakdown", "journal_trade", "tilt_check"]


def _n(value: Any) -> str:
    return "—" if value is None else format_number(value)


def _set_line(label: str, fig: Mapping[str, Any]) -> str:
    return (f"- {label}: {_n(fig.get('trades'))} trades, mean size {money(fig.get('mean_size_usd'))}, "
            f"win rate {_n(fig.get('win_rate_pct'))}% of {_n(fig.get('closed'))} closed, median hold "
            f"{_n(fig.get('median_hold_minutes'))} min")


def tilt_check(result: Mapping[str, Any]) -> str:
    """Write the tilt check: each condition's next trades against the baseline."""
    head = f"**Tilt check** for {window_text(result.get('window'))}: "
    head += "signs of tilt." if result.get("tilted") else "no sign of tilt."
    lines = [head, _set_line("Your baseline (all trades)", result.get("baseline") or {})]
    for cond in result.get("conditions") or []:
        name = str(cond.get("condition", "")).replace("_", " ")
        lines.append(f"\n*{name.capitalize()}* ({cond.get('definition')}): {_n(cond.get('triggers'))} trigger(s).")
        lines.append(_set_line("After", cond.get("after") or {}))
        lines.append(f"- Size {_n(cond.get('size_ratio'))}× baseline, hold {_n(cond.get('hold_ratio'))}× baseline, "
                     f"win rate {_n(cond.get('win_rate_change_pct_points'))} points vs baseline.")
        if cond.get("flagged"):
            lines.append(f"- **Flagged**: {'; '.join(cond.get('reasons') or [])}.")
    return "\n".join(lines)


def _group(label: str, g: Mapping[str, Any]) -> str:
    per_day = money(g.get("avg_pnl_per_trading_day_usd"))
    return (f"- {label}: {_n(g.get('trading_days'))} trading day(s), {_n(g.get('closed'))} closed trades, win rate "
            f"{_n(g.get('win_rate_pct'))}%, P&L {money(g.get('pnl_usd'))} ({per_day} per trading day)")


def feeling_check_in(result: Mapping[str, Any]) -> str:
    """Write the saved check-in and the trader's results on days with the same feeling."""
    feeling = result.get("feeling")
    entry = result.get("entry") or {}
    lines = [f"Noted: you feel **{feeling}** (journal entry {_n(entry.get('entry_id'))}).",
             f"Your own evidence for {window_text(result.get('window'))}:"]
    mine = result.get("feeling_days") or {}
    if not mine.get("days"):
        lines.append(f"- You have not journaled feeling {feeling} before in this window, so there is nothing to "
                     "compare yet.")
    else:
        lines.append(_group(f"Days you felt {feeling}", mine))
    lines.append(_group("Your other trading days", result.get("other_days") or {}))
    if result.get("win_rate_difference_pct_points") is not None:
        lines.append(f"- Difference: win rate {_n(result['win_rate_difference_pct_points'])} points, "
                     f"{money(result.get('avg_day_pnl_difference_usd'))} per trading day.")
    return "\n".join(lines)


def discipline_report(result: Mapping[str, Any]) -> str:
    """Write the discipline findings: trading after the daily loss limit, and oversize trades."""
    loss = result.get("loss_limit") or {}
    over = result.get("oversize") or {}
    lines = [f"**Discipline** for {window_text(result.get('window'))}: "
             + ("something to look at." if result.get("flagged") else "nothing flagged.")]
    lines.append(f"- Daily loss limit {money(loss.get('daily_loss_limit_usd'))}: hit on {_n(loss.get('days_hit'))} "
                 f"day(s); {_n(loss.get('trades_after_limit'))} trade(s) opened after it was hit"
                 + (" — **flagged**." if loss.get("flagged") else "."))
    days = loss.get("days") or []
    if days:
        lines.append(table(days, ["day", "limit_hit_at", "realised_at_hit_usd", "day_realised_usd", "trades_after"]))
    obs, base = over.get("observed") or {}, over.get("baseline") or {}
    lines.append(f"- Size beyond your usual (≥ {money(over.get('oversize_from_usd'))}, your median "
                 f"{money(over.get('median_size_usd'))}): {_n(obs.get('count'))} of {_n(obs.get('of'))} trades "
                 f"({_n(obs.get('pct'))}%) against {_n(base.get('count'))} of {_n(base.get('of'))} "
                 f"({_n(base.get('pct'))}%) before" + (" — **flagged**." if over.get("flagged") else "."))
    return "\n".join(lines)


def journal_trade(result: Mapping[str, Any]) -> str:
    """Write the logged journal trade record and its figures."""
    r = result.get("record") or {}
    ccy = result.get("quote_currency", "")
    side = "long" if r.get("side") == "BUY" else "short"
    lines = [f"Logged in your journal (record {_n(r.get('record_id'))}, not a booked trade): {side} "
             f"{_n(r.get('size'))} {r.get('pair')} at {_n(r.get('entry'))}, stop {_n(r.get('stop'))}, "
             f"target {_n(r.get('target'))}."]
    if r.get("risk_quote") is not None or r.get("reward_risk") is not None:
        lines.append(f"- Risk {_n(r.get('risk_quote'))} {ccy} ({_n(r.get('stop_distance'))} to the stop); "
                     f"reward/risk {_n(r.get('reward_risk'))}")
    if r.get("outcome"):
        lines.append(f"- Exit {_n(r.get('exit'))}: {r['outcome']}, {_n(r.get('result_quote'))} {ccy}, "
                     f"{_n(r.get('r_multiple'))} R")
    lines.append(f"- Tags: {inline(r.get('setup_tags') or [])}; emotions: {inline(r.get('emotions') or [])}")
    for warning in result.get("warnings") or []:
        lines.append(f"- Check: {warning}.")
    return "\n".join(lines)


def journal_breakdown(result: Mapping[str, Any]) -> str:
    """Write the journal counts, hit rate and streaks, overall and per group."""
    t = result.get("totals") or {}
    streak = t.get("current_streak") or {}
    lines = [f"**Your journal** for {window_text(result.get('window'))}: {_n(t.get('journaled'))} journaled "
             f"({_n(t.get('entries'))} entries, {_n(t.get('trade_records'))} logged trades); "
             f"{_n(t.get('with_outcome'))} with an outcome, hit rate {_n(t.get('hit_rate_pct'))}% "
             f"({_n(t.get('wins'))} wins, {_n(t.get('losses'))} losses).",
             f"- Streaks: now {_n(streak.get('length'))} {streak.get('kind', 'none')}; longest "
             f"{_n(t.get('longest_win_streak'))} wins, {_n(t.get('longest_loss_streak'))} losses."]
    groups = result.get("groups") or []
    if groups:
        lines.append(f"\nBy {result.get('by')}:")
        lines.append(table(groups, ["group", "journaled", "with_outcome", "wins", "losses", "hit_rate_pct",
                                    "longest_win_streak", "longest_loss_streak"]))
    return "\n".join(lines)
