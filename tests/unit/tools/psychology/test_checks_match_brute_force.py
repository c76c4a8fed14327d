"""The revenge and loss-chasing checks find the same episodes as the obvious quadratic scan.

Both checks once compared every trade with every close (x80 time per 10x trades on the book-scale
benchmark); they now bisect sorted closes and openings. This pins the answers to the brute force
on random trade lists with ties, same-minute closes and reopenings.
"""

import random
from datetime import date, datetime, timedelta

import pytest

from tools.psychology.calc import check_loss_chasing, check_revenge_trading
from tools.psychology.thresholds import BehaviourThresholds
from tools.trade_journal.calc import Trade, closed_only

TH = BehaviourThresholds(revenge_min_episodes=1, chase_count=1)
START, END = date(2026, 11, 2), date(2026, 11, 20)


def _random_trades(seed: int, n: int = 160) -> list[Trade]:
    rng = random.Random(seed)
    base = datetime(2026, 10, 26, 7)
    trades = []
    for i in range(n):
        opened = base + timedelta(minutes=15 * rng.randrange(0, 2400))  # coarse grid: many ties
        notional = rng.choice([1e6, 2e6, 5e6, 10e6])
        closed = rng.random() < 0.7
        hold = timedelta(minutes=15 * rng.randrange(0, 8))  # 0: closed the minute it opened
        pnl = rng.choice([-30_000, -5_000, 0, 4_000, 25_000])
        trades.append(Trade(trade_id=f"T{i:04d}", book="FX-G10", customer="Cust201",
                            pair=rng.choice(["EURUSD", "USDJPY", "GBPUSD"]), side="BUY", notional=notional, rate=1.0,
                            trade_time=opened, exit_rate=1.0 + pnl / notional if closed else None,
                            exit_time=opened + hold if closed else None, quote_usd=1.0, base_usd=1.0))
    return trades


def _brute_revenge_pairs(trades, minutes):
    losses = [t for t in closed_only(trades) if t.pnl_usd < 0]
    gap = timedelta(minutes=minutes)
    out = {}
    for trade in trades:
        if not START <= trade.trade_time.date() <= END:
            continue
        before = [loss for loss in losses if loss.trade_id != trade.trade_id
                  and loss.exit_time <= trade.trade_time <= loss.exit_time + gap]
        if before:
            out[trade.trade_id] = max(before, key=lambda t: (t.exit_time, t.trade_id)).trade_id
    return out


def _brute_next(trades):
    ordered = sorted(trades, key=lambda t: (t.trade_time, t.trade_id))
    out = {}
    for closed in closed_only(trades):
        nxt = next((t for t in ordered if t.pair == closed.pair and t.trade_id != closed.trade_id
                    and t.trade_time >= closed.exit_time), None)
        if nxt is not None and START <= nxt.trade_time.date() <= END and closed.pnl_usd != 0:
            out[closed.trade_id] = nxt.trade_id
    return out


@pytest.mark.parametrize("seed", range(12))
def test_revenge_episodes_pair_each_trade_with_the_latest_loss_like_the_brute_force(seed):
    trades = _random_trades(seed)
    flag = check_revenge_trading(trades, START, END, TH)
    expected = _brute_revenge_pairs(trades, TH.revenge_minutes)
    got = {e["trade_id"]: e["loss_trade_id"] for e in flag.evidence["episodes"]}
    assert got == {tid: loss for tid, loss in expected.items() if tid in got}
    assert flag.evidence["observed"]["of"] == len(expected)  # every post-loss trade counted, big or not


@pytest.mark.parametrize("seed", range(12))
def test_loss_chasing_takes_the_first_trade_opened_after_each_close_like_the_brute_force(seed):
    trades = _random_trades(seed)
    flag = check_loss_chasing(trades, START, END, TH)
    expected = _brute_next(trades)
    losses_followed = {cid for cid, _ in expected.items()
                       if next(t for t in trades if t.trade_id == cid).pnl_usd < 0}
    assert flag.evidence["observed"]["of"] == len(losses_followed)
    for episode in flag.evidence["episodes"]:
        assert expected[episode["loss_trade_id"]] == episode["next_trade_id"]


@pytest.mark.parametrize("seed", range(8))
def test_tilt_takes_the_next_trades_after_each_trigger_like_the_brute_force(seed):
    from tools.psychology.tilt import tilt_conditions

    trades = _random_trades(seed)
    th = BehaviourThresholds(tilt_loss_streak=2)
    _, _, conditions = tilt_conditions(trades, th, 3)
    ordered = sorted(trades, key=lambda t: (t.trade_time, t.trade_id))
    for condition in conditions:
        triggers = [next(t for t in trades if t.trade_id == tid) for tid in condition.trigger_trade_ids]
        expected = {t.trade_id for trigger in triggers
                    for t in [t for t in ordered if t.trade_time > trigger.exit_time][:3]}
        assert condition.after_trade_ids == [t.trade_id for t in ordered if t.trade_id in expected]
        assert condition.triggers == len(triggers)
    assert any(condition.after_trade_ids for condition in conditions), "a case with no trigger tests nothing"
