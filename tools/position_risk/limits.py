"""Limit utilisation rows of the position-risk desk (NOP per book and currency, VaR per book) on the one limit rule.

A limit is the book's: callers pass the whole book's exposures whoever asks (see
`tools.position_risk.book`). Status, utilisation and headroom come from `domain.limits`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from domain.limits import headroom, limit_status, utilisation_pct
from tools.position_risk.calc import money


def nop_utilisation(exposures: Mapping[tuple[str, str], float], limits: Mapping[tuple[str, str], float],
                    books: Iterable[str]) -> list[dict[str, Any]]:
    """Return per book and currency: |NOP USD|, limit, utilisation %, headroom and status.

    Every limited currency of the given books appears (0 % when flat), plus any exposure without a limit.
    """
    keep = set(books)
    keys = {k for k in limits if k[0] in keep} | {k for k in exposures if k[0] in keep and k[1] != "USD"}
    rows = []
    for book, ccy in keys:
        nop = exposures.get((book, ccy), 0.0)
        limit = limits.get((book, ccy))
        rows.append({"book": book, "currency": ccy, "nop_usd": money(abs(nop)),
                     "limit_usd": None if limit is None else money(limit),
                     "utilisation_pct": utilisation_pct(nop, limit),
                     "headroom_usd": headroom(nop, limit), "status": limit_status(nop, limit)})
    rows.sort(key=lambda r: (r["book"], -(r["utilisation_pct"] or 0.0), r["currency"]))
    return rows


def var_utilisation(var_by_book: Mapping[str, float], limits: Mapping[str, float]) -> list[dict[str, Any]]:
    """Return per book: VaR, VaR limit, utilisation %, headroom and status."""
    rows = []
    for book, var in sorted(var_by_book.items()):
        limit = limits.get(book)
        rows.append({"book": book, "var_usd": money(var), "limit_usd": None if limit is None else money(limit),
                     "utilisation_pct": utilisation_pct(var, limit), "headroom_usd": headroom(var, limit),
                     "status": limit_status(var, limit)})
    return rows


def before_after(before: float, after: float, limit: float | None) -> dict[str, Any]:
    """Return utilisation and headroom before and after a trade, and the status after it."""
    return {"utilisation_before_pct": utilisation_pct(before, limit),
            "utilisation_after_pct": utilisation_pct(after, limit),
            "headroom_before_usd": headroom(before, limit), "headroom_after_usd": headroom(after, limit),
            "status_after": limit_status(after, limit)}
