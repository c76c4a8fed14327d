"""get_pnl's arrays give every book and pair the cents of `domain.valuation.explain` trade by trade."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

import pytest

from domain import valuation
from tests.unit.tools.position_risk.random_books import random_market, random_trades
from tools.position_risk import calc


def _per_trade(trades, market, previous, end):
    rows = defaultdict(lambda: dict.fromkeys(("pnl", "price", "fx", "realised", "n", "closed"), 0))
    for trade in trades:
        if not trade.dealt_by(end) or (previous is not None and trade.exited_by(previous)):
            continue
        part = valuation.explain(trade, market, previous, end)
        row = rows[(trade.book, trade.pair)]
        row["pnl"] += part.total
        row["price"] += part.price
        row["fx"] += part.fx
        row["n"] += 1
        if part.realised is not None:
            row["realised"] += part.realised
            row["closed"] += 1
    return {key: ({"pnl_usd": v["pnl"] / 100, "price_effect_usd": v["price"] / 100,
                   "fx_translation_usd": v["fx"] / 100, "realised_usd": v["realised"] / 100}, v["n"], v["closed"])
            for key, v in rows.items()}


@pytest.mark.parametrize("seed", range(8))
def test_pnl_report_equals_the_per_trade_explain_for_every_window(seed):
    rng = random.Random(100 + seed)
    start = date(2026, 6, 1)
    days = [start + timedelta(days=k) for k in range(60) if (start + timedelta(days=k)).weekday() < 5]
    market = random_market(days, rng)
    trades = random_trades(days, rng, 300)
    for previous, end in [(None, days[5]), (days[10], days[11]), (days[3], days[30]), (days[-2], days[-1])]:
        report = calc.pnl_report(trades, market, previous, end)
        got = {(r["book"], r["pair"]): ({k: r[k] for k in ("pnl_usd", "price_effect_usd", "fx_translation_usd",
                                                           "realised_usd")}, r["trades"], r["closed_trades"])
               for r in report["by_pair"]}
        assert got == _per_trade(trades, market, previous, end), (previous, end)
        assert report["total_pnl_usd"] == pytest.approx(sum(v[0]["pnl_usd"] for v in got.values()), abs=1e-6)


def test_pnl_report_of_no_trades_is_empty():
    day = date(2026, 6, 1)
    report = calc.pnl_report([], random_market([day], random.Random(1)), None, day)
    assert report["by_pair"] == [] and report["total_pnl_usd"] == 0
