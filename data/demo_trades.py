"""Demo trades: several traders' spot and forward deals, with the behaviours the desks must find.

Rules the generated data keeps (other desks rely on them):
- Every spot trade's ``rate`` lies inside that day's low/high, except the few deliberate off-market
  trades (outside by 0.3-1.2 %). A forward's all-in rate is such a spot rate plus the forward points
  for its value date (`data.demo_forwards`, interpolated from the day's close), so it lies inside the
  day's range shifted by its points; a closed forward's exit rate likewise carries the points left
  to its value date on the exit day.
- Spot value date is T+2 business days; forwards settle 1 week to 6 months later.
- ``booking_time`` is 5 s to 20 min after ``trade_time``, except the few late bookings (31-240 min).
- About 45 % of trades are closed by their trader (``exit_rate``/``exit_time``, exit rate inside
  the exit day's range, exit no later than the as-of date); the rest are open positions.
- trader_aruna has revenge-trading episodes (a losing close, then within minutes a trade of the
  same pair 2.5-3.5x her usual size) and overtrading days (about 3.5x her daily baseline).
- trader_li loses late in the session: about 70 % of her losing trades opened outside
  15:00-17:00 UTC are moved, whole (hold time and booking delay kept), to open in that bucket on the
  same day (`_plant_late_losses`, its own seeded generator so nobody else's trades change).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np

from data.calendar import add_business_days
from data.demo_forwards import forward_points_for
from data.demo_market import PAIRS


@dataclass(frozen=True)
class TraderProfile:
    """A synthetic trader: book, customers, daily trade baseline and typical size."""

    trader: str
    book: str
    customers: tuple[str, ...]
    daily: float              # mean trades per business day
    size: float               # median notional (base units)


def _custs(lo: int, hi: int) -> tuple[str, ...]:
    return tuple(f"Cust{i}" for i in range(lo, hi + 1))


TRADERS: tuple[TraderProfile, ...] = (
    TraderProfile("trader_aruna", "FX-G10", _custs(201, 215), 8.0, 4_000_000),
    TraderProfile("trader_ben", "FX-G10", _custs(216, 230), 11.0, 5_000_000),
    TraderProfile("trader_li", "FX-EM", _custs(301, 315), 9.0, 3_000_000),
    TraderProfile("trader_kim", "FX-EM", _custs(316, 330), 10.0, 2_500_000),
)

_PAIR_WEIGHTS = {
    "FX-G10": {"EURUSD": .25, "GBPUSD": .15, "USDJPY": .18, "AUDUSD": .08, "USDCHF": .06,
               "USDCAD": .07, "NZDUSD": .04, "EURGBP": .09, "EURJPY": .08},
    "FX-EM": {"USDMXN": .28, "USDZAR": .20, "USDTRY": .17, "USDBRL": .17, "USDINR": .175, "USDRUB": .005},
}
_PAIR_CHOICES = {book: (np.array(list(w)), np.array(list(w.values())) / sum(w.values()))
                 for book, w in _PAIR_WEIGHTS.items()}
TRADE_DAYS = 140                      # business days of trade history ending on the as-of date
OVERTRADING_DAYS = (date(2026, 10, 14), date(2026, 11, 18))
REVENGE_DAYS = (date(2026, 9, 16), date(2026, 10, 27), date(2026, 11, 10), date(2026, 11, 18))
LATE_BOOKING_P = 0.012
OFF_MARKET_P = 0.004
EXIT_P = 0.45
LATE_LOSS_TRADER = "trader_li"
LATE_LOSS_HOURS = (15, 17)            # UTC bucket her moved losing trades open in
LATE_LOSS_SHARE = 0.7                 # share of her losing trades outside the bucket that move
LATE_LOSS_SEED = 1717


@dataclass
class _Ctx:
    rng: np.random.Generator
    days: list[date]
    index: dict[date, int]
    ohlc: dict[str, np.ndarray]


def generate_trades(rng: np.random.Generator, days: list[date],
                    ohlc: dict[str, np.ndarray]) -> list[dict]:
    """Return every demo trade as a row dict for ``schema.trades`` (ids in trade-time order)."""
    ctx = _Ctx(rng, days, {d: i for i, d in enumerate(days)}, ohlc)
    rows: list[dict] = []
    for profile in TRADERS:
        for day in days[-TRADE_DAYS:]:
            mean = profile.daily * rng.gamma(6.0, 1 / 6.0)
            if profile.trader == "trader_aruna" and day in OVERTRADING_DAYS:
                mean = profile.daily * 3.5
            for _ in range(int(rng.poisson(mean))):
                rows.append(_random_trade(ctx, profile, day))
    aruna = TRADERS[0]
    for k, day in enumerate(REVENGE_DAYS):
        rows.extend(_revenge_episode(ctx, aruna, day, chase_loss=k % 2 == 1))
    rows.extend(_special_trades(ctx))
    _plant_late_losses(rows)
    rows.sort(key=lambda r: (r["trade_time"], r["trader"], r["pair"]))
    for i, row in enumerate(rows, start=1):
        row["trade_id"] = f"T{i:06d}"
    return rows


def _random_trade(ctx: _Ctx, profile: TraderProfile, day: date, *, pair: str | None = None,
                  customer: str | None = None) -> dict:
    rng = ctx.rng
    names, probs = _PAIR_CHOICES[profile.book]
    pair = pair or str(rng.choice(names, p=probs))
    t = datetime.combine(day, time(7)) + timedelta(seconds=int(rng.integers(0, 10 * 3600)))
    size = profile.size * float(rng.lognormal(0.0, 0.6))
    row = _trade(ctx, profile, pair, day, t,
                 side="BUY" if rng.random() < 0.5 else "SELL",
                 notional=float(np.clip(round(size / 100_000) * 100_000, 100_000, 50_000_000)),
                 customer=customer or str(rng.choice(profile.customers)),
                 rate=_in_range(ctx, pair, day))
    if rng.random() < OFF_MARKET_P:
        high, low, decimals = _hl(ctx, pair, day)
        away = float(rng.uniform(0.003, 0.012))
        spot = high * (1 + away) if rng.random() < 0.5 else low * (1 - away)
        row["rate"] = round(_with_points(ctx, row, day, spot), decimals)
    if rng.random() < EXIT_P:
        _close(ctx, row)
    return row


def _trade(ctx: _Ctx, profile: TraderProfile, pair: str, day: date, t: datetime, *, side: str,
           notional: float, customer: str, rate: float) -> dict:
    rng = ctx.rng
    late = rng.random() < LATE_BOOKING_P
    delay = timedelta(minutes=float(rng.uniform(31, 240))) if late else timedelta(
        seconds=int(rng.integers(5, 1200)))
    forward = rng.random() < 0.2
    value_date = add_business_days(day, 2)
    if forward:
        value_date = add_business_days(day + timedelta(days=int(rng.choice([7, 30, 91, 182]))), 0)
        while value_date.weekday() >= 5:
            value_date += timedelta(days=1)
        value_date = max(value_date, add_business_days(day, 3))
    row = {
        "trader": profile.trader, "customer": customer, "book": profile.book, "pair": pair,
        "product": "FORWARD" if forward else "SPOT", "side": side, "notional": notional, "rate": rate,
        "trade_time": t, "booking_time": (t + delay).replace(microsecond=0), "value_date": value_date,
        "exit_rate": None, "exit_time": None,
    }
    row["rate"] = round(_with_points(ctx, row, day, rate), PAIRS[pair][2])
    return row


def _with_points(ctx: _Ctx, row: dict, day: date, spot_rate: float) -> float:
    """Return ``spot_rate`` plus the forward points to the row's value date seen from ``day`` (spot: unchanged)."""
    if row["product"] != "FORWARD":
        return spot_rate
    close = float(ctx.ohlc[row["pair"]][ctx.index[day], 3])
    return spot_rate + forward_points_for(row["pair"], close, (row["value_date"] - day).days)


def _hl(ctx: _Ctx, pair: str, day: date) -> tuple[float, float, int]:
    row = ctx.ohlc[pair][ctx.index[day]]
    return float(row[1]), float(row[2]), PAIRS[pair][2]


def _in_range(ctx: _Ctx, pair: str, day: date, lo: float = 0.0, hi: float = 1.0) -> float:
    high, low, decimals = _hl(ctx, pair, day)
    rate = round(low + (high - low) * float(ctx.rng.uniform(lo, hi)), decimals)
    return min(max(rate, low), high)


def _close(ctx: _Ctx, row: dict) -> None:
    rng = ctx.rng
    day = row["trade_time"].date()
    if rng.random() < 0.5:
        exit_time = row["trade_time"] + timedelta(minutes=int(rng.integers(5, 300)))
        exit_day = day
    else:
        i = min(ctx.index[day] + int(rng.integers(1, 11)), len(ctx.days))
        if i >= len(ctx.days):
            return  # would close after the as-of date: stays open
        exit_day = ctx.days[i]
        exit_time = datetime.combine(exit_day, time(7)) + timedelta(seconds=int(rng.integers(0, 10 * 3600)))
    row["exit_time"] = exit_time
    row["exit_rate"] = round(_with_points(ctx, row, exit_day, _in_range(ctx, row["pair"], exit_day)),
                             PAIRS[row["pair"]][2])


def _revenge_episode(ctx: _Ctx, profile: TraderProfile, day: date, *, chase_loss: bool) -> list[dict]:
    """Return a losing close and, within minutes, a same-pair trade 2.5-3.5x the usual size."""
    rng = ctx.rng
    pair = "EURUSD" if day.day % 2 == 0 else "GBPUSD"
    t0 = datetime.combine(day, time(10)) + timedelta(minutes=int(rng.integers(0, 120)))
    loser = _trade(ctx, profile, pair, day, t0, side="BUY", notional=4_000_000.0,
                   customer=profile.customers[2], rate=_in_range(ctx, pair, day, 0.80, 0.95))
    loser["exit_time"] = t0 + timedelta(minutes=int(rng.integers(25, 60)))
    loser["exit_rate"] = round(_with_points(ctx, loser, day, _in_range(ctx, pair, day, 0.05, 0.20)), PAIRS[pair][2])
    revenge_time = loser["exit_time"] + timedelta(minutes=int(rng.integers(2, 9)))
    big = float(round(profile.size * rng.uniform(2.5, 3.5) / 1_000_000) * 1_000_000)
    revenge = _trade(ctx, profile, pair, day, revenge_time, side="BUY", notional=big,
                     customer=profile.customers[2], rate=_in_range(ctx, pair, day, 0.55, 0.75))
    revenge["_revenge"] = True  # read by the journal generator, stripped before insert
    if chase_loss:
        revenge["exit_time"] = revenge_time + timedelta(minutes=int(rng.integers(20, 50)))
        revenge["exit_rate"] = round(_with_points(ctx, revenge, day, _in_range(ctx, pair, day, 0.05, 0.30)),
                                     PAIRS[pair][2])
    return [loser, revenge]


def _plant_late_losses(rows: list[dict]) -> None:
    """Move about 70 % of trader_li's losing trades to open 15:00-17:00 UTC on their day (the time-of-day plant).

    A losing trade closed with side sign x (exit rate - rate) < 0. The move keeps the day, the hold
    time of a same-day close and the booking delay, so rates, value dates and late bookings hold.
    """
    rng = np.random.default_rng(LATE_LOSS_SEED)
    lo, hi = LATE_LOSS_HOURS
    for row in rows:
        if row["trader"] != LATE_LOSS_TRADER or row["exit_rate"] is None:
            continue
        sign = 1.0 if row["side"] == "BUY" else -1.0
        if sign * (row["exit_rate"] - row["rate"]) >= 0 or lo <= row["trade_time"].hour < hi:
            continue
        if rng.random() >= LATE_LOSS_SHARE:
            continue
        old = row["trade_time"]
        new = datetime.combine(old.date(), time(lo)) + timedelta(seconds=int(rng.integers(0, (hi - lo) * 3600)))
        if row["exit_time"].date() == old.date():
            row["exit_time"] = new + (row["exit_time"] - old)
        row["booking_time"] = new + (row["booking_time"] - old)
        row["trade_time"] = new


def _special_trades(ctx: _Ctx) -> list[dict]:
    """Restricted-list hits: a few Cust999 trades and rare USDRUB trades in FX-EM."""
    rows = []
    kim, li = TRADERS[3], TRADERS[2]
    for offset in (3, 17, 41):
        day = ctx.days[-offset]
        rows.append(_random_trade(ctx, kim, day, pair="USDZAR", customer="Cust999"))
    for offset in (6, 29, 77):
        day = ctx.days[-offset]
        rows.append(_random_trade(ctx, li, day, pair="USDRUB"))
    return rows
