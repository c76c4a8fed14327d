"""Result models of every desk tool: the top-level shape of each tool's JSON result (CONTRACTS.md §5).

A tool returns ``model_dump(mode="json")`` of a dict that validates against its ``<Thing>Result``
(plus the scope gate's ``status``). Rows stay dicts here (their columns are documented in each
tool's docstring); the models pin the keys an answer template, the web desk and the eval rely on.
``extra="allow"`` lets a desk add a field without breaking older readers.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

__all__ = [
    "BehaviourReportResult", "CancelScheduledReportResult", "CreditUtilisationResult", "JournalEntriesResult",
    "JournalEntryResult", "JournalStatsResult", "KycStatusResult", "LateBookingsResult", "LimitBreachesResult",
    "LimitUtilisationResult", "NetOpenPositionResult", "OffMarketTradesResult", "PnlResult", "PreTradeCheckResult",
    "RateHistoryResult", "RestrictedScreenResult", "ScheduleReportResult",
    "ScheduledReportsResult", "ToolResult", "VarBacktestResult", "VarResult",
    "WhatIfTradeResult",
]

Rows = list[dict[str, Any]]


class ToolResult(BaseModel):
    """What every scoped tool result holds: the gate's status and the desk date."""

    model_config = ConfigDict(extra="allow")
    status: Literal["ok"] = "ok"
    as_of: str


class WindowResult(BaseModel):
    """A resolved window: the label the caller used and its first and last day."""

    model_config = ConfigDict(extra="allow")
    label: str
    start: str
    end: str


class NetOpenPositionResult(ToolResult):
    """get_net_open_position: positions per currency and pair, gross/net per book."""

    scope: dict[str, Any]
    pair: str | None = None
    currency: str | None = None
    currencies: Rows
    pairs: Rows
    books: Rows


class PnlResult(ToolResult):
    """get_pnl: mark-to-market P&L in USD over a window, by book and pair."""

    scope: dict[str, Any]
    pair: str | None = None
    window: WindowResult
    by_book: Rows
    by_pair: Rows
    total_pnl_usd: float


class VarResult(ToolResult):
    """get_var: 1-day 99% VaR per book and in total, with the exposures used."""

    scope: dict[str, Any]
    method: str
    by_book: Rows
    total: dict[str, Any]
    exposures: Rows


class VarBacktestResult(ToolResult):
    """get_var_backtest: days whose P&L lost more than the previous close's 1-day 99% VaR, and the Basel zone."""

    scope: dict[str, Any]
    method: str
    observations: int
    exceptions: int
    expected_exceptions: float
    zone: Literal["green", "yellow", "red"]
    zone_thresholds: dict[str, int]
    exception_days: Rows
    worst_day: dict[str, Any] | None = None


class LimitUtilisationResult(ToolResult):
    """get_limit_utilisation: NOP and VaR limit usage with counts of breaches and warnings."""

    scope: dict[str, Any]
    nop: Rows
    var: Rows
    breaches: int
    warnings: int


class WhatIfTradeResult(ToolResult):
    """what_if_trade: a hypothetical trade's legs, NOP and VaR before/after; nothing is booked."""

    scope: dict[str, Any]
    trade: dict[str, Any]
    nop: Rows
    var: dict[str, Any] | None = None
    breaches_after: list[str]


class RateHistoryResult(ToolResult):
    """get_rate_history: one pair's daily OHLC candles over a window, oldest first."""

    scope: dict[str, Any]
    book: str
    pair: str
    window: WindowResult
    decimals: int
    candles: Rows


class JournalEntryResult(ToolResult):
    """add_journal_entry / update_journal_entry: the saved entry (and the fields an update changed)."""

    entry: dict[str, Any]
    updated_fields: list[str] | None = None


class JournalEntriesResult(ToolResult):
    """list_journal_entries: entries in a window, newest first."""

    window: WindowResult | None = None
    count: int
    entries: Rows


class JournalStatsResult(ToolResult):
    """get_journal_stats: win rate, average win/loss, expectancy, profit factor, streaks."""

    window: WindowResult | None = None
    group_by: str | None = None
    stats: dict[str, Any]


class BehaviourReportResult(ToolResult):
    """get_behaviour_report: behaviour flags, each with the evidence that raised it."""

    window: WindowResult
    trades_in_window: int
    flags: Rows


class LimitBreachesResult(ToolResult):
    """get_limit_breaches: NOP and VaR limits in breach or warning."""

    limits_checked: int
    breaches: Rows
    warnings: Rows


class CreditUtilisationResult(ToolResult):
    """get_credit_utilisation: credit line usage per customer."""

    customers: Rows


class RestrictedScreenResult(ToolResult):
    """screen_restricted: restricted-list hits for a customer and/or pair."""

    hits: Rows
    clear: bool


class PreTradeCheckResult(ToolResult):
    """pre_trade_check: the verdict on a proposed trade, its reasons and each check."""

    trade: dict[str, Any]
    verdict: str
    reasons: Rows
    checks: dict[str, Any]


class OffMarketTradesResult(ToolResult):
    """get_off_market_trades: trades booked outside the day's range (plus tolerance)."""

    window: WindowResult
    trades_checked: int
    off_market: Rows


class LateBookingsResult(ToolResult):
    """get_late_bookings: trades booked later than the threshold after execution."""

    window: WindowResult
    threshold_minutes: int
    trades_checked: int
    late_bookings: Rows


class KycStatusResult(ToolResult):
    """get_kyc_status: customers' KYC status, expiry and counts per status."""

    counts: dict[str, Any]
    customers: Rows


class ScheduleReportResult(ToolResult):
    """schedule_compliance_report / schedule_risk_report: the schedule just created (issue 15)."""

    schedule: dict[str, Any]


class ScheduledReportsResult(ToolResult):
    """list_scheduled_reports: the caller's schedules with their next and last runs."""

    count: int
    schedules: Rows


class CancelScheduledReportResult(ToolResult):
    """cancel_scheduled_report: the schedules that were cancelled."""

    cancelled: Rows
