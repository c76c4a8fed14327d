"""Positions as lots: the open trades of one book and pair that are marked alike, summed.

Every position figure (FX delta legs, NOP, USD exposures, VaR inputs, limit use, unrealised value) is
linear in each trade's signed notional ``s*N`` and signed quote amount ``s*N*K``; the marking only
depends on the pair and, for a forward, its value date. So a desk's position is a handful of lots,
one per (book, pair, spot | forward value date), each holding ``base = sum(s*N)`` and
``dealt_quote = sum(s*N*K)`` — what a position-keeping system stores — and the database sums them
(`data.queries.positions`) instead of shipping every trade to Python. `lots_of` builds the same lots
from `Trade` objects (what-if trades, tests), so both paths are checked against each other.

A lot's legs and value are the sums of its trades' (`domain.valuation`): for a spot lot the legs are
``+base`` BASE and ``-dealt_quote`` QUOTE and its value in the quote currency is
``base*close - dealt_quote``; for a forward lot before its value date ``v`` on day ``d``, with
``DF`` the discount factor and ``pts`` the forward points of ``v``, the legs are ``+base*DF`` and
``-DF*(dealt_quote - pts*base)``, and the value ``DF*(base*F - dealt_quote)`` at the forward rate
``F = close + pts``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from domain.market import Market
from domain.trade import Trade
from domain.valuation import is_marked_forward


@dataclass(frozen=True)
class Lot:
    """The open trades of one book and pair with one marking, summed."""

    book: str
    pair: str
    value_date: date | None   # a forward's value date; None for spot trades
    trades: int               # how many trades the lot sums
    base: float               # sum of s*N: the base-currency units dealt
    dealt_quote: float        # sum of s*N*K: the quote-currency units paid (the plain quote leg is its negative)

    @property
    def base_currency(self) -> str:
        """The base currency (first three letters of the pair)."""
        return self.pair[:3]

    @property
    def quote_currency(self) -> str:
        """The quote currency (last three letters of the pair)."""
        return self.pair[3:]

    def is_marked_forward(self, day: date) -> bool:
        """Return True when the lot holds forwards still before their value date on ``day``."""
        return self.value_date is not None and self.value_date > day

    def legs(self, market: Market, day: date) -> tuple[tuple[str, float], tuple[str, float]]:
        """Return the lot's FX delta legs at the close of ``day``: ((base, units), (quote, units))."""
        if not self.is_marked_forward(day):
            return (self.base_currency, self.base), (self.quote_currency, -self.dealt_quote)
        assert self.value_date is not None
        df = market.discount(day, self.value_date)
        points = market.forward_points(self.pair, day, self.value_date)
        quote = -df * (self.dealt_quote - points * self.base)
        return (self.base_currency, self.base * df), (self.quote_currency, quote)

    def value_quote(self, market: Market, day: date) -> float:
        """Return the lot's mark-to-market in its quote currency at the close of ``day``."""
        if not self.is_marked_forward(day):
            return self.base * market.close(self.pair, day) - self.dealt_quote
        assert self.value_date is not None
        df = market.discount(day, self.value_date)
        return df * (self.base * market.forward_rate(self.pair, day, self.value_date) - self.dealt_quote)


def lot_key(trade: Trade, day: date) -> tuple[str, str, date | None]:
    """Return the lot a trade belongs to on ``day``: (book, pair, value date of a forward before it, else None)."""
    return trade.book, trade.pair, trade.value_date if is_marked_forward(trade, day) else None


def lots_of(trades: Iterable[Trade], day: date) -> list[Lot]:
    """Return the lots of the trades open at the close of ``day`` (the Python twin of the SQL query)."""
    sums: dict[tuple[str, str, date | None], list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for trade in trades:
        if trade.is_open(day):
            acc = sums[lot_key(trade, day)]
            signed = trade.sign * trade.notional
            acc[0] += 1
            acc[1] += signed
            acc[2] += signed * trade.rate
    return [Lot(book=b, pair=p, value_date=v, trades=int(n), base=base, dealt_quote=quote)
            for (b, p, v), (n, base, quote) in sums.items()]
