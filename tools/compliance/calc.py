"""Compliance maths over plain rows: limit breaches, credit use, off-market rates, late bookings, verdicts.

No SQL and no LangChain here: inputs are small dataclasses and mappings, outputs are pydantic
rows rounded for quoting (money 2 decimals, rates to the pair's decimals, ratios as % with 2
decimals). Definitions, each tested by hand in ``tests/unit/tools/compliance/test_calc.py``:

- utilisation %, breach, warning and the zero / missing limit edges are the desk's one rule,
  `domain.limits` (breach |value| > limit, warning >= 90 %). NOP and VaR limits take the
  position-risk desk's book-level utilisation rows (`limit_findings`), so both desks quote the
  same figures.
- credit exposure of a customer = its pre-settlement exposure (`domain.credit`: positive MTM plus
  an add-on by residual tenor over its unsettled open trades), checked against its credit limit;
  the same rule sizes the demo's credit limits. Settlement exposure by value date is reported beside it.
- off-market distance % = how far a rate lies outside the day's [low, high], relative to the
  bound it crossed: (low - rate) / low x 100 below the range, (rate - high) / high x 100 above it,
  0 inside. A trade is off-market when that distance exceeds the tolerance. A forward is judged
  against the spot range shifted by its forward points (the day's curve interpolated to its value
  date): [low + points, high + points].
- booking delay = booking time - trade time, in minutes; late when it exceeds the threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel

from domain import limits as domain_limits

WARNING_PCT = domain_limits.WARNING_PCT
PRE_TRADE_RATE_TOLERANCE_PCT = 0.1

Status = Literal["breach", "warning", "ok"]
Verdict = Literal["pass", "breach", "blocked"]


# -- inputs ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TradeRow:
    """One trade as the compliance checks need it (``notional`` in base-currency units)."""

    trade_id: str
    trader: str
    book: str
    customer: str
    pair: str
    side: str
    notional: float
    rate: float
    trade_time: datetime
    booking_time: datetime
    product: str = "SPOT"
    value_date: date | None = None


@dataclass(frozen=True)
class DayRange:
    """A pair's traded range on one day."""

    low: float
    high: float


# -- outputs -----------------------------------------------------------------------------------
class LimitRow(BaseModel):
    """A limit in breach or warning: a NOP per book and currency, or a VaR per book."""

    kind: Literal["nop", "var"]
    book: str
    currency: str | None = None
    value_usd: float          # |NOP| in USD, or the VaR
    limit_usd: float
    excess_usd: float         # max(0, value - limit)
    headroom_usd: float       # limit - value; negative when over
    utilisation_pct: float | None  # None for a zero limit (any position breaches it)
    status: Literal["breach", "warning"]


class CreditRow(BaseModel):
    """One customer's credit use."""

    customer: str
    books: list[str]
    by_book_usd: dict[str, float]
    exposure_usd: float
    limit_usd: float
    utilisation_pct: float | None
    headroom_usd: float       # limit - exposure; negative when over the limit
    status: Status
    mtm_usd: float = 0.0      # positive mark-to-market part of the exposure
    addon_usd: float = 0.0    # add-on part (potential future exposure by residual tenor)
    settlement_usd: float = 0.0   # USD the book pays on the open trades' value dates
    settlement_by_value_date: dict[str, float] = {}


class OffMarketRow(BaseModel):
    """A trade dealt outside the day's range by more than the tolerance."""

    trade_id: str
    book: str
    customer: str
    trader: str
    pair: str
    day: date
    rate: float
    day_low: float
    day_high: float
    distance_pct: float
    direction: Literal["above_high", "below_low"]
    product: str = "SPOT"
    forward_points: float = 0.0   # the day's range is shifted by these for a forward (0 for spot)


class LateBookingRow(BaseModel):
    """A trade booked later than the threshold after it was dealt."""

    trade_id: str
    book: str
    customer: str
    trader: str
    pair: str
    trade_time: datetime
    booking_time: datetime
    delay_minutes: float


class Reason(BaseModel):
    """Why a pre-trade check did not pass, with the figures behind it."""

    code: Literal["restricted_customer", "restricted_pair", "kyc_not_approved", "nop_limit",
                  "credit_limit", "off_market_rate"]
    severity: Literal["blocked", "breach"]
    message: str
    figures: dict[str, float | str | None] = {}


# -- ratios ------------------------------------------------------------------------------------
def utilisation_pct(value: float, limit: float | None) -> float | None:
    """Return |value| / limit in % with 2 decimals; None for a zero or missing limit (`domain.limits`)."""
    return domain_limits.utilisation_pct(value, limit)


def limit_status(value: float, limit: float | None, warning_pct: float = WARNING_PCT) -> str:
    """Classify a measure against its limit with the desk's one rule (`domain.limits.limit_status`)."""
    return domain_limits.limit_status(value, limit, warning_pct)


def limit_findings(nop_rows: Iterable[Mapping[str, Any]], var_rows: Iterable[Mapping[str, Any]]) -> list[LimitRow]:
    """Keep the breached and warned limits of the position-risk utilisation rows, with the excess over each.

    Args:
        nop_rows: `tools.position_risk.calc.nop_utilisation` rows (book, currency, nop_usd,
            limit_usd, utilisation_pct, headroom_usd, status).
        var_rows: `tools.position_risk.calc.var_utilisation` rows (book, var_usd, ...).

    Returns:
        Breaches then warnings, highest utilisation first; rows without a limit are dropped.

    """
    found = [(("nop", r["currency"], r["nop_usd"]), r) for r in nop_rows]
    found += [(("var", None, r["var_usd"]), r) for r in var_rows]
    rows = [
        LimitRow(kind=kind, book=r["book"], currency=ccy, value_usd=round(value, 2), limit_usd=r["limit_usd"],
                 excess_usd=round(max(0.0, value - r["limit_usd"]), 2), headroom_usd=round(r["limit_usd"] - value, 2),
                 utilisation_pct=r["utilisation_pct"], status=r["status"])
        for (kind, ccy, value), r in found if r["status"] in ("breach", "warning")
    ]
    return sorted(rows, key=lambda r: (r.status != "breach", -(r.utilisation_pct or 0.0), r.book, r.currency or ""))


# -- credit ------------------------------------------------------------------------------------
def credit_rows(exposure: Mapping[tuple[str, str], float], limits: Mapping[str, float]) -> list[CreditRow]:
    """Compare each customer's credit exposure, summed over its books, with its credit limit.

    Args:
        exposure: USD pre-settlement exposure per (customer, book) (`tools.compliance.credit`).
        limits: credit limit in USD per customer; every one gets a row (exposure 0 when absent),
            exposure of customers without a limit is ignored.

    Returns:
        Rows highest utilisation first, each naming the books the exposure comes from.

    """
    by_book: dict[str, dict[str, float]] = {c: {} for c in limits}
    for (customer, book), usd in exposure.items():
        if customer in limits and usd:
            by_book[customer][book] = by_book[customer].get(book, 0.0) + usd
    rows = [credit_row(c, by_book[c], limits[c]) for c in limits]
    return sorted(rows, key=lambda r: (-(r.utilisation_pct or 0.0), r.customer))


def credit_row(customer: str, by_book: Mapping[str, float], limit: float) -> CreditRow:
    """Compare one customer's exposure (per book) with its credit limit."""
    total = sum(by_book.values())
    return CreditRow(
        customer=customer, books=sorted(by_book),
        by_book_usd={book: round(usd, 2) for book, usd in sorted(by_book.items())},
        exposure_usd=round(total, 2), limit_usd=round(limit, 2),
        utilisation_pct=utilisation_pct(total, limit),
        headroom_usd=round(limit - total, 2),
        status=limit_status(total, limit),
    )


def usd_notional(notional: float, base_usd: float) -> float:
    """Return a trade's credit exposure in USD: base-currency notional x USD value of one base unit."""
    return abs(notional) * base_usd


# -- off-market and late bookings ---------------------------------------------------------------
def off_market_distance_pct(rate: float, low: float, high: float) -> float:
    """Return how far ``rate`` lies outside [low, high] in % of the crossed bound (0 inside)."""
    if rate < low:
        return (low - rate) / low * 100
    if rate > high:
        return (rate - high) / high * 100
    return 0.0


def off_market_rows(trades: Iterable[TradeRow], ranges: Mapping[tuple[str, date], DayRange],
                    tolerance_pct: float, decimals: Mapping[str, int],
                    points: Mapping[str, float] | None = None) -> list[OffMarketRow]:
    """Return the trades dealt outside their day's range by more than ``tolerance_pct``, worst first.

    ``points`` maps a forward's trade id to its forward points on the trade day; its range is shifted
    by them. A trade whose pair has no range that day (no rates row) is not judged.
    """
    points = points or {}
    rows = []
    for t in trades:
        day = t.trade_time.date()
        spot = ranges.get((t.pair, day))
        if spot is None:
            continue
        shift = points.get(t.trade_id, 0.0)
        rng = DayRange(low=spot.low + shift, high=spot.high + shift)
        distance = off_market_distance_pct(t.rate, rng.low, rng.high)
        if distance > tolerance_pct:
            d = decimals.get(t.pair, 5)
            rows.append(OffMarketRow(
                trade_id=t.trade_id, book=t.book, customer=t.customer, trader=t.trader, pair=t.pair,
                day=day, rate=round(t.rate, d), day_low=round(rng.low, d), day_high=round(rng.high, d),
                distance_pct=round(distance, 2),
                direction="above_high" if t.rate > rng.high else "below_low",
                product=t.product, forward_points=round(shift, d + 2),
            ))
    return sorted(rows, key=lambda r: (-r.distance_pct, r.trade_id))


def booking_delay_minutes(trade_time: datetime, booking_time: datetime) -> float:
    """Return minutes from dealing to booking (negative if booked before the deal time)."""
    return (booking_time - trade_time).total_seconds() / 60


def late_booking_rows(trades: Iterable[TradeRow], threshold_minutes: float) -> list[LateBookingRow]:
    """Return the trades booked more than ``threshold_minutes`` after dealing, longest delay first."""
    rows = []
    for t in trades:
        delay = booking_delay_minutes(t.trade_time, t.booking_time)
        if delay > threshold_minutes:
            rows.append(LateBookingRow(
                trade_id=t.trade_id, book=t.book, customer=t.customer, trader=t.trader, pair=t.pair,
                trade_time=t.trade_time, booking_time=t.booking_time, delay_minutes=round(delay, 1),
            ))
    return sorted(rows, key=lambda r: (-r.delay_minutes, r.trade_id))


# -- KYC ---------------------------------------------------------------------------------------
def days_to_expiry(expires_on: date | None, as_of: date) -> int | None:
    """Return days from ``as_of`` to the KYC expiry (negative once expired; None without a date)."""
    return None if expires_on is None else (expires_on - as_of).days


def kyc_ok(status: str, expires_on: date | None, as_of: date) -> bool:
    """Return True when KYC is approved and not past its expiry date on ``as_of``."""
    return status == "approved" and (expires_on is None or expires_on >= as_of)


# -- pre-trade ---------------------------------------------------------------------------------
def nop_figures(book: str, currencies: Iterable[str], before: Mapping[str, float], after: Mapping[str, float],
                limits: Mapping[str, float]) -> list[dict[str, Any]]:
    """Return NOP in USD before and after a trade, with limit and utilisation, for each given currency."""
    rows = []
    for ccy in currencies:
        pre, post, limit = before.get(ccy, 0.0), after.get(ccy, 0.0), limits.get(ccy)
        rows.append({"book": book, "currency": ccy, "nop_before_usd": round(pre, 2), "nop_after_usd": round(post, 2),
                     "limit_usd": None if limit is None else round(limit, 2),
                     "utilisation_before_pct": None if limit is None else utilisation_pct(pre, limit),
                     "utilisation_after_pct": None if limit is None else utilisation_pct(post, limit)})
    return rows


def nop_reasons(book: str, before: Mapping[str, float], after: Mapping[str, float],
                limits: Mapping[str, float]) -> list[Reason]:
    """Return a breach for each currency whose |NOP| is over its limit after the trade and grew.

    A trade that shrinks an existing excess reduces risk, so it is not a new breach.
    """
    reasons = []
    for row in nop_figures(book, sorted(limits), before, after, limits):
        ccy = row["currency"]
        post, pre, limit = abs(after.get(ccy, 0.0)), abs(before.get(ccy, 0.0)), limits[ccy]
        if limit_status(post, limit) == "breach" and post > pre:
            reasons.append(Reason(
                code="nop_limit", severity="breach",
                message=f"{book} {row['currency']} net open position would be {post:,.2f} USD "
                        f"against a limit of {limit:,.2f} USD.",
                figures=row,
            ))
    return reasons


def credit_figures(customer: str, before: float, added: float, limit: float) -> dict[str, Any]:
    """Return a customer's credit exposure before and after a trade adding ``added`` USD, with its limit."""
    return {"customer": customer, "credit_before_usd": round(before, 2), "credit_after_usd": round(before + added, 2),
            "limit_usd": round(limit, 2), "utilisation_before_pct": utilisation_pct(before, limit),
            "utilisation_after_pct": utilisation_pct(before + added, limit)}


def credit_reason(customer: str, before: float, added: float, limit: float) -> Reason | None:
    """Return a breach when the customer's exposure after the trade exceeds its credit limit."""
    after = before + added
    if limit_status(after, limit) != "breach":
        return None
    return Reason(
        code="credit_limit", severity="breach",
        message=f"{customer} credit exposure would be {after:,.2f} USD against a limit of {limit:,.2f} USD.",
        figures=credit_figures(customer, before, added, limit),
    )


def rate_figures(pair: str, rate: float, day: DayRange, decimals: int,
                 tolerance_pct: float = PRE_TRADE_RATE_TOLERANCE_PCT) -> dict[str, Any]:
    """Return a proposed rate against the day's range: low, high and distance outside it in %."""
    return {"pair": pair, "rate": round(rate, decimals), "day_low": round(day.low, decimals),
            "day_high": round(day.high, decimals),
            "distance_pct": round(off_market_distance_pct(rate, day.low, day.high), 2),
            "tolerance_pct": tolerance_pct}


def rate_reason(pair: str, rate: float, day: DayRange, decimals: int,
                tolerance_pct: float = PRE_TRADE_RATE_TOLERANCE_PCT) -> Reason | None:
    """Return a breach when the proposed rate is outside the day's range by more than the tolerance."""
    distance = off_market_distance_pct(rate, day.low, day.high)
    if distance <= tolerance_pct:
        return None
    return Reason(
        code="off_market_rate", severity="breach",
        message=f"Off-market rate: {pair} {rate:.{decimals}f} is {distance:.2f}% outside the day's range "
                f"{day.low:.{decimals}f}-{day.high:.{decimals}f} (tolerance {tolerance_pct}%).",
        figures=rate_figures(pair, rate, day, decimals, tolerance_pct),
    )


def verdict(reasons: Iterable[Reason]) -> Verdict:
    """Return ``blocked`` if any reason blocks, else ``breach`` if any breaches, else ``pass``."""
    severities = {r.severity for r in reasons}
    if "blocked" in severities:
        return "blocked"
    return "breach" if "breach" in severities else "pass"
