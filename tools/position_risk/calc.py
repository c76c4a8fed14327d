"""Position-risk maths (no LangChain, no SQL): net open position, MTM P&L, VaR inputs, limit utilisation.

Definitions (quoted by the tools and tested against hand calculations):

- **Legs.** A trade in BASE/QUOTE of ``N`` base units at rate ``r`` is ``+s*N`` BASE and ``-s*N*r``
  QUOTE, with ``s = +1`` for BUY and ``-1`` for SELL.
- **Open.** A trade is open at the end of day ``d`` if it was dealt by then and not exited by then.
  An exit flattens the trade at ``exit_rate``; its realised P&L leaves the position (it is swept to
  the P&L account), so closed trades do not count in the net open position.
- **USD value** of one unit of currency C on day d: 1 for USD; the close of ``CUSD`` if that pair
  exists; else ``1 / close of USDC``.
- **Net open position (NOP)** per book and currency: the sum of the open trades' legs, and its USD
  equivalent at the as-of close. USD is the reporting currency and carries no FX risk.
- **P&L.** Value of a trade at the close of day ``d``, in its quote currency:
  ``V(d) = 0`` if dealt after ``d``; ``s*N*(exit_rate - r)`` if exited by ``d``; otherwise
  ``s*N*(close(d) - r)``. The P&L over a window ``[start, end]`` is ``V(end) - V(p)`` where ``p``
  is the last rate day before ``start`` (the previous close). So the day P&L is the change in value
  of positions held since the previous close plus new trades marked from deal rate to close (and
  exits from the previous close to the exit rate). Quote-currency P&L is converted to USD at the
  ``end`` close. ``realised`` is the part from trades exited inside the window.

VaR lives in `tools.position_risk.var`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from tools.errors import ToolInputError

MAX_NOTIONAL = 5e9


@dataclass(frozen=True)
class Trade:
    """One trade as the position maths needs it."""

    trade_id: str
    book: str
    pair: str
    side: str                 # BUY | SELL (of the base currency)
    notional: float           # base units, > 0
    rate: float
    trade_time: datetime
    customer: str | None = None
    exit_rate: float | None = None
    exit_time: datetime | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Trade:
        """Build from a ``trades`` row (extra columns are ignored)."""
        return cls(trade_id=row["trade_id"], book=row["book"], pair=row["pair"], side=row["side"],
                   notional=float(row["notional"]), rate=float(row["rate"]), trade_time=row["trade_time"],
                   customer=row.get("customer"), exit_rate=row.get("exit_rate"), exit_time=row.get("exit_time"))

    @property
    def sign(self) -> float:
        """+1 for a BUY of the base currency, -1 for a SELL."""
        return 1.0 if self.side.upper() == "BUY" else -1.0

    @property
    def base(self) -> str:
        """The base currency (first three letters of the pair)."""
        return self.pair[:3]

    @property
    def quote(self) -> str:
        """The quote currency (last three letters of the pair)."""
        return self.pair[3:]

    def dealt_by(self, day: date) -> bool:
        """Return True when the trade was dealt on or before ``day``."""
        return self.trade_time < _end_of(day)

    def exited_by(self, day: date) -> bool:
        """Return True when the trade was closed on or before ``day``."""
        return self.exit_time is not None and self.exit_rate is not None and self.exit_time < _end_of(day)

    def is_open(self, day: date) -> bool:
        """Return True when the trade is part of the position at the close of ``day``."""
        return self.dealt_by(day) and not self.exited_by(day)

    def legs(self) -> tuple[tuple[str, float], tuple[str, float]]:
        """Return ``((base, +s*N), (quote, -s*N*rate))``."""
        amount = self.sign * self.notional
        return (self.base, amount), (self.quote, -amount * self.rate)


@dataclass(frozen=True)
class Market:
    """Closing rates by day: ``closes[day][pair]``."""

    closes: Mapping[date, Mapping[str, float]]

    def close(self, pair: str, day: date) -> float:
        """Return the close of ``pair`` on ``day``; raise `ToolInputError` when there is none."""
        try:
            return float(self.closes[day][pair])
        except KeyError:
            raise ToolInputError("no_rate", f"No closing rate for {pair} on {day}.") from None

    def usd(self, currency: str, day: date) -> float:
        """Return the USD value of one unit of ``currency`` on ``day`` (DESIGN money rule)."""
        if currency == "USD":
            return 1.0
        row = self.closes.get(day, {})
        if f"{currency}USD" in row:
            return float(row[f"{currency}USD"])
        if f"USD{currency}" in row:
            return 1.0 / float(row[f"USD{currency}"])
        raise ToolInputError("no_rate", f"No USD rate for {currency} on {day}.")


def money(value: float) -> float:
    """Round an amount of money to 2 decimals (and turn -0.0 into 0.0)."""
    return round(value, 2) + 0.0


def pct(numerator: float, denominator: float) -> float | None:
    """Return ``numerator / denominator`` in % with 2 decimals, or None when the denominator is 0."""
    return money(100.0 * numerator / denominator) if denominator else None


def validate_notional(notional: float) -> float:
    """Return ``notional`` if it is a plausible trade size (0 < n <= 5e9); raise `ToolInputError` otherwise."""
    if not notional == notional or notional <= 0:  # NaN compares unequal to itself
        raise ToolInputError("absurd_notional", f"Absurd notional {notional!r}: it must be a positive amount.")
    if notional > MAX_NOTIONAL:
        raise ToolInputError("absurd_notional",
                             f"Absurd notional {notional:,.0f}: the desk caps a single trade at 5,000,000,000.")
    return float(notional)


# -- net open position -------------------------------------------------------------------------
def currency_positions(trades: Iterable[Trade], day: date) -> dict[tuple[str, str], float]:
    """Return (book, currency) -> net units of the trades open at the close of ``day``."""
    out: dict[tuple[str, str], float] = defaultdict(float)
    for trade in trades:
        if trade.is_open(day):
            for currency, amount in trade.legs():
                out[(trade.book, currency)] += amount
    return dict(out)


def usd_exposures(trades: Iterable[Trade], market: Market, day: date) -> dict[tuple[str, str], float]:
    """Return (book, currency) -> NOP in USD at the close of ``day``, for non-USD currencies."""
    return {key: units * market.usd(key[1], day)
            for key, units in currency_positions(trades, day).items() if key[1] != "USD"}


def nop_report(trades: list[Trade], market: Market, as_of: date, decimals: Mapping[str, int],
               currency: str | None = None) -> dict[str, Any]:
    """Return the NOP tables: per book and currency (units, USD) and per book and pair (net legs, MTM).

    Args:
        trades: the scope's trades (open and closed; closed ones are ignored).
        market: closes including ``as_of``.
        as_of: the desk date.
        decimals: quoting decimals per pair, for rounding rates.
        currency: keep only this currency's rows (and pairs that contain it), when given.

    """
    units = currency_positions(trades, as_of)
    currencies = [
        {"book": book, "currency": ccy, "position": money(qty), "usd_rate": round(market.usd(ccy, as_of), 8),
         "usd_equivalent": money(qty * market.usd(ccy, as_of))}
        for (book, ccy), qty in units.items() if currency in (None, ccy)
    ]
    currencies.sort(key=lambda r: (r["book"], -abs(r["usd_equivalent"]), r["currency"]))
    grouped: dict[tuple[str, str], list[Trade]] = defaultdict(list)
    for trade in trades:
        if trade.is_open(as_of) and currency in (None, trade.base, trade.quote):
            grouped[(trade.book, trade.pair)].append(trade)
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


def _pair_row(book: str, pair: str, group: list[Trade], market: Market, day: date, decimals: int) -> dict:
    base_units = sum(t.sign * t.notional for t in group)
    quote_units = sum(-t.sign * t.notional * t.rate for t in group)
    close = market.close(pair, day)
    mtm_quote = base_units * close + quote_units
    return {
        "book": book, "pair": pair, "net_base": money(base_units), "net_quote": money(quote_units),
        "average_rate": round(-quote_units / base_units, decimals) if abs(base_units) > 1e-9 else None,
        "close": round(close, decimals), "base_usd_equivalent": money(base_units * market.usd(pair[:3], day)),
        "unrealised_pnl_usd": money(mtm_quote * market.usd(pair[3:], day)), "open_trades": len(group),
    }


# -- P&L ---------------------------------------------------------------------------------------
def trade_value(trade: Trade, market: Market, day: date | None) -> float:
    """Return the trade's value ``V(day)`` in its quote currency (0 when ``day`` is None)."""
    if day is None or not trade.dealt_by(day):
        return 0.0
    mark = trade.exit_rate if trade.exited_by(day) else market.close(trade.pair, day)
    return trade.sign * trade.notional * (float(mark) - trade.rate)


def pnl_report(trades: Iterable[Trade], market: Market, previous_close: date | None, end: date) -> dict[str, Any]:
    """Return MTM P&L in USD between ``previous_close`` and ``end``, by book and pair, by book and in total.

    Args:
        trades: the scope's trades.
        market: closes on ``previous_close`` and ``end``.
        previous_close: the last rate day before the window starts (None: no earlier data, V = 0).
        end: the last rate day of the window.

    """
    rows: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: {"pnl": 0.0, "realised": 0.0, "n": 0})
    for trade in trades:
        if not trade.dealt_by(end) or (previous_close is not None and trade.exited_by(previous_close)):
            continue  # outside the window: V(end) - V(previous close) is 0
        change = trade_value(trade, market, end) - trade_value(trade, market, previous_close)
        usd = change * market.usd(trade.quote, end)
        row = rows[(trade.book, trade.pair)]
        row["pnl"] += usd
        row["n"] += 1
        if trade.exited_by(end):
            row["realised"] += usd
    by_pair = [{"book": b, "pair": p, "pnl_usd": money(v["pnl"]), "realised_usd": money(v["realised"]),
                "unrealised_usd": money(v["pnl"] - v["realised"]), "trades": int(v["n"])}
               for (b, p), v in rows.items()]
    by_pair.sort(key=lambda r: (r["book"], -abs(r["pnl_usd"]), r["pair"]))
    books: dict[str, dict[str, float]] = defaultdict(lambda: {"pnl": 0.0, "realised": 0.0})
    for (book, _), v in rows.items():
        books[book]["pnl"] += v["pnl"]
        books[book]["realised"] += v["realised"]
    by_book = [{"book": b, "pnl_usd": money(v["pnl"]), "realised_usd": money(v["realised"]),
                "unrealised_usd": money(v["pnl"] - v["realised"])} for b, v in sorted(books.items())]
    return {"by_book": by_book, "by_pair": by_pair,
            "total_pnl_usd": money(sum(v["pnl"] for v in books.values()))}


# -- limits ------------------------------------------------------------------------------------
def limit_status(utilisation_pct: float | None) -> str:
    """Return ``breach`` above 100 %, ``warning`` from 90 %, ``ok`` below, ``no_limit`` without a limit."""
    if utilisation_pct is None:
        return "no_limit"
    return "breach" if utilisation_pct > 100 else "warning" if utilisation_pct >= 90 else "ok"


def nop_utilisation(exposures: Mapping[tuple[str, str], float], limits: Mapping[tuple[str, str], float],
                    books: Iterable[str]) -> list[dict[str, Any]]:
    """Return per book and currency: |NOP USD|, limit, utilisation %, headroom and status.

    Every limited currency of the given books appears (0 % when flat), plus any exposure without a limit.
    """
    keep = set(books)
    keys = {k for k in limits if k[0] in keep} | {k for k in exposures if k[0] in keep and k[1] != "USD"}
    rows = []
    for book, ccy in keys:
        nop = abs(exposures.get((book, ccy), 0.0))
        limit = limits.get((book, ccy))
        util = pct(nop, limit) if limit else None
        rows.append({"book": book, "currency": ccy, "nop_usd": money(nop),
                     "limit_usd": money(limit) if limit else None, "utilisation_pct": util,
                     "headroom_usd": money(limit - nop) if limit else None, "status": limit_status(util)})
    rows.sort(key=lambda r: (r["book"], -(r["utilisation_pct"] or 0.0), r["currency"]))
    return rows


def var_utilisation(var_by_book: Mapping[str, float], limits: Mapping[str, float]) -> list[dict[str, Any]]:
    """Return per book: VaR, VaR limit, utilisation %, headroom and status."""
    rows = []
    for book, var in sorted(var_by_book.items()):
        limit = limits.get(book)
        util = pct(var, limit) if limit else None
        rows.append({"book": book, "var_usd": money(var), "limit_usd": money(limit) if limit else None,
                     "utilisation_pct": util, "headroom_usd": money(limit - var) if limit else None,
                     "status": limit_status(util)})
    return rows


def hypothetical_trade(pair: str, side: str, notional: float, rate: float, book: str, as_of: date) -> Trade:
    """Return a what-if trade dealt at the end of ``as_of`` (so it is open at that close)."""
    return Trade(trade_id="WHAT-IF", book=book, pair=pair, side=side.upper(), notional=validate_notional(notional),
                 rate=float(rate), trade_time=datetime.combine(as_of, time(23, 59)))


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time())
