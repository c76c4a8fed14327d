"""The daily value and exposures of a set of trades over many closes, in numpy, to the cent of the per-trade rule.

`scan` is the VaR backtest's inner loop: for each close it needs the scope's value in USD (each open
trade's mark-to-market, or each exited trade's realised P&L, rounded to the cent per trade as
`domain.valuation.value_usd` and `cents` do) and its FX delta exposures in USD. Walking 100k open
trades in Python for 251 closes took half a minute; here each close is a few array operations.

Exactness: every figure is computed with the same IEEE operations in the same order as the
per-trade Python (``s*N*(close - K)*u``; ``(s*N*DF)*((close + points) - K)*u``; ``cents`` as
``floor(|v|*100 + 0.5 + 1e-9)`` with the sign), and exposures are accumulated per currency in the
trades' order (``np.bincount`` adds sequentially), so the totals are the same integers of cents
and the exposures the same floats. ``tests/unit/tools/position_risk/test_scan.py`` checks it
against the Python loop on random books.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from domain import valuation
from domain.market import Market
from domain.trade import Trade, end_of

_NEVER = np.iinfo(np.int64).max
_EPOCH = datetime(1970, 1, 1)
_MICROSECOND = timedelta(microseconds=1)


def _ns(moment: datetime) -> int:
    """Return a naive timestamp as integer microseconds (exact, and ordered like the datetimes)."""
    return (moment - _EPOCH) // _MICROSECOND


def cents(values: np.ndarray) -> np.ndarray:
    """`domain.valuation.cents` on an array: whole cents, half away from zero."""
    whole = np.floor(np.abs(values) * 100.0 + 0.5 + 1e-9).astype(np.int64)
    return np.where(values >= 0, whole, -whole)


class Book:
    """The trades as columns, in dealing order."""

    def __init__(self, trades: Sequence[Trade]):
        ordered = sorted(trades, key=lambda t: t.trade_time)
        self.trades = ordered
        self.pairs = sorted({t.pair for t in ordered})
        self.currencies = sorted({c for p in self.pairs for c in (p[:3], p[3:])})
        pair_i = {p: i for i, p in enumerate(self.pairs)}
        ccy_i = {c: i for i, c in enumerate(self.currencies)}
        self.dealt = np.array([_ns(t.trade_time) for t in ordered], dtype=np.int64)
        self.exit = np.array([_ns(t.exit_time) if t.exit_time is not None and t.exit_rate is not None else _NEVER
                              for t in ordered], dtype=np.int64)
        self.signed = np.array([t.sign * t.notional for t in ordered], dtype=np.float64)
        self.rate = np.array([t.rate for t in ordered], dtype=np.float64)
        self.pair = np.array([pair_i[t.pair] for t in ordered], dtype=np.int64)
        self.base = np.array([ccy_i[t.base] for t in ordered], dtype=np.int64)
        self.quote = np.array([ccy_i[t.quote] for t in ordered], dtype=np.int64)
        # a forward is marked on the curve until its value date (`valuation.is_marked_forward`)
        self.forward = np.array([valuation.is_marked_forward(t, t.trade_time.date()) for t in ordered], dtype=bool)
        self.value_day = np.array([t.value_date.toordinal() if t.value_date is not None else 0 for t in ordered],
                                  dtype=np.int64)


def scan(trades: Sequence[Trade], market: Market, days: Sequence[date]) -> list[tuple[int, dict[str, float]]]:
    """Return, per close in ``days``, the trades' value in USD cents and their FX delta exposures in USD."""
    book = Book(trades)
    # an exited trade's value is its realised P&L at the exit close, fixed from then on
    realised = np.array([valuation.cents(valuation.value_usd(t, market, t.exit_time.date()))  # type: ignore[union-attr]
                         if book.exit[i] != _NEVER else 0 for i, t in enumerate(book.trades)], dtype=np.int64)
    out = []
    for day in days:
        end = _ns(end_of(day))
        dealt = int(np.searchsorted(book.dealt, end, side="left"))  # trade_time < end of day
        gone = book.exit[:dealt] < end
        exposures: dict[str, float] = {}
        value = _open_value(book, np.flatnonzero(~gone), market, day, exposures)
        out.append((int(realised[:dealt][gone].sum()) + value, exposures))
    return out


def _open_value(book: Book, live: np.ndarray, market: Market, day: date, exposures: dict[str, float]) -> int:
    """Return the open trades' value in cents on ``day`` and fill ``exposures`` (currency -> USD)."""
    if live.size == 0:
        return 0
    marks = mark(book, live, market, day, base_usd=True)
    # legs in the trades' order, base then quote, summed per currency sequentially (as the Python dict did)
    legs_ccy = np.column_stack((book.base[live], book.quote[live])).ravel()
    legs_units = np.column_stack((marks.base_units, marks.quote_units)).ravel()
    units = np.bincount(legs_ccy, weights=legs_units, minlength=len(book.currencies))
    present = np.bincount(legs_ccy, minlength=len(book.currencies)) > 0
    for i, ccy in enumerate(book.currencies):
        if present[i] and ccy != "USD":
            exposures[ccy] = float(units[i]) * float(marks.usd[i])
    return int(cents(marks.value_quote * marks.quote_usd).sum())


@dataclass(frozen=True)
class Marks:
    """Open trades marked at one close: value in the quote currency, USD per quote unit, FX delta legs."""

    value_quote: np.ndarray
    quote_usd: np.ndarray
    base_units: np.ndarray
    quote_units: np.ndarray
    usd: np.ndarray  # per currency of the book (NaN where no trade needed it)


def _usd_table(book: Book, needed: np.ndarray, market: Market, day: date) -> np.ndarray:
    """Return USD per unit of each of the book's currencies on ``day``, looked up only for ``needed`` (indices)."""
    usd = np.full(len(book.currencies), np.nan)
    for i in np.unique(needed).tolist():
        usd[i] = market.usd(book.currencies[i], day)
    return usd


def mark(book: Book, rows: np.ndarray, market: Market, day: date, *, base_usd: bool = False) -> Marks:
    """Mark the trades ``rows`` (open at the close of ``day``) as `domain.valuation` does, trade by trade.

    ``usd`` holds the USD value of the quote currencies (and of the base currencies with ``base_usd``,
    for exposures); a currency nobody needs may have no rate that day.
    """
    signed, rate, pair = book.signed[rows], book.rate[rows], book.pair[rows]
    # only the pairs and currencies these trades need (a pair may have no close on a day nobody holds it)
    closes = np.full(len(book.pairs), np.nan)
    for i in np.unique(pair).tolist():
        closes[i] = market.close(book.pairs[i], day)
    usd = _usd_table(book, np.concatenate((book.base[rows], book.quote[rows])) if base_usd else book.quote[rows],
                     market, day)
    close, quote_usd = closes[pair], usd[book.quote[rows]]
    marked = book.forward[rows] & (book.value_day[rows] > day.toordinal())
    value = signed * (close - rate)
    base_units = signed.copy()
    quote_units = -signed * rate
    if marked.any():
        idx = np.flatnonzero(marked)
        days_out = (book.value_day[rows][idx] - day.toordinal()).astype(np.float64)
        points = _points(book, market, day, pair[idx], days_out)
        df = 1.0 / (1.0 + market.discount_rate * np.maximum(0.0, days_out) / 360.0)
        amount = signed[idx] * df
        value[idx] = amount * ((close[idx] + points) - rate[idx])
        base_units[idx] = amount
        quote_units[idx] = -amount * (rate[idx] - points)
    return Marks(value, quote_usd, base_units, quote_units, usd)


def _points(book: Book, market: Market, day: date, pair: np.ndarray, days_out: np.ndarray) -> np.ndarray:
    """Return each forward's interpolated points (`Market.forward_points`'s formula, same operations)."""
    out = np.zeros(len(pair), dtype=np.float64)
    for i in np.unique(pair):
        rows = np.flatnonzero(pair == i)
        curve = market.curve(book.pairs[int(i)], day)
        xs = np.array([d for d, _ in curve], dtype=np.float64)
        ps = np.array([p for _, p in curve], dtype=np.float64)
        x = days_out[rows]
        seg = np.searchsorted(xs[1:], x, side="left")  # first node at or beyond x
        inside = seg < len(xs) - 1
        j = np.minimum(seg, len(xs) - 2)
        d0, d1, p0, p1 = xs[j], xs[j + 1], ps[j], ps[j + 1]
        out[rows] = np.where(inside, p0 + (p1 - p0) * (x - d0) / (d1 - d0), ps[-1])
    return out


@dataclass(frozen=True)
class Explained:
    """Per trade (in ``book``'s order), in cents: P&L, FX translation, realised P&L (0 unless exited in the window)."""

    book: Book
    total: np.ndarray
    fx: np.ndarray
    realised: np.ndarray
    exited: np.ndarray


def explain(trades: Sequence[Trade], market: Market, previous: date | None, end: date) -> Explained:
    """`domain.valuation.explain` for every trade at once (trades dealt by ``end``, live after ``previous``)."""
    book = Book(trades)
    n = len(book.trades)
    exited = book.exit < _ns(end_of(end))
    exit_rows = np.flatnonzero(exited)
    open_rows = np.flatnonzero(~exited)
    value_end = np.zeros(n, dtype=np.int64)
    if open_rows.size:
        marks = mark(book, open_rows, market, end)
        value_end[open_rows] = cents(marks.value_quote * marks.quote_usd)
    exit_usd = np.zeros(n, dtype=np.float64)  # USD per quote unit on the exit day
    for i in exit_rows.tolist():
        trade = book.trades[i]
        value_end[i] = valuation.cents(valuation.value_usd(trade, market, end))
        exit_usd[i] = valuation.quote_usd_on(trade, market, end)
    realised = np.where(exited, value_end, 0)
    value_prev = np.zeros(n, dtype=np.int64)
    fx = np.zeros(n, dtype=np.int64)
    held_rows = np.flatnonzero(book.dealt < _ns(end_of(previous))) if previous is not None else np.array([], int)
    if held_rows.size:
        assert previous is not None
        marks = mark(book, held_rows, market, previous)
        value_prev[held_rows] = cents(marks.value_quote * marks.quote_usd)
        quotes = book.quote[held_rows]
        later = np.where(exited[held_rows], exit_usd[held_rows], _usd_table(book, quotes, market, end)[quotes])
        fx[held_rows] = np.where(marks.value_quote != 0.0, cents(marks.value_quote * (later - marks.quote_usd)), 0)
    return Explained(book, value_end - value_prev, fx, realised, exited)

