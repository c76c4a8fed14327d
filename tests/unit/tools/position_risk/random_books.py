"""Random books for the exactness checks of the array valuation (`tools.position_risk.scan`)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from domain.market import Market
from domain.trade import Trade

PAIRS = {"EURUSD": 1.08, "USDJPY": 150.0, "GBPUSD": 1.27, "EURGBP": 0.85, "AUDUSD": 0.66}
TENORS = [(7, 1.0), (30, 4.0), (90, 11.0), (180, 20.0)]


def random_market(days: list[date], rng: random.Random) -> Market:
    closes, points, level = {}, {}, dict(PAIRS)
    for day in days:
        level = {p: c * (1 + rng.gauss(0, 0.004)) for p, c in level.items()}
        closes[day] = dict(level)
        points[day] = {p: [(d, pts * c / 1e4) for d, pts in TENORS] for p, c in level.items()}
    return Market(closes, points)


def random_trades(days: list[date], rng: random.Random, n: int) -> list[Trade]:
    out = []
    for i in range(n):
        dealt = rng.choice(days[:-1])
        pair = rng.choice(list(PAIRS))
        forward = rng.random() < 0.3
        exit_day = rng.choice([d for d in days if d >= dealt]) if rng.random() < 0.5 else None
        out.append(Trade(
            trade_id=f"T{i:05d}", book=rng.choice(["G10", "EM"]), pair=pair, side=rng.choice(["BUY", "SELL"]),
            notional=rng.choice([1e6, 2.5e6, 7e6, 33_333_333.33]), rate=PAIRS[pair] * (1 + rng.gauss(0, 0.01)),
            trade_time=datetime.combine(dealt, datetime.min.time()) + timedelta(hours=rng.randrange(7, 20)),
            exit_rate=PAIRS[pair] * (1 + rng.gauss(0, 0.01)) if exit_day else None,
            exit_time=datetime.combine(exit_day, datetime.min.time()) + timedelta(hours=21) if exit_day else None,
            product="FORWARD" if forward else "SPOT",
            value_date=dealt + timedelta(days=rng.choice([2, 9, 40, 120, 200])) if forward else dealt + timedelta(2)))
    return out
