"""Every tool's name, desk and argument model: the contract between tools, prompts and the offline model."""

from __future__ import annotations

from pydantic import BaseModel

from tools.compliance import args as compliance_args
from tools.position_risk import args as risk_args
from tools.psychology import args as psychology_args
from tools.trade_journal import args as journal_args

TOOL_ARGS: dict[str, tuple[str, type[BaseModel]]] = {
    "get_net_open_position": ("position_risk", risk_args.NetOpenPositionArgs),
    "get_pnl": ("position_risk", risk_args.PnlArgs),
    "get_var": ("position_risk", risk_args.VarArgs),
    "get_limit_utilisation": ("position_risk", risk_args.LimitUtilisationArgs),
    "what_if_trade": ("position_risk", risk_args.WhatIfTradeArgs),
    "get_rate_history": ("position_risk", risk_args.RateHistoryArgs),
    "add_journal_entry": ("trade_journal", journal_args.AddJournalEntryArgs),
    "list_journal_entries": ("trade_journal", journal_args.ListJournalEntriesArgs),
    "update_journal_entry": ("trade_journal", journal_args.UpdateJournalEntryArgs),
    "get_journal_stats": ("trade_journal", journal_args.JournalStatsArgs),
    "get_behaviour_report": ("psychology", psychology_args.BehaviourReportArgs),
    "get_limit_breaches": ("compliance", compliance_args.LimitBreachesArgs),
    "get_credit_utilisation": ("compliance", compliance_args.CreditUtilisationArgs),
    "screen_restricted": ("compliance", compliance_args.RestrictedScreenArgs),
    "pre_trade_check": ("compliance", compliance_args.PreTradeCheckArgs),
    "get_off_market_trades": ("compliance", compliance_args.OffMarketArgs),
    "get_late_bookings": ("compliance", compliance_args.LateBookingsArgs),
    "get_kyc_status": ("compliance", compliance_args.KycStatusArgs),
}


def tools_of(desk: str) -> list[str]:
    """Return the tool names of one desk, in catalogue order."""
    return [name for name, (owner, _) in TOOL_ARGS.items() if owner == desk]
