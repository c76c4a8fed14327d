"""Demo forward curve: deterministic forward points per day, pair and tenor from interest-rate parity.

``points = close * ((1 + r_quote * t / 360) / (1 + r_base * t / 360) - 1)`` with the fixed deposit
rates below (simple, ACT/360) and ``t`` the tenor's calendar days, rounded to the pair's decimals
plus two. High-yielders (TRY, BRL, MXN, ZAR, INR, RUB) against USD give large points, G10 pairs
small ones. No random draws: the curve follows the closes, so adding it changes no other demo figure.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from data.demo_market import PAIRS
from domain.market import interpolate_points

TENORS: tuple[tuple[str, int], ...] = (("1W", 7), ("1M", 30), ("3M", 91), ("6M", 182), ("1Y", 365))

# Annual deposit rates (simple, ACT/360) of the demo currencies.
DEPOSIT_RATES: dict[str, float] = {
    "USD": 0.045, "EUR": 0.030, "GBP": 0.0475, "JPY": 0.0025, "CHF": 0.010, "AUD": 0.043, "NZD": 0.045,
    "CAD": 0.0375, "MXN": 0.105, "ZAR": 0.080, "TRY": 0.450, "BRL": 0.110, "INR": 0.065, "RUB": 0.160,
}
CURVE_DAYS = 260  # rate days with a curve, ending at the as-of date (covers a 250-day backtest)


def points(pair: str, close: float, tenor_days: int) -> float:
    """Return the forward points of ``pair`` at spot ``close`` for ``tenor_days`` (interest-rate parity)."""
    t = tenor_days / 360.0
    r_base, r_quote = DEPOSIT_RATES[pair[:3]], DEPOSIT_RATES[pair[3:]]
    return round(close * ((1 + r_quote * t) / (1 + r_base * t) - 1), PAIRS[pair][2] + 2)


def curve_rows(days: list[date], ohlc: dict[str, np.ndarray]) -> list[dict]:
    """Return ``forward_points`` rows for the last `CURVE_DAYS` of ``days`` (ohlc rows align with ``days``)."""
    first = max(0, len(days) - CURVE_DAYS)
    return [{"day": days[i], "pair": pair, "tenor": tenor, "tenor_days": n,
             "points": points(pair, float(ohlc[pair][i, 3]), n)}
            for i in range(first, len(days)) for pair in PAIRS for tenor, n in TENORS]


def forward_points_for(pair: str, close: float, days_forward: int) -> float:
    """Return the points for ``days_forward`` calendar days, interpolated like `domain.market.interpolate_points`."""
    return interpolate_points([(n, points(pair, close, n)) for _, n in TENORS], days_forward)
