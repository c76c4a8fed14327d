"""Answer templates of the psychology desk: each tool's JSON result as short markdown (CONTRACTS.md §4)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from llm.offline import templates_skills as skills
from llm.offline.numbers import format_number
from llm.offline.render import table, window_text

__all__ = ["TEMPLATES"]


def behaviour(result: Mapping[str, Any]) -> str | None:
    """Write the behaviour flags, each with the tool's own explanation of the evidence."""
    flags = result.get("flags")
    if flags is None:
        return None
    raised = [f for f in flags if f.get("flagged")]
    head = f"**Behaviour report** for {window_text(result.get('window'))}"
    if result.get("trades_in_window") is not None:
        head += f" ({format_number(result['trades_in_window'])} trades)"
    if not flags:
        head += ": no checks ran."
    else:
        names = ", ".join(str(f.get("check", "")).replace("_", " ") for f in raised)
        head += f": flagged {names}." if raised else ": nothing flagged."
    lines = [head]
    for flag in flags:
        mark = f"**flagged ({flag.get('severity')})**" if flag.get("flagged") else "not flagged"
        lines.append(f"- {str(flag.get('check', '')).replace('_', ' ').capitalize()}: {mark}. "
                     f"{flag.get('explanation') or ''}".rstrip())
    for flag in raised:
        evidence = _evidence_rows(flag)
        if evidence:
            key, rows = evidence
            columns = [c for c in _EVIDENCE_COLUMNS.get(key, ()) if any(c in r for r in rows)]
            columns = columns or [k for k, v in rows[0].items() if not isinstance(v, dict | list)][:7]
            lines.append(f"\nEvidence, {str(flag.get('check')).replace('_', ' ')} ({key.replace('_', ' ')}):")
            lines.append(table(rows, columns))
    return "\n".join(lines)


_EVIDENCE_COLUMNS = {
    "flagged_days": ("day", "trades", "times_baseline"),
    "episodes": ("trade_id", "next_trade_id", "pair", "book", "opened_at", "minutes_after_loss", "loss_trade_id",
                 "loss_usd", "size_usd", "times_median_size", "loss_notional", "next_notional", "size_increase_pct"),
}


def _evidence_rows(flag: Mapping[str, Any]) -> tuple[str, list] | None:
    evidence = flag.get("evidence")
    if not isinstance(evidence, Mapping):
        return None
    for key, value in evidence.items():
        if isinstance(value, list) and value and all(isinstance(row, Mapping) for row in value):
            return key, value
    return None


TEMPLATES: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    "get_behaviour_report": behaviour,
    "get_tilt_check": skills.tilt_check,
    "check_in_feeling": skills.feeling_check_in,
    "get_discipline_report": skills.discipline_report,
}
