"""Model-facing argument models of the trade-journal tools."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

_WINDOW = ("Time window in desk words: today, this week, last 30 days, last 90 days, this month, "
           "since 2026-09-01, or 2026-09-01..2026-10-31.")


class AddJournalEntryArgs(BaseModel):
    """Arguments of add_journal_entry."""

    trade_id: str | None = Field(None, description="Trade id to link, e.g. T004211; omit for a free-standing note.")
    pair: str | None = Field(None, description="Currency pair the note is about, if not linked to a trade.")
    setup_tags: list[str] = Field(default_factory=list, description="Setup tags, e.g. ['breakout', 'news'].")
    emotions: list[str] = Field(default_factory=list, description="Emotions felt, e.g. ['fomo', 'calm'].")
    notes: str = Field("", description="Free text of the entry.", max_length=4000)


class ListJournalEntriesArgs(BaseModel):
    """Arguments of list_journal_entries."""

    window: str = Field("last 30 days", description=_WINDOW)
    tag: str | None = Field(None, description="Only entries with this setup tag.")
    pair: str | None = Field(None, description="Only entries about this pair.")
    limit: int = Field(20, ge=1, le=200, description="Most entries to return, newest first.")


class UpdateJournalEntryArgs(BaseModel):
    """Arguments of update_journal_entry."""

    entry_id: int = Field(..., description="Id of the entry to change.")
    setup_tags: list[str] | None = Field(None, description="Replace the setup tags.")
    emotions: list[str] | None = Field(None, description="Replace the emotions.")
    notes: str | None = Field(None, description="Replace the note text.", max_length=4000)


class JournalStatsArgs(BaseModel):
    """Arguments of get_journal_stats."""

    window: str = Field("last 90 days", description=_WINDOW)
    group_by: Literal["none", "tag", "pair"] = Field("none", description="Break the statistics down by tag or pair.")
    pair: str | None = Field(None, description="Only trades in this pair.")


class LogJournalTradeArgs(BaseModel):
    """Arguments of log_journal_trade: a trade written in the journal, not booked."""

    text: str | None = Field(None, max_length=1000, description=(
        "The trader's shorthand, e.g. 'long 5m cable 1.2710 stop 1.2650 breakout, felt fomo'; fields given "
        "below win over what the text says."))
    side: Literal["BUY", "SELL"] | None = Field(None, description="BUY (long the base) or SELL (short).")
    pair: str | None = Field(None, description="Currency pair, e.g. GBPUSD.")
    size: float | None = Field(None, gt=0, description="Size in base currency units, e.g. 5000000.")
    entry: float | None = Field(None, gt=0, description="Entry rate.")
    stop: float | None = Field(None, gt=0, description="Stop-loss rate.")
    target: float | None = Field(None, gt=0, description="Target (take-profit) rate.")
    exit: float | None = Field(None, gt=0, description="Exit rate, when the trade is already done.")
    setup_tags: list[str] = Field(default_factory=list, description="Setup tags, e.g. ['breakout'].")
    emotions: list[str] = Field(default_factory=list, description="Emotions felt, e.g. ['fomo'].")
    notes: str = Field("", max_length=4000, description="Why, in the trader's words.")


class JournalBreakdownArgs(BaseModel):
    """Arguments of get_journal_breakdown."""

    window: str = Field("last 90 days", description=_WINDOW)
    by: Literal["tag", "setup", "emotion", "pair"] = Field(
        "tag", description="Group by setup tag ('setup' is the same), emotion or pair.")
