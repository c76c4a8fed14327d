"""Model-facing argument models of the position-risk tools (their Field descriptions are prompt text)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

_WINDOW = ("Time window in desk words: today, yesterday, this week, last week, this month, "
           "last 30 days, since monday, since 2026-11-02, or 2026-11-02..2026-11-13.")


class NetOpenPositionArgs(BaseModel):
    """Arguments of get_net_open_position."""

    book: str | None = Field(None, description="One book, e.g. FX-G10; omit for all entitled books.")
    pair: str | None = Field(None, description="Limit to one currency pair in any spelling, e.g. EURUSD or eur/usd.")
    currency: str | None = Field(None, description="Limit the currency table to one ISO currency, e.g. EUR.")


class PnlArgs(BaseModel):
    """Arguments of get_pnl."""

    book: str | None = Field(None, description="One book, e.g. FX-G10; omit for all entitled books.")
    pair: str | None = Field(None, description="Limit to one currency pair, e.g. GBPUSD.")
    window: str = Field("today", description=_WINDOW + " 'today' gives the day's P&L.")


class VarArgs(BaseModel):
    """Arguments of get_var."""

    book: str | None = Field(None, description="One book, e.g. FX-EM; omit for the whole entitled scope.")
    method: Literal["parametric", "historical", "both"] = Field(
        "both", description="parametric = EWMA (lambda 0.94) normal VaR; historical = 250-day full revaluation."
    )


class LimitUtilisationArgs(BaseModel):
    """Arguments of get_limit_utilisation."""

    book: str | None = Field(None, description="One book; omit for all entitled books.")


class WhatIfTradeArgs(BaseModel):
    """Arguments of what_if_trade."""

    pair: str = Field(..., description="Currency pair of the hypothetical trade, e.g. GBPUSD.")
    side: Literal["buy", "sell"] = Field(..., description="buy or sell the base currency.")
    notional: float = Field(..., description="Amount of base currency, e.g. 20000000 for 20m.")
    book: str | None = Field(None, description="Book to book it in; default: the book that trades the pair.")
    rate: float | None = Field(None, description="Deal rate; default: the as-of closing rate.")


class RateHistoryArgs(BaseModel):
    """Arguments of get_rate_history."""

    pair: str = Field(..., description="Currency pair in any spelling, e.g. EURUSD or eur/usd.")
    window: str = Field("last 3 months", description=_WINDOW + " Default: the last 3 months of daily candles.")


class VarBacktestArgs(BaseModel):
    """Arguments of get_var_backtest."""

    book: str | None = Field(None, description="One book, e.g. FX-G10; omit for the whole entitled scope.")
    method: Literal["parametric", "historical"] = Field(
        "parametric", description="Which 1-day 99% VaR the daily P&L is compared with.")
