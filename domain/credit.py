"""Counterparty credit measures of one trade: settlement exposure and pre-settlement exposure (MTM + add-on).

Definitions (a credit officer's; tested by hand in ``tests/unit/domain/test_credit.py``):

- A trade counts while it is **unsettled and open** on day ``d``: dealt by ``d``, value date after
  ``d``, and not exited by ``d`` (a trade the trader closed out no longer carries the customer's
  credit: its offsetting exit nets it).
- **Settlement exposure** on the value date: the USD value of what the book pays away that day and
  could lose if the customer fails to deliver — for a BUY of the base the quote amount
  ``N * K * u_quote``, for a SELL the base amount ``N * u_base`` (USD values at the close of ``d``).
- **Pre-settlement exposure (PSE)**: the replacement cost ``max(0, MTM in USD)`` (forwards marked
  on the curve, discounted: `domain.valuation`) plus an **add-on** for potential future exposure,
  ``add-on fraction(residual days to value) * N * u_base``. The add-on table is
  ``(max_days, fraction)`` buckets: a trade takes the first bucket whose ``max_days`` >= its residual
  days. `DEFAULT_ADDON` below; the desks read the configured one. The credit limit is checked
  against the customer's summed PSE.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.market import Market
from domain.trade import Trade
from domain.valuation import value_usd

DEFAULT_ADDON: tuple[tuple[int, float], ...] = ((30, 0.01), (91, 0.02), (182, 0.03), (365, 0.05), (99_999, 0.075))


def counts_for_credit(trade: Trade, day: date) -> bool:
    """Return True when the trade is open and unsettled at the close of ``day``."""
    return trade.is_open(day) and trade.value_date is not None and trade.value_date > day


def addon_fraction(days: int, table: Sequence[tuple[int, float]] = DEFAULT_ADDON) -> float:
    """Return the add-on fraction for ``days`` to value (the last bucket beyond the table)."""
    buckets = sorted(table)
    for max_days, fraction in buckets:
        if days <= max_days:
            return fraction
    return buckets[-1][1]


def settlement_usd(trade: Trade, market: Market, day: date) -> float:
    """Return the USD value of what the book pays on the value date (quote for a BUY, base for a SELL)."""
    if trade.sign > 0:
        return trade.notional * trade.rate * market.usd(trade.quote, day)
    return trade.notional * market.usd(trade.base, day)


def pre_settlement_usd(trade: Trade, market: Market, day: date,
                       table: Sequence[tuple[int, float]] = DEFAULT_ADDON) -> tuple[float, float]:
    """Return (positive MTM in USD, add-on in USD) of an unsettled trade at the close of ``day``."""
    assert trade.value_date is not None
    mtm = max(0.0, value_usd(trade, market, day))
    addon = addon_fraction((trade.value_date - day).days, table) * trade.notional * market.usd(trade.base, day)
    return mtm, addon
