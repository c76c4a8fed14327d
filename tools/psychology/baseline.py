"""A trader's own baseline: business-day calendars, rate comparisons and the two-proportion z statistic.

Every psychology flag compares what the trader did in a condition (after a loss, in one hour bucket,
in the window) with what the same trader does otherwise. `compare_rates` is the one comparison the
checks share; its result is the evidence a flag shows (observed vs baseline, with counts).

Two-proportion z (pooled):  z = (p₁ − p₀) / √(p (1 − p) (1/n₁ + 1/n₀)),  p = (k₁ + k₀) / (n₁ + n₀).
It is 0 when either group is empty or the pooled rate is 0 or 1 (no variation to judge against).
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

__all__ = ["baseline_days", "business_days", "compare_rates", "pct", "two_proportion_z"]


def business_days(start: date, end: date) -> list[date]:
    """Return the Monday-to-Friday dates from ``start`` to ``end`` inclusive."""
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def baseline_days(window_start: date, count: int) -> list[date]:
    """Return the ``count`` business days just before ``window_start``, oldest first."""
    days, day = [], window_start
    while len(days) < count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days[::-1]


def pct(hits: int, n: int) -> float | None:
    """Return ``hits / n`` in percent (2 decimals), or None when ``n`` is 0."""
    return round(100 * hits / n, 2) if n else None


def two_proportion_z(k1: int, n1: int, k0: int, n0: int) -> float:
    """Return the pooled two-proportion z of k1/n1 against k0/n0 (see the module docstring)."""
    if not n1 or not n0:
        return 0.0
    pooled = (k1 + k0) / (n1 + n0)
    if pooled in (0.0, 1.0):
        return 0.0
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    return (k1 / n1 - k0 / n0) / se


def compare_rates(k1: int, n1: int, k0: int, n0: int) -> dict[str, Any]:
    """Return the evidence of one rate against the trader's baseline rate.

    Args:
        k1: hits in the observed group (e.g. larger next trades after a loss).
        n1: size of the observed group.
        k0: hits in the baseline group (e.g. larger next trades after a win).
        n0: size of the baseline group.

    Returns:
        ``{observed: {count, of, pct}, baseline: {count, of, pct}, excess_pct_points, z}``;
        the excess is None when either group is empty.

    """
    p1, p0 = pct(k1, n1), pct(k0, n0)
    return {
        "observed": {"count": k1, "of": n1, "pct": p1},
        "baseline": {"count": k0, "of": n0, "pct": p0},
        "excess_pct_points": None if p1 is None or p0 is None else round(p1 - p0, 2),
        "z": round(two_proportion_z(k1, n1, k0, n0), 2),
    }
