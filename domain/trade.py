"""The one trade record of the desk and the realised-P&L rule (entry to exit, in the quote currency).

A trade in BASE/QUOTE of ``N`` base units at the all-in rate ``K`` is long ``s*N`` BASE and short
``s*N*K`` QUOTE, ``s = +1`` for BUY and ``-1`` for SELL (of the base currency). A SPOT trade settles
two business days after dealing; a FORWARD on its ``value_date``. A trade the trader closed carries
``exit_rate`` / ``exit_time``; from then on it is no longer part of the position and its realised P&L
is ``s*N*(exit_rate - K)`` in the quote currency (converted to USD at the exit day's close: see
`domain.valuation`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from domain.errors import DomainError

MAX_NOTIONAL = 5e9


def side_sign(side: str) -> int:
    """Return +1 for BUY (long the base currency) and -1 for SELL; raise `DomainError` otherwise."""
    upper = (side or "").upper()
    if upper == "BUY":
        return 1
    if upper == "SELL":
        return -1
    raise DomainError("bad_side", f"side must be BUY or SELL, not {side!r}")


def realised_pnl_quote(side: str, notional: float, rate: float, exit_rate: float) -> float:
    """Return a closed trade's realised P&L in its quote currency: ``s * N * (exit_rate - rate)``."""
    return side_sign(side) * float(notional) * (float(exit_rate) - float(rate))


@lru_cache(maxsize=4096)
def end_of(day: date) -> datetime:
    """Return the first instant after ``day`` (timestamps are naive UTC)."""
    return datetime.combine(day + timedelta(days=1), time())


def validate_notional(notional: float) -> float:
    """Return ``notional`` if it is a plausible trade size (0 < n <= 5e9); raise `DomainError` otherwise."""
    if not notional == notional or notional <= 0:  # NaN compares unequal to itself
        raise DomainError("absurd_notional", f"Absurd notional {notional!r}: it must be a positive amount.")
    if notional > MAX_NOTIONAL:
        raise DomainError("absurd_notional",
                          f"Absurd notional {notional:,.0f}: the desk caps a single trade at 5,000,000,000.")
    return float(notional)


@dataclass(frozen=True)
class Trade:
    """One trade as every desk sees it (a ``trades`` row)."""

    trade_id: str
    book: str
    pair: str
    side: str                 # BUY | SELL (of the base currency)
    notional: float           # base units, > 0
    rate: float               # all-in rate, quote per base (forward points included for a forward)
    trade_time: datetime
    customer: str | None = None
    exit_rate: float | None = None
    exit_time: datetime | None = None
    product: str = "SPOT"     # SPOT | FORWARD
    value_date: date | None = None
    trader: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Trade:
        """Build from a ``trades`` row (extra columns are ignored)."""
        return cls(trade_id=row["trade_id"], book=row["book"], pair=row["pair"], side=row["side"],
                   notional=float(row["notional"]), rate=float(row["rate"]), trade_time=row["trade_time"],
                   customer=row.get("customer"),
                   exit_rate=None if row.get("exit_rate") is None else float(row["exit_rate"]),
                   exit_time=row.get("exit_time"), product=row.get("product") or "SPOT",
                   value_date=row.get("value_date"), trader=row.get("trader"))

    @property
    def sign(self) -> float:
        """+1.0 for a BUY of the base currency, -1.0 for a SELL."""
        return float(side_sign(self.side))

    @property
    def base(self) -> str:
        """The base currency (first three letters of the pair)."""
        return self.pair[:3]

    @property
    def quote(self) -> str:
        """The quote currency (last three letters of the pair)."""
        return self.pair[3:]

    @property
    def is_forward(self) -> bool:
        """True for a FORWARD (marked on the forward curve until its value date)."""
        return self.product.upper() == "FORWARD"

    def dealt_by(self, day: date) -> bool:
        """Return True when the trade was dealt on or before ``day``."""
        return self.trade_time < end_of(day)

    def exited_by(self, day: date) -> bool:
        """Return True when the trade was closed on or before ``day``."""
        return self.exit_time is not None and self.exit_rate is not None and self.exit_time < end_of(day)

    def is_open(self, day: date) -> bool:
        """Return True when the trade is part of the position at the close of ``day``."""
        return self.dealt_by(day) and not self.exited_by(day)

    def realised_quote(self) -> float | None:
        """Return the realised P&L in the quote currency, or None while the trade is open."""
        if self.exit_rate is None or self.exit_time is None:
            return None
        return realised_pnl_quote(self.side, self.notional, self.rate, self.exit_rate)

    def spot_legs(self) -> tuple[tuple[str, float], tuple[str, float]]:
        """Return the undiscounted legs ``((base, +s*N), (quote, -s*N*rate))``."""
        amount = self.sign * self.notional
        return (self.base, amount), (self.quote, -amount * self.rate)
