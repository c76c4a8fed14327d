"""The one limit-status rule of the desk: utilisation, headroom and ok / warning / breach / no_limit.

Edges (every desk quotes these; tested in ``tests/unit/domain/test_limits.py``):

- The status compares the **unrounded** |value| with the limit: ``breach`` when |value| > limit,
  ``warning`` when |value| >= 90 % of the limit, ``ok`` below. So exactly 100 % is a warning, and
  100.004 % is a breach even though it displays as 100.00 %; 89.9999 % displays as 90.00 % but is ok.
- A **missing** limit (None: nobody set one) is ``no_limit``: utilisation and headroom are None.
- A **zero** limit means no position is allowed: any non-zero |value| is a ``breach``, a flat
  position is ``ok``; utilisation is None (a percentage of zero is undefined), headroom is -|value|.
- Utilisation is |value| / limit x 100, rounded to 2 decimals for display.
"""

from __future__ import annotations

from typing import Literal

WARNING_PCT = 90.0

LimitStatus = Literal["ok", "warning", "breach", "no_limit"]


def limit_status(value: float, limit: float | None, warning_pct: float = WARNING_PCT) -> LimitStatus:
    """Classify |value| against ``limit`` with the edges in the module docstring.

    Args:
        value: the measure (a NOP in USD, a VaR, a credit exposure); its sign is ignored.
        limit: the limit in the same unit; None when no limit is set.
        warning_pct: the warning threshold in % of the limit.

    """
    if limit is None:
        return "no_limit"
    size = abs(value)
    if size > limit:
        return "breach"
    if limit == 0:
        return "ok"  # flat against a zero limit
    return "warning" if size >= limit * warning_pct / 100 else "ok"


def utilisation_pct(value: float, limit: float | None) -> float | None:
    """Return |value| / limit in % with 2 decimals; None for a missing or zero limit."""
    if not limit:
        return None
    return round(100.0 * abs(value) / limit, 2) + 0.0


def headroom(value: float, limit: float | None) -> float | None:
    """Return limit - |value| (negative when over), rounded to cents; None without a limit."""
    if limit is None:
        return None
    return round(limit - abs(value), 2) + 0.0
