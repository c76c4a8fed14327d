"""Value at risk (no LangChain, no SQL): 1-day 99 % VaR of currency USD exposures, parametric and historical.

Definitions (quoted by get_var and tested against hand calculations):

- **Returns.** For each non-USD currency C, the daily log return of its USD value,
  ``r_t = ln(usd_C(t) / usd_C(t-1))``, over the last 250 returns up to the as-of close (fewer if
  the history is shorter).
- **Exposures.** ``e_C`` = the net open position in C times its USD value at the as-of close.
- **Parametric (EWMA).** Zero-mean EWMA covariance with lambda = 0.94 and normalised weights:
  ``S = sum_i w_i r_(T-i) r_(T-i)^T`` with ``w_i = (1 - lambda) lambda^i / (1 - lambda^n)``,
  ``i = 0`` the most recent of the ``n`` returns. ``VaR = z * sqrt(e^T S e)``, z = 2.326347874.
- **Exposures** are FX deltas: a forward counts discounted, with its points (`domain.valuation`).
- **Historical.** Today's exposures revalued under each past day's returns:
  ``PnL_t = sum_C e_C (exp(r_C,t) - 1)``. The 1 % quantile ``q`` of the ``n`` P&Ls follows the
  configured convention (`tools.position_risk.conventions`): ``interpolated`` (default, numpy's
  linear, Hyndman-Fan type 7): sort ascending ``x_0 <= ... <= x_(n-1)``, ``h = (n - 1) * 0.01``,
  ``q = x_floor(h) + (h - floor(h)) * (x_(floor(h)+1) - x_floor(h))`` — with 250 returns between the
  3rd and 4th worst days; ``kth_worst``: ``q = x_(k-1)``, ``k = ceil(n * 0.01)`` — the 3rd worst of
  250. ``VaR = max(0, -q)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np

from domain.market import Market

LAMBDA = 0.94
Z_99 = 2.326347874
CONFIDENCE = 0.99
HISTORY = 250
QUANTILE_CONVENTION = "interpolated"
QUANTILE_DESCRIPTIONS = {
    "interpolated": "1 % quantile, linear interpolation between order statistics (250 days: between the 3rd and "
                    "4th worst)",
    "kth_worst": "1 % quantile as the k-th worst, k = ceil(n x 1 %) (250 days: the 3rd worst)",
}


def currency_returns(market: Market, days: Sequence[date], currencies: Sequence[str]) -> np.ndarray:
    """Return the (len(days) - 1, len(currencies)) matrix of daily log returns of each currency's USD value."""
    values = np.array([[market.usd(ccy, day) for ccy in currencies] for day in days], dtype=float)
    if len(days) < 2:
        return np.zeros((0, len(currencies)))
    return np.diff(np.log(values), axis=0)


def ewma_covariance(returns: np.ndarray, lam: float = LAMBDA) -> np.ndarray:
    """Return the zero-mean EWMA covariance of ``returns`` (rows oldest first) with normalised weights."""
    n = returns.shape[0]
    if n == 0:
        return np.zeros((returns.shape[1], returns.shape[1]))
    ages = np.arange(n - 1, -1, -1)                      # 0 for the most recent row
    weights = (1 - lam) * lam ** ages / (1 - lam ** n)
    return (returns * weights[:, None]).T @ returns


def parametric_var(exposures: np.ndarray, returns: np.ndarray, lam: float = LAMBDA, z: float = Z_99) -> float:
    """Return ``z * sqrt(e' S e)`` with ``S`` the EWMA covariance of ``returns``."""
    if exposures.size == 0:
        return 0.0
    variance = float(exposures @ ewma_covariance(returns, lam) @ exposures)
    return z * float(np.sqrt(max(variance, 0.0)))


def historical_pnl(exposures: np.ndarray, returns: np.ndarray) -> np.ndarray:
    """Return today's exposures' USD P&L under each past day's returns (full revaluation)."""
    if exposures.size == 0:
        return np.zeros(returns.shape[0])
    return np.expm1(returns) @ exposures


def lower_quantile(values: np.ndarray, confidence: float = CONFIDENCE, convention: str = QUANTILE_CONVENTION) -> float:
    """Return the ``1 - confidence`` quantile: ``interpolated`` (numpy linear) or ``kth_worst`` (module docstring)."""
    x = np.sort(np.asarray(values, dtype=float))
    if x.size == 0:
        return 0.0
    if convention == "kth_worst":
        k = max(1, int(np.ceil(round(x.size * (1 - confidence), 9))))
        return float(x[min(k, x.size) - 1])
    if convention != "interpolated":
        raise ValueError(f"unknown quantile convention {convention!r}")
    h = (x.size - 1) * (1 - confidence)
    lo = int(np.floor(h))
    hi = min(lo + 1, x.size - 1)
    return float(x[lo] + (h - lo) * (x[hi] - x[lo]))


def historical_var(exposures: np.ndarray, returns: np.ndarray, confidence: float = CONFIDENCE,
                   convention: str = QUANTILE_CONVENTION) -> float:
    """Return ``max(0, -q)`` with ``q`` the lower quantile of the historical P&L under ``convention``."""
    return max(0.0, -lower_quantile(historical_pnl(exposures, returns), confidence, convention))


def var_by_group(exposures: Mapping[tuple[str, str], float], market: Market, days: Sequence[date],
                 method: str = "both", convention: str = QUANTILE_CONVENTION) -> dict[str, dict[str, float]]:
    """Return VaR per book and for the whole scope (key ``"*"``): ``{"parametric": .., "historical": ..}``.

    Args:
        exposures: (book, currency) -> USD exposure (non-USD currencies).
        market: closes for every day in ``days``.
        days: rate days ending at the as-of date, oldest first (251 for 250 returns).
        method: ``parametric``, ``historical`` or ``both``.
        convention: the historical quantile convention.

    """
    currencies = sorted({ccy for _, ccy in exposures if ccy != "USD"})
    returns = currency_returns(market, days, currencies)
    groups: dict[str, np.ndarray] = {}
    for (book, ccy), usd in exposures.items():
        if ccy == "USD":
            continue
        vec = groups.setdefault(book, np.zeros(len(currencies)))
        vec[currencies.index(ccy)] += usd
    groups["*"] = sum(groups.values(), np.zeros(len(currencies)))
    out: dict[str, dict[str, float]] = {}
    for name, vec in groups.items():
        out[name] = {}
        if method in ("parametric", "both"):
            out[name]["parametric"] = parametric_var(vec, returns)
        if method in ("historical", "both"):
            out[name]["historical"] = historical_var(vec, returns, convention=convention)
    return out
