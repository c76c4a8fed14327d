"""The demo dataset (DESIGN §3), generated deterministically from one seed: `build_demo(engine)`.

Layout: `data.demo_market` (pairs, OHLC), `data.demo_trades` (trades and behaviours),
`data.demo_reference` (customers, users, grants); this module sizes the limits from the generated
positions and writes everything in one transaction.

Limits are sized from the data so that compliance has findings: per book and currency, NOP limit =
|open NOP in USD at the as-of close| / a target utilisation (most 25-75 %; EUR and TRY over the
limit, JPY and ZAR near it). VaR limits are sized from a rough 250-day estimate
(2.326 x standard deviation of the book's daily USD P&L at today's exposures): FX-G10 at ~75 %,
FX-EM at ~97 %.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

import numpy as np
from sqlalchemy import Engine, insert

from data import position_snapshot, schema
from data.calendar import business_days
from data.demo_forwards import curve_rows
from data.demo_market import build_ohlc, pair_rows, simulate_usd_values, usd_per_unit
from data.demo_reference import (
    BOOKS,
    RESTRICTED,
    ROLE_GRANTS,
    USERS,
    customer_rows,
    round_sig,
)
from data.demo_trades import generate_trades
from domain.credit import counts_for_credit, pre_settlement_usd
from domain.market import Market
from domain.trade import Trade
from domain.valuation import delta_legs

SEED = 20261120
AS_OF = date(2026, 11, 20)
RATE_DAYS = 540
# 2: trader_li's late-session losses (time-of-day plant); 3: forward curve, forwards at spot + points (issue 13)
GENERATOR_VERSION = "3"

# Target |NOP| / limit per (book, currency); unlisted currencies get a random 25-75 %.
_NOP_TARGETS = {("FX-G10", "EUR"): 1.12, ("FX-G10", "JPY"): 0.96, ("FX-EM", "TRY"): 1.04,
                ("FX-EM", "ZAR"): 0.91}
_VAR_TARGETS = {"FX-G10": 0.75, "FX-EM": 0.97}


def build_demo(engine: Engine, *, seed: int = SEED, as_of: date = AS_OF) -> None:
    """Create the schema if needed and write the whole demo dataset (tables must be empty)."""
    rng = np.random.default_rng(seed)
    schema.metadata.create_all(engine)
    days = business_days(as_of, RATE_DAYS)
    ohlc = build_ohlc(rng, days, simulate_usd_values(rng, len(days)))
    trades = generate_trades(rng, days, ohlc)
    market = _as_of_market(days, ohlc)
    nop = _open_nop_usd(trades, market, as_of)
    customers = customer_rows(rng, as_of, _credit_exposure(trades, market, as_of))
    with engine.begin() as conn:
        conn.execute(insert(schema.pairs), pair_rows())
        conn.execute(insert(schema.rates), [
            {"pair": pair, "day": day, "open": float(o), "high": float(h), "low": float(lo), "close": float(c)}
            for pair, arr in ohlc.items() for day, (o, h, lo, c) in zip(days, arr, strict=True)
        ])
        conn.execute(insert(schema.forward_points), curve_rows(days, ohlc))
        conn.execute(insert(schema.books), [
            {"book": b, "description": desc, "var_limit_usd": _var_limit(b, nop, ohlc)}
            for b, desc in BOOKS.items()
        ])
        conn.execute(insert(schema.nop_limits), _nop_limit_rows(rng, nop))
        conn.execute(insert(schema.customers), customers)
        conn.execute(insert(schema.restricted), [
            {"kind": k, "value": v, "reason": reason} for k, v, reason in RESTRICTED
        ])
        conn.execute(insert(schema.users), [{"user_id": u, "name": n, "role": r} for u, n, r, _, _ in USERS])
        book_rows = [{"user_id": u, "book": b} for u, _, _, books, _ in USERS for b in books]
        if book_rows:
            conn.execute(insert(schema.user_books), book_rows)
        conn.execute(insert(schema.user_customers), [
            {"user_id": u, "customer": c} for u, _, _, _, custs in USERS for c in custs
        ])
        conn.execute(insert(schema.role_grants), [{"role": r, "desk": d, "tools": t} for r, d, t in ROLE_GRANTS])
        journal = _journal_rows(trades)
        conn.execute(insert(schema.trades), [{k: v for k, v in t.items() if not k.startswith("_")}
                                             for t in trades])
        conn.execute(insert(schema.journal), journal)
        conn.execute(insert(schema.meta), [
            {"key": "as_of", "value": as_of.isoformat()},
            {"key": "seed", "value": str(seed)},
            {"key": "generator_version", "value": GENERATOR_VERSION},
            {"key": "rate_days", "value": str(RATE_DAYS)},
        ])
        position_snapshot.rebuild(conn, days[-1])  # the open lots at the as-of close (issue 14)


def _as_of_market(days: list[date], ohlc: dict[str, np.ndarray]) -> Market:
    """Return the as-of closes and forward curve as the domain core reads them from the tables."""
    as_of = days[-1]
    closes = {pair: float(arr[-1, 3]) for pair, arr in ohlc.items()}
    points: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for row in curve_rows(days[-1:], {p: a[-1:] for p, a in ohlc.items()}):
        points[row["pair"]].append((row["tenor_days"], row["points"]))
    return Market({as_of: closes}, {as_of: dict(points)})


def _open_nop_usd(trades: list[dict], market: Market, as_of: date) -> dict[tuple[str, str], float]:
    """(book, currency) -> net open position (FX delta) in USD at the as-of close, as the desks compute it."""
    units: dict[tuple[str, str], float] = defaultdict(float)
    for row in trades:
        trade = Trade.from_row(row)
        if trade.is_open(as_of):
            for ccy, amount in delta_legs(trade, market, as_of):
                units[(trade.book, ccy)] += amount
    return {key: qty * market.usd(key[1], as_of) for key, qty in units.items()}


def _credit_exposure(trades: list[dict], market: Market, as_of: date) -> dict[str, float]:
    """Return customer -> pre-settlement exposure in USD at the as-of close, as the compliance desk computes it."""
    exposure: dict[str, float] = defaultdict(float)
    for row in trades:
        trade = Trade.from_row(row)
        if counts_for_credit(trade, as_of):
            mtm, addon = pre_settlement_usd(trade, market, as_of)
            exposure[row["customer"]] += mtm + addon
    return exposure


def _nop_limit_rows(rng: np.random.Generator, nop: dict[tuple[str, str], float]) -> list[dict]:
    rows = []
    for (book, ccy), usd in sorted(nop.items()):
        if ccy == "USD":
            continue  # USD is the reporting currency: its position mirrors the others
        target = _NOP_TARGETS.get((book, ccy), float(rng.uniform(0.25, 0.75)))
        limit = abs(usd) / target
        if (book, ccy) not in _NOP_TARGETS:
            limit = max(limit, 5_000_000.0)
        rows.append({"book": book, "currency": ccy, "limit_usd": round_sig(limit, 3)})
    return rows


def _var_limit(book: str, nop: dict[tuple[str, str], float], ohlc: dict[str, np.ndarray]) -> float:
    exposures = {ccy: usd for (b, ccy), usd in nop.items() if b == book and ccy != "USD"}
    n = next(iter(ohlc.values())).shape[0]
    pnl = np.zeros(250)
    for ccy, usd in exposures.items():
        values = np.array([usd_per_unit(ohlc, ccy, i) for i in range(n - 251, n)])
        pnl += usd * np.diff(np.log(values))
    estimate = 2.326 * float(np.std(pnl))
    return round_sig(estimate / _VAR_TARGETS[book], 3)


def _journal_rows(trades: list[dict]) -> list[dict]:
    """Return a few journal entries by trader_aruna on her recent trades (including the revenge episodes)."""
    aruna = [t for t in trades if t["trader"] == "trader_aruna"]
    closed = [t for t in aruna if t["exit_time"] is not None]
    picks = [
        (closed[-40], "breakout,london-open", "confident", "Clean break of the Asian range; took profit at target."),
        (closed[-31], "mean-reversion", "calm", "Faded the move into resistance. Patient entry."),
        (closed[-22], "news,cpi", "anxious", "Traded the CPI print; spread was wide, sized down."),
        (closed[-15], "breakout", "fomo", "Chased the move after missing the first leg. Should have waited."),
        (closed[-9], "range", "calm", "Range day, small size, followed the plan."),
        (closed[-4], "trend", "frustrated,impatient", "Cut it too early, then it went my way."),
    ]
    revenge = [t for t in aruna if t.get("_revenge")]
    picks += [(t, "revenge,no-setup", "angry,frustrated", "Went in big right after the stop-out. Not in the plan.")
              for t in revenge[-2:]]
    rows = []
    for trade, tags, emotions, notes in picks:
        created: datetime = (trade["exit_time"] or trade["trade_time"]) + timedelta(minutes=45)
        rows.append({
            "user_id": "trader_aruna", "book": trade["book"], "trade_id": trade["trade_id"], "pair": trade["pair"],
            "setup_tags": tags, "emotions": emotions, "notes": notes, "created_at": created, "updated_at": created,
        })
    return rows
