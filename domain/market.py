"""Market data of the domain: daily closes, the one USD conversion rule and the forward curve.

- **USD value** of one unit of currency C on day d: 1 for USD; the close of ``CUSD`` if that pair
  exists; else ``1 / close of USDC``. Every desk converts with `usd_value` / `Market.usd`.
- **Forward points** (rate units, not pips) per day, pair and tenor come from the ``forward_points``
  table. The points for ``t`` calendar days from ``day`` are interpolated linearly in days between
  the tenors, with 0 points at ``t = 0`` (spot) and flat beyond the longest tenor.
- **Forward rate** for a value date: close + interpolated points; 0 days or fewer is the close.
- **Discount factor** to a value date ``t`` days away: ``1 / (1 + r * t / 360)`` with the USD rate
  ``r`` (simple, ACT/360; `USD_DISCOUNT_RATE` unless the market is built with another). One rate
  for every currency is a simplification the README states.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from domain.errors import DomainError

USD_DISCOUNT_RATE = 0.045


def usd_value(currency: str, closes: Mapping[str, float]) -> float | None:
    """Return USD per unit of ``currency`` from one day's closes (pair -> close), or None if unknown."""
    if currency == "USD":
        return 1.0
    direct = closes.get(f"{currency}USD")
    if direct:
        return float(direct)
    inverse = closes.get(f"USD{currency}")
    if inverse:
        return 1.0 / float(inverse)
    return None


def interpolate_points(nodes: Sequence[tuple[int, float]], days: float) -> float:
    """Return the forward points ``days`` calendar days out, linear between (0, 0) and the tenor nodes.

    Args:
        nodes: (tenor_days, points), any order; an empty curve gives 0 points.
        days: calendar days from the curve date to the value date (<= 0 is spot: 0 points).

    """
    if days <= 0 or not nodes:
        return 0.0
    return _along([(0, 0.0), *sorted((int(d), float(p)) for d, p in nodes)], days)


def _along(curve: Sequence[tuple[int, float]], days: float) -> float:
    """Interpolate on a sorted curve that starts at (0, 0) (see `interpolate_points`)."""
    for (d0, p0), (d1, p1) in zip(curve, curve[1:], strict=False):
        if days <= d1:
            return p0 + (p1 - p0) * (days - d0) / (d1 - d0)
    return curve[-1][1]


def discount_factor(days: float, rate: float = USD_DISCOUNT_RATE) -> float:
    """Return ``1 / (1 + rate * days / 360)`` (1 for a value date today or past)."""
    return 1.0 / (1.0 + rate * max(0.0, days) / 360.0)


@dataclass(frozen=True)
class Market:
    """Closing rates by day (``closes[day][pair]``) and forward points (``points[day][pair]`` = tenor nodes)."""

    closes: Mapping[date, Mapping[str, float]]
    points: Mapping[date, Mapping[str, Sequence[tuple[int, float]]]] = field(default_factory=dict)
    discount_rate: float = USD_DISCOUNT_RATE
    _memo: dict = field(default_factory=dict, compare=False, repr=False)  # interpolated points and USD values

    def close(self, pair: str, day: date) -> float:
        """Return the close of ``pair`` on ``day``; raise `DomainError` ``no_rate`` when there is none."""
        try:
            return float(self.closes[day][pair])
        except KeyError:
            raise DomainError("no_rate", f"No closing rate for {pair} on {day}.") from None

    def usd(self, currency: str, day: date) -> float:
        """Return the USD value of one unit of ``currency`` on ``day`` (module rule)."""
        key = ("usd", currency, day)
        value = self._memo.get(key)
        if value is None:
            value = self._memo[key] = usd_value(currency, self.closes.get(day, {}))
        if value is None:
            raise DomainError("no_rate", f"No USD rate for {currency} on {day}.")
        return value

    def forward_points(self, pair: str, day: date, value_date: date) -> float:
        """Return the interpolated points for ``value_date`` seen from ``day`` (0 when it is today or past)."""
        days = (value_date - day).days
        if days <= 0:
            return 0.0
        key = ("points", pair, day, days)
        if key not in self._memo:
            self._memo[key] = _along(self.curve(pair, day), days)
        return self._memo[key]

    def curve(self, pair: str, day: date) -> list[tuple[int, float]]:
        """Return the day's sorted curve of ``pair`` from (0, 0) (sorted once per pair and day)."""
        key = ("curve", pair, day)
        curve = self._memo.get(key)
        if curve is None:
            try:
                nodes = self.points[day][pair]
            except KeyError:
                raise DomainError("no_forward_curve", f"No forward points for {pair} on {day}.") from None
            curve = self._memo[key] = [(0, 0.0), *sorted((int(d), float(p)) for d, p in nodes)]
        return curve

    def forward_rate(self, pair: str, day: date, value_date: date) -> float:
        """Return the outright forward rate for ``value_date`` on ``day``: close + interpolated points."""
        return self.close(pair, day) + self.forward_points(pair, day, value_date)

    def discount(self, day: date, value_date: date) -> float:
        """Return the discount factor from ``value_date`` back to ``day``."""
        return discount_factor((value_date - day).days, self.discount_rate)
