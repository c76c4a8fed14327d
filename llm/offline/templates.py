"""Per-tool answer templates for the main result shapes; anything else falls back to the generic renderer.

A template takes the tool's result dict and returns markdown, or None to defer to the generic
renderer (e.g. when the result has an unexpected shape). Templates quote numbers only from the result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from llm.offline import templates_compliance as compliance
from llm.offline import templates_journal as journal
from llm.offline import templates_risk as risk

__all__ = ["TEMPLATES"]

Template = Callable[[Mapping[str, Any]], str | None]

TEMPLATES: dict[str, Template] = {
    "get_net_open_position": risk.net_open_position,
    "get_pnl": risk.pnl,
    "get_var": risk.value_at_risk,
    "get_limit_utilisation": risk.limit_utilisation,
    "what_if_trade": risk.what_if,
    "add_journal_entry": journal.journal_entry,
    "update_journal_entry": journal.journal_entry,
    "list_journal_entries": journal.journal_entries,
    "get_journal_stats": journal.journal_stats,
    "get_behaviour_report": journal.behaviour,
    "get_limit_breaches": compliance.limit_breaches,
    "get_credit_utilisation": compliance.credit,
    "screen_restricted": compliance.restricted,
    "pre_trade_check": compliance.pre_trade,
    "get_off_market_trades": compliance.off_market,
    "get_late_bookings": compliance.late_bookings,
    "get_kyc_status": compliance.kyc,
}
