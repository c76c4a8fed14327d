"""Demo market data: correlated daily OHLC for every pair, built from each currency's USD value.

Each currency's log USD value follows a random walk with its own volatility (and drift for TRY),
correlated through four factors (USD, Europe, commodity, EM), with mild volatility clustering and
slow mean reversion of the level.
Pair closes are ratios of the two currencies' USD values, so crosses (EURGBP, EURJPY) agree with
their legs. Paths are anchored so that the last close matches realistic levels (EURUSD ~1.08,
USDJPY ~150, USDTRY ~34). Open is the previous close plus a small gap; high/low lie beyond
open and close by a random fraction of the day's volatility. Everything is rounded to the pair's
quoting decimals, and ``low <= open, close <= high`` holds after rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from domain.market import usd_value

# The demo's own reference table of pairs: pair -> (region, book, decimals). Written to the ``pairs``
# table, from which every desk reads the pair universe (`data.queries.rates.pair_universe`).
PAIRS: dict[str, tuple[str, str, int]] = {
    "EURUSD": ("G10", "FX-G10", 5), "GBPUSD": ("G10", "FX-G10", 5), "USDJPY": ("G10", "FX-G10", 3),
    "AUDUSD": ("G10", "FX-G10", 5), "USDCHF": ("G10", "FX-G10", 5), "USDCAD": ("G10", "FX-G10", 5),
    "NZDUSD": ("G10", "FX-G10", 5), "EURGBP": ("G10", "FX-G10", 5), "EURJPY": ("G10", "FX-G10", 3),
    "USDMXN": ("EM", "FX-EM", 4), "USDZAR": ("EM", "FX-EM", 4), "USDTRY": ("EM", "FX-EM", 4),
    "USDBRL": ("EM", "FX-EM", 4), "USDINR": ("EM", "FX-EM", 3), "USDRUB": ("EM", "FX-EM", 3),
}


def pair_rows() -> list[dict]:
    """Return the demo's ``pairs`` table rows (pair, base, quote, region, book, decimals)."""
    return [{"pair": p, "base": p[:3], "quote": p[3:], "region": r, "book": b, "decimals": d}
            for p, (r, b, d) in PAIRS.items()]


@dataclass(frozen=True)
class _CurrencyModel:
    usd_value: float      # USD per unit at the as-of close
    vol: float            # annualised log volatility
    drift: float          # annualised log drift of the USD value
    loadings: tuple[float, float, float, float]  # on factors (usd, europe, commodity, em)


_CURRENCIES: dict[str, _CurrencyModel] = {
    "EUR": _CurrencyModel(1.0812, 0.07, 0.0, (0.60, 0.55, 0.0, 0.0)),
    "GBP": _CurrencyModel(1.2714, 0.08, 0.0, (0.55, 0.45, 0.0, 0.0)),
    "CHF": _CurrencyModel(1 / 0.8836, 0.075, 0.0, (0.55, 0.55, 0.0, 0.0)),
    "JPY": _CurrencyModel(1 / 150.23, 0.10, -0.02, (0.50, 0.10, 0.0, 0.0)),
    "AUD": _CurrencyModel(0.6594, 0.10, 0.0, (0.45, 0.0, 0.60, 0.10)),
    "NZD": _CurrencyModel(0.6012, 0.105, 0.0, (0.45, 0.0, 0.60, 0.10)),
    "CAD": _CurrencyModel(1 / 1.3608, 0.06, 0.0, (0.40, 0.0, 0.50, 0.0)),
    "MXN": _CurrencyModel(1 / 18.42, 0.13, -0.03, (0.25, 0.0, 0.20, 0.60)),
    "ZAR": _CurrencyModel(1 / 18.17, 0.16, -0.03, (0.25, 0.0, 0.25, 0.60)),
    "TRY": _CurrencyModel(1 / 34.05, 0.11, -0.20, (0.10, 0.0, 0.0, 0.45)),
    "BRL": _CurrencyModel(1 / 5.43, 0.15, -0.02, (0.25, 0.0, 0.20, 0.60)),
    "INR": _CurrencyModel(1 / 84.32, 0.045, -0.02, (0.20, 0.0, 0.0, 0.45)),
    "RUB": _CurrencyModel(1 / 92.40, 0.18, -0.05, (0.05, 0.0, 0.10, 0.35)),
}


_REVERSION = 0.01


def simulate_usd_values(rng: np.random.Generator, n_days: int) -> dict[str, np.ndarray]:
    """Return each currency's USD value per day (oldest first), ending at its as-of level."""
    n_ret = n_days - 1
    factors = rng.standard_normal((n_ret, 4))
    # Volatility clustering: a slow AR(1) in log-vol shared by all currencies.
    regime = np.zeros(n_ret)
    shocks = rng.standard_normal(n_ret) * 0.05
    for i in range(1, n_ret):
        regime[i] = 0.97 * regime[i - 1] + shocks[i]
    scale = np.exp(regime - regime.mean())
    values: dict[str, np.ndarray] = {"USD": np.ones(n_days)}
    for ccy, model in _CURRENCIES.items():
        load = np.array(model.loadings)
        idio = np.sqrt(max(1e-6, 1 - float(load @ load)))
        z = factors @ load + idio * rng.standard_normal(n_ret)
        shocks_c = model.vol / np.sqrt(252) * scale * z
        # Mean-reverting log level (half-life ~70 business days) keeps two years within realistic ranges.
        level = np.zeros(n_days)
        for i in range(1, n_days):
            level[i] = (1 - _REVERSION) * level[i - 1] + shocks_c[i - 1]
        level += model.drift / 252 * np.arange(n_days)
        values[ccy] = model.usd_value * np.exp(level - level[-1])
    return values


def build_ohlc(rng: np.random.Generator, days: list[date],
               usd: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Return, per pair, an array of shape (n_days, 4): open, high, low, close (rounded)."""
    out: dict[str, np.ndarray] = {}
    n = len(days)
    for pair, (_region, _book, decimals) in PAIRS.items():
        close = usd[pair[:3]] / usd[pair[3:]]
        logret = np.diff(np.log(close))
        dvol = float(np.std(logret)) if len(logret) > 1 else 0.005
        prev = np.concatenate([[close[0] * np.exp(-logret[0] if n > 1 else 0.0)], close[:-1]])
        open_ = prev * np.exp(rng.standard_normal(n) * 0.08 * dvol)
        up = np.abs(rng.standard_normal(n)) * 0.45 * dvol + 0.05 * dvol
        down = np.abs(rng.standard_normal(n)) * 0.45 * dvol + 0.05 * dvol
        high = np.maximum(open_, close) * np.exp(up)
        low = np.minimum(open_, close) * np.exp(-down)
        out[pair] = np.round(np.column_stack([open_, high, low, close]), decimals)
    return out


def usd_per_unit(ohlc: dict[str, np.ndarray], currency: str, index: int) -> float:
    """Return the USD value of one unit of ``currency`` at day ``index``, from stored closes (DESIGN rule)."""
    value = usd_value(currency, {pair: float(arr[index, 3]) for pair, arr in ohlc.items() if currency in pair})
    if value is None:
        raise KeyError(f"no USD rate for {currency}")
    return value
