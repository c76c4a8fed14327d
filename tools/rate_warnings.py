"""Typed warnings a tool result carries when its market data is stale or missing (issue 14).

A tool that marks positions to market must not answer with old prices silently. For every pair
of a book in scope the gate checks the last close on or before the as-of date:
- ``missing_rates``: the pair has no close at all (the figures for it cannot be marked);
- ``stale_rates``: its last close is older than the as-of date (it is marked at that older close);
- ``trades_after_as_of``: the book has trades dealt after the as-of date, which every tool leaves
  out until that day's closes are loaded (the as-of is the latest complete day of rates).
They are returned under ``rate_warnings`` in an ``ok`` result.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel

from data.database import Database
from data.queries.freshness import last_closes, trades_after

# Tools that read closes (marking, VaR, limits in USD, off-market ranges, rate history).
MARKET_DATA_TOOLS = frozenset({
    "get_net_open_position", "get_pnl", "get_var", "get_limit_utilisation", "what_if_trade", "get_rate_history",
    "get_journal_stats", "get_behaviour_report", "get_limit_breaches", "get_credit_utilisation",
    "pre_trade_check", "get_off_market_trades",
})

WarningCode = Literal["missing_rates", "stale_rates", "trades_after_as_of"]


class RateWarning(BaseModel):
    """One market-data problem behind a tool's figures."""

    code: WarningCode
    message: str
    as_of: date
    book: str
    pair: str | None = None
    last_close: date | None = None
    trades: int | None = None


def rate_warnings(db: Database, pair_books: dict[str, str], books: tuple[str, ...], as_of: date) -> list[RateWarning]:
    """Return the warnings for the pairs of ``books`` at ``as_of`` (empty when every close is there)."""
    pairs = {pair: book for pair, book in pair_books.items() if book in books}
    out: list[RateWarning] = []
    for pair, last in sorted(last_closes(db.engine, pairs, as_of).items()):
        if last is None:
            out.append(RateWarning(code="missing_rates", as_of=as_of, book=pairs[pair], pair=pair,
                                   message=f"No close for {pair} on or before {as_of}: its positions cannot be "
                                           "marked. Load its rates (fxdesk data load rates.csv)."))
        elif last < as_of:
            out.append(RateWarning(code="stale_rates", as_of=as_of, book=pairs[pair], pair=pair, last_close=last,
                                   message=f"Stale rates: the last {pair} close is {last}, older than the as-of "
                                           f"date {as_of}; {pair} is marked at that close."))
    for book, count in sorted(trades_after(db.engine, books, as_of).items()):
        out.append(RateWarning(code="trades_after_as_of", as_of=as_of, book=book, trades=count,
                               message=f"{count} {book} trade(s) dealt after {as_of} are not included: the latest "
                                       "complete day of closes is the as-of date. Load the newer closes."))
    return out
