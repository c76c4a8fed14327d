"""Model-facing argument models of the compliance tools."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class LimitBreachesArgs(BaseModel):
    """Arguments of get_limit_breaches."""

    book: str | None = Field(None, description="One book; omit for all entitled books.")


class CreditUtilisationArgs(BaseModel):
    """Arguments of get_credit_utilisation."""

    customer: str | None = Field(None, description="One customer, e.g. Cust203; omit for all entitled customers.")


class RestrictedScreenArgs(BaseModel):
    """Arguments of screen_restricted."""

    customer: str | None = Field(None, description="Customer to screen, e.g. Cust999.")
    pair: str | None = Field(None, description="Currency pair to screen, e.g. USDRUB.")


class PreTradeCheckArgs(BaseModel):
    """Arguments of pre_trade_check."""

    pair: str = Field(..., description="Currency pair of the proposed trade.")
    side: Literal["buy", "sell"] = Field(..., description="buy or sell the base currency.")
    notional: float = Field(..., description="Amount of base currency, e.g. 20000000 for 20m.")
    customer: str | None = Field(None, description="Customer of the trade, e.g. Cust203.")
    book: str | None = Field(None, description="Book; default: the book that trades the pair.")
    rate: float | None = Field(None, description="Proposed rate, checked against the day's range.")


class OffMarketArgs(BaseModel):
    """Arguments of get_off_market_trades."""

    window: str = Field("last 30 days", description="Time window in desk words, e.g. today, last 30 days.")
    book: str | None = Field(None, description="One book; omit for all entitled books.")
    tolerance_pct: float = Field(0.1, ge=0, le=10, description="Allowed distance outside the day's high/low, in %.")


class LateBookingsArgs(BaseModel):
    """Arguments of get_late_bookings."""

    window: str = Field("last 30 days", description="Time window in desk words.")
    book: str | None = Field(None, description="One book; omit for all entitled books.")
    threshold_minutes: int = Field(
        30, ge=1, le=10080, description="Minutes between trade and booking that count as late."
    )


class KycStatusArgs(BaseModel):
    """Arguments of get_kyc_status."""

    customer: str | None = Field(None, description="One customer, e.g. Cust203; omit for all entitled customers.")
    status: Literal["approved", "pending", "expired", "rejected"] | None = Field(
        None, description="Only customers in this KYC status."
    )
