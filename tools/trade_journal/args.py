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
