"""Result models of the trade-journal tools added for issue 17 (journal trade records and the breakdown)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel

from tools.windows import Window

__all__ = ["JournalBreakdownResult", "JournalGroup", "JournalTradeRecord", "JournalTradeResult", "StreakNow", "Tally"]


class JournalTradeRecord(BaseModel):
    """A trade as the trader wrote it in the journal (never a booked trade) with its derived figures."""

    record_id: int
    user_id: str
    book: str
    pair: str
    side: Literal["BUY", "SELL"]
    size: float | None
    entry: float | None
    stop: float | None
    target: float | None
    exit: float | None
    setup_tags: list[str]
    emotions: list[str]
    notes: str
    source_text: str
    created_at: datetime
    stop_distance: float | None
    risk_quote: float | None
    reward_risk: float | None
    outcome: Literal["win", "loss", "breakeven"] | None
    result_quote: float | None
    r_multiple: float | None


class JournalTradeResult(BaseModel):
    """What log_journal_trade saved."""

    as_of: date
    scope: dict[str, Any]
    booked: Literal[False] = False
    record: JournalTradeRecord
    quote_currency: str
    warnings: list[str]


class StreakNow(BaseModel):
    """The run of outcomes at the end of the period."""

    kind: Literal["win", "loss", "none"]
    length: int


class Tally(BaseModel):
    """Counts, hit rate and streaks of a set of journal items."""

    journaled: int
    entries: int
    trade_records: int
    with_outcome: int
    wins: int
    losses: int
    breakeven: int
    hit_rate_pct: float | None
    current_streak: StreakNow
    longest_win_streak: int
    longest_loss_streak: int


class JournalGroup(Tally):
    """One group of the breakdown."""

    group: str


class JournalBreakdownResult(BaseModel):
    """get_journal_breakdown: how much was journaled and how it went, overall and per group."""

    as_of: date
    window: Window
    scope: dict[str, Any]
    by: str
    totals: Tally
    groups: list[JournalGroup]
