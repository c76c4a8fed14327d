"""Position-risk maths over the domain core (no LangChain, no SQL): net open position and P&L with its explain.

Definitions live in the domain core and are quoted by the tools:

- **Legs / FX delta** (`domain.valuation.delta_legs`): a spot trade BUY N BASE/QUOTE at K is +N BASE
  and -N*K QUOTE; a forward before its value date has its legs discounted and its quote leg carries
  the forward points, so the legs' value at the close is the forward's mark-to-market.
- **Open**: dealt by the close and not exited by then; exits leave the position (realised P&L).
- **Net open position (NOP)** per book and currency: the sum of the open trades' delta legs, and its
  USD equivalent at the as-of close (`domain.market.usd_value`). USD carries no FX risk. Positions
  arrive as lots (`domain.position`): the database sums the open trades, these functions value them.
- **P&L** over a window: change in USD value between the previous close and the window's last close,
  explained per pair as price effect + FX translation; realised P&L of a trade exited in the window
  is its whole entry-to-exit P&L in USD at the exit close (`domain.valuation`). All sums are in whole
  cents, so books, pairs and days add up exactly.

Limit utilisation lives in `tools.position_risk.limits`, VaR in `tools.position_risk.var`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from typing import Any

import numpy as np

from domain import valuation
from domain.errors import DomainError
from domain.market import Market
from domain.position import Lot, lots_of
from domain.trade import MAX_NOTIONAL, Trade
from domain.trade import validate_notional as _validate
from tools.errors import ToolInputError
from tools.position_risk import scan

__all__ = ["MAX_NOTIONAL", "Lot", "Market", "Trade", "currency_positions", "hypothetical_trade", "lots_of", "money",
           "nop_report", "pct", "pnl_report", "trade_value", "usd_exposures", "validate_notional"]


def money(value: float) -> float:
    """Round an amount of money to 2 decimals (and turn -0.0 into 0.0)."""
    return round(value, 2) + 0.0


def pct(numerator: float, denominator: float) -> float | None:
    """Return ``numerator / denominator`` in % with 2 decimals, or None when the denominator is 0."""
    return money(100.0 * numerator / denominator) if denominator else None


def validate_notional(notional: float) -> float:
    """Return ``notional`` if it is a plausible trade size (0 < n <= 5e9); raise `ToolInputError` otherwise."""
    try:
        return _validate(notional)
    except DomainError as exc:
        raise ToolInputError(exc.code, exc.message) from None


# -- net open position -------------------------------------------------------------------------
def currency_positions(lots: Iterable[Lot], market: Market, day: date) -> dict[tuple[str, str], float]:
    """Return (book, currency) -> net FX delta units of ``lots`` (the positions open at the close of ``day``)."""
    out: dict[tuple[str, str], float] = defaultdict(float)
    for lot in lots:
        for currency, amount in lot.legs(market, day):
            out[(lot.book, currency)] += amount
    return dict(out)


def usd_exposures(lots: Iterable[Lot], market: Market, day: date) -> dict[tuple[str, str], float]:
    """Return (book, currency) -> NOP (FX delta) in USD at the close of ``day``, for non-USD currencies."""
    return {key: units * market.usd(key[1], day)
            for key, units in currency_positions(lots, market, day).items() if key[1] != "USD"}


def nop_report(lots: list[Lot], market: Market, as_of: date, decimals: Mapping[str, int],
               currency: str | None = None) -> dict[str, Any]:
    """Return the NOP tables: per book and currency (units, USD) and per book and pair (net legs, MTM).

    Args:
        lots: the scope's positions open at the close of ``as_of`` (`domain.position`).
        market: closes and forward points of ``as_of``.
        as_of: the desk date.
        decimals: quoting decimals per pair, for rounding rates.
        currency: keep only this currency's rows (and pairs that contain it), when given.

    """
    units = currency_positions(lots, market, as_of)
    currencies = [
        {"book": book, "currency": ccy, "position": money(qty), "usd_rate": round(market.usd(ccy, as_of), 8),
         "usd_equivalent": money(qty * market.usd(ccy, as_of))}
        for (book, ccy), qty in units.items() if currency in (None, ccy)
    ]
    currencies.sort(key=lambda r: (r["book"], -abs(r["usd_equivalent"]), r["currency"]))
    grouped: dict[tuple[str, str], list[Lot]] = defaultdict(list)
    for lot in lots:
        if currency in (None, lot.base_currency, lot.quote_currency):
            grouped[(lot.book, lot.pair)].append(lot)
    pairs = [_pair_row(book, pair, group, market, as_of, decimals.get(pair, 5))
             for (book, pair), group in grouped.items()]
    pairs.sort(key=lambda r: (r["book"], -abs(r["base_usd_equivalent"]), r["pair"]))
    books: dict[str, dict[str, float]] = defaultdict(lambda: {"gross_usd": 0.0, "net_usd": 0.0})
    for row in currencies:
        if row["currency"] != "USD":
            books[row["book"]]["gross_usd"] += abs(row["usd_equivalent"])
            books[row["book"]]["net_usd"] += row["usd_equivalent"]
    totals = [{"book": b, "gross_usd": money(v["gross_usd"]), "net_usd": money(v["net_usd"])}
              for b, v in sorted(books.items())]
    return {"currencies": currencies, "pairs": pairs, "books": totals}


def _pair_row(book: str, pair: str, group: list[Lot], market: Market, day: date, decimals: int) -> dict:
    base_units = quote_units = dealt_base = dealt_quote = value_quote = 0.0
    for lot in group:
        (_, b), (_, q) = lot.legs(market, day)
        base_units, quote_units = base_units + b, quote_units + q
        dealt_base, dealt_quote = dealt_base + lot.base, dealt_quote + lot.dealt_quote
        value_quote += lot.value_quote(market, day)
    return {
        "book": book, "pair": pair, "net_base": money(base_units), "net_quote": money(quote_units),
        "average_rate": round(dealt_quote / dealt_base, decimals) if abs(dealt_base) > 1e-9 else None,
        "close": round(market.close(pair, day), decimals),
        "base_usd_equivalent": money(base_units * market.usd(pair[:3], day)),
        # the pair's mark-to-market summed, then rounded once (not trade by trade)
        "unrealised_pnl_usd": valuation.cents(value_quote * market.usd(pair[3:], day)) / 100,
        "open_trades": sum(lot.trades for lot in group),
        "open_forwards": sum(lot.trades for lot in group if lot.is_marked_forward(day)),
    }


# -- P&L ---------------------------------------------------------------------------------------
def trade_value(trade: Trade, market: Market, day: date | None) -> float:
    """Return the trade's value in its quote currency at the close of ``day`` (0 when ``day`` is None)."""
    return valuation.value_quote(trade, market, day)


_FIELDS = ("pnl", "price", "fx", "realised")


def pnl_report(trades: Iterable[Trade], market: Market, previous_close: date | None, end: date) -> dict[str, Any]:
    """Return the P&L in USD from ``previous_close`` to ``end`` with its explain, by book and pair and in total.

    Each trade's figures are `domain.valuation.explain`'s (in cents, trade by trade), computed on
    arrays (`tools.position_risk.scan`) with the same operations; ``test_pnl_vector.py`` holds them
    to the per-trade loop.

    Args:
        trades: the scope's trades.
        market: closes on ``previous_close``, ``end`` and every exit day in between (forward points too).
        previous_close: the last rate day before the window starts (None: no earlier data, value 0).
        end: the last rate day of the window.

    Returns:
        ``by_pair`` and ``by_book`` rows with ``pnl_usd = price_effect_usd + fx_translation_usd`` and
        ``realised_usd`` (entry-to-exit P&L of the trades exited in the window), and the totals.

    """
    # a trade not dealt by the end, or exited by the previous close, has a USD value the window cannot move
    window = [t for t in trades if t.dealt_by(end) and not (previous_close is not None and t.exited_by(previous_close))]
    parts = scan.explain(window, market, previous_close, end)
    keys = sorted({(t.book, t.pair) for t in parts.book.trades})
    index = {key: i for i, key in enumerate(keys)}
    group = np.array([index[(t.book, t.pair)] for t in parts.book.trades], dtype=np.int64)
    sums = {name: _group_sum(group, values, len(keys)) for name, values in
            (("pnl", parts.total), ("price", parts.total - parts.fx), ("fx", parts.fx), ("realised", parts.realised),
             ("n", np.ones(len(group), dtype=np.int64)), ("closed", parts.exited.astype(np.int64)))}
    rows = {key: {name: int(sums[name][i]) for name in sums} for key, i in index.items()}
    by_pair = [{"book": b, "pair": p, **_usd(v), "trades": v["n"], "closed_trades": v["closed"]}
               for (b, p), v in rows.items()]
    by_pair.sort(key=lambda r: (r["book"], -abs(r["pnl_usd"]), r["pair"]))
    books: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(_FIELDS, 0))
    for (book, _), v in rows.items():
        for name in _FIELDS:
            books[book][name] += v[name]
    total = {name: sum(v[name] for v in books.values()) for name in _FIELDS}
    return {"by_book": [{"book": b, **_usd(v)} for b, v in sorted(books.items())], "by_pair": by_pair,
            "total_pnl_usd": total["pnl"] / 100, "total_price_effect_usd": total["price"] / 100,
            "total_fx_translation_usd": total["fx"] / 100, "total_realised_usd": total["realised"] / 100}


def _group_sum(group: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, group, values.astype(np.int64))
    return out


def _usd(v: Mapping[str, int]) -> dict[str, float]:
    return {"pnl_usd": v["pnl"] / 100, "price_effect_usd": v["price"] / 100, "fx_translation_usd": v["fx"] / 100,
            "realised_usd": v["realised"] / 100}


def hypothetical_trade(pair: str, side: str, notional: float, rate: float, book: str, as_of: date) -> Trade:
    """Return a what-if spot trade dealt at the end of ``as_of`` (so it is open at that close)."""
    return Trade(trade_id="WHAT-IF", book=book, pair=pair, side=side.upper(), notional=validate_notional(notional),
                 rate=float(rate), trade_time=datetime.combine(as_of, time(23, 59)))
