"""The desk reports a schedule may send: each is one of a desk's read-only tools and the question a tick asks.

A tick runs the desk graph on its inbox thread with ``ask`` (plus the book, when the schedule names
one), so the report is the same answer the trader would get by asking, computed with their scope at
that moment. ``words`` let a trader name a schedule to cancel ("stop the 17:00 breach report").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

__all__ = ["COMPLIANCE_REPORTS", "REPORTS", "RISK_REPORTS", "ComplianceReport", "Report", "RiskReport",
           "ask_for", "reports_named"]

ComplianceReport = Literal["get_limit_breaches", "get_credit_utilisation", "get_off_market_trades",
                           "get_late_bookings", "get_kyc_status"]
RiskReport = Literal["get_net_open_position", "get_pnl", "get_var", "get_limit_utilisation", "get_var_backtest"]


@dataclass(frozen=True)
class Report:
    """One schedulable report: the tool, its desk, a title, the question a tick asks, words that name it."""

    tool: str
    desk: str
    title: str
    ask: str
    words: tuple[str, ...]


REPORTS: dict[str, Report] = {r.tool: r for r in (
    Report("get_limit_breaches", "compliance", "limit breaches", "Any limit breaches{in_book}?",
           ("breach", "breaches", "breech", "limit breaches")),
    Report("get_credit_utilisation", "compliance", "credit utilisation", "Show credit utilisation{in_book}",
           ("credit",)),
    Report("get_off_market_trades", "compliance", "off-market trades", "Any off-market trades today{in_book}?",
           ("off-market", "off market", "offmarket")),
    Report("get_late_bookings", "compliance", "late bookings", "Show me late bookings today{in_book}",
           ("late", "bookings")),
    Report("get_kyc_status", "compliance", "KYC status", "KYC status of my customers", ("kyc",)),
    Report("get_net_open_position", "position_risk", "net open position", "What's my net open position{in_book}?",
           ("position", "nop", "exposure")),
    Report("get_pnl", "position_risk", "P&L", "What's my P&L today{in_book}?", ("p&l", "pnl", "p and l", "profit")),
    Report("get_var", "position_risk", "VaR", "What's the VaR{in_book}?", ("var", "value at risk")),
    Report("get_limit_utilisation", "position_risk", "limit utilisation",
           "How close am I to my limits{in_book}?", ("utilisation", "utilization", "headroom")),
    Report("get_var_backtest", "position_risk", "VaR backtest", "Backtest the VaR{in_book}",
           ("backtest", "back test", "back-test")),
)}
COMPLIANCE_REPORTS = get_args(ComplianceReport)
RISK_REPORTS = get_args(RiskReport)


def ask_for(report: str, book: str | None) -> str:
    """Return the question a tick of ``report`` asks (naming ``book`` when the schedule is for one)."""
    return REPORTS[report].ask.format(in_book=f" in {book}" if book else "")


def reports_named(text: str) -> set[str]:
    """Return the reports whose words appear in ``text`` (a backtest is not also a VaR report)."""
    low = f" {text.lower()} "
    found = {r.tool for r in REPORTS.values()
             if any(_has_word(low, w) for w in r.words)}
    if "get_var_backtest" in found:
        found.discard("get_var")
    return found


def _has_word(low: str, word: str) -> bool:
    return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", low) is not None
