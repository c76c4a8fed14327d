"""Behaviour checks over hand-made trade lists: each flag, its evidence and the thresholds that drive it."""

from datetime import date, datetime, timedelta

import pytest

from tools.psychology.calc import (
    baseline_days,
    behaviour_report,
    check_loss_chasing,
    check_overtrading,
    check_revenge_trading,
    check_streaks,
    check_time_of_day,
    severity,
)
from tools.psychology.thresholds import BehaviourThresholds
from tools.trade_journal.calc import Trade

TH = BehaviourThresholds()
MON, FRI = date(2026, 11, 16), date(2026, 11, 20)


def mk(tid, opened, *, pnl=None, hold_min=30, notional=1_000_000, pair="EURUSD", base_usd=1.0):
    """A BUY at 1.0; when ``pnl`` is given it closes ``hold_min`` later with that USD P&L."""
    exit_rate = None if pnl is None else 1.0 + pnl / notional
    exit_time = None if pnl is None else opened + timedelta(minutes=hold_min)
    return Trade(trade_id=tid, book="FX-G10", customer="Cust201", pair=pair, side="BUY", notional=notional,
                 rate=1.0, trade_time=opened, exit_rate=exit_rate, exit_time=exit_time, quote_usd=1.0,
                 base_usd=base_usd)


def at(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute)


# -- overtrading ------------------------------------------------------------------------------------

def test_baseline_is_the_60_business_days_before_the_window():
    days = baseline_days(MON, 60)
    assert len(days) == 60
    assert days[-1] == date(2026, 11, 13) and days[0] == date(2026, 8, 24)  # 12 weeks back
    assert all(d.weekday() < 5 for d in days)


def test_overtrading_flags_days_at_twice_the_median_baseline():
    th = BehaviourThresholds(overtrading_baseline_days=5)
    # Baseline Mon 9 – Fri 13 Nov: 2, 1, 3, 2, 2 trades → median 2; threshold 2 × 2 = 4.
    trades, n = [], 0
    for day, count in zip(baseline_days(MON, 5), (2, 1, 3, 2, 2), strict=True):
        for i in range(count):
            n += 1
            trades.append(mk(f"B{n}", at(day, 9, i)))
    trades += [mk(f"W{i}", at(MON, 10, i)) for i in range(4)]                 # 4 → flagged (= 4)
    trades += [mk(f"X{i}", at(date(2026, 11, 17), 10, i)) for i in range(3)]  # 3 → not
    flag = check_overtrading(trades, MON, FRI, th)
    assert flag.flagged
    assert flag.evidence["baseline_median_trades_per_day"] == 2
    assert flag.evidence["threshold_trades_per_day"] == 4
    assert flag.evidence["flagged_days"] == [{"day": "2026-11-16", "trades": 4, "times_baseline": 2.0}]
    assert flag.evidence["daily_counts"] == {"2026-11-16": 4, "2026-11-17": 3}
    assert flag.severity == "low"  # (4 / 2) / 2.0 = 1.0


def test_overtrading_counts_quiet_baseline_days_as_zero_and_uses_the_floor():
    th = BehaviourThresholds(overtrading_baseline_days=5)
    # Only one baseline day traded → median of (0, 0, 0, 0, 3) = 0 → floor 1 → threshold 2.
    trades = [mk(f"B{i}", at(date(2026, 11, 13), 9, i)) for i in range(3)]
    trades += [mk("W1", at(MON, 9))]
    assert not check_overtrading(trades, MON, FRI, th).flagged
    trades += [mk("W2", at(MON, 11))]
    flag = check_overtrading(trades, MON, FRI, th)
    assert flag.flagged and flag.evidence["baseline_median_trades_per_day"] == 0
    assert flag.evidence["baseline_used"] == 1


def test_overtrading_ratio_comes_from_the_thresholds():
    th = BehaviourThresholds(overtrading_baseline_days=5, overtrading_ratio=5.0)
    trades = [mk(f"B{d}", at(d, 9)) for d in baseline_days(MON, 5)]  # baseline 1
    trades += [mk(f"W{i}", at(MON, 10, i)) for i in range(4)]
    assert not check_overtrading(trades, MON, FRI, th).flagged
    assert check_overtrading(trades, MON, FRI, th.model_copy(update={"overtrading_ratio": 4.0})).flagged


# -- revenge trading --------------------------------------------------------------------------------

def test_revenge_trade_is_a_large_trade_soon_after_a_losing_close():
    loss = mk("L1", at(MON, 9, 30), pnl=-5_000, hold_min=30)           # closes 10:00, −5,000 USD
    small = mk("S1", at(MON, 10, 10), notional=1_400_000)              # 10 min later but 1.4m
    big = mk("R1", at(MON, 10, 20), notional=3_000_000)                # 20 min later, 3m
    late = mk("R2", at(MON, 10, 45), notional=3_000_000)               # 45 min later: too late
    others = [mk("A1", at(MON, 8)), mk("A2", at(MON, 8, 5))]
    # Sizes 1, 1.4, 3, 3, 1, 1 (m) → median 1.2m; 1.5 × 1.2m = 1.8m; R1 is 3 / 1.2 = 2.5× the median.
    flag = check_revenge_trading([loss, small, big, late, *others], MON, FRI, TH)
    assert flag.flagged
    (ep,) = flag.evidence["episodes"]
    assert (ep["loss_trade_id"], ep["trade_id"]) == ("L1", "R1")
    assert ep["minutes_after_loss"] == 20.0
    assert ep["loss_usd"] == -5000.0
    assert ep["times_median_size"] == 2.5
    assert flag.evidence["median_size_usd"] == 1_200_000
    assert ep["book"] == "FX-G10"
    assert flag.severity == "medium"  # 2.5 / 1.5 = 1.67


def test_large_trade_after_a_winning_close_is_not_revenge():
    win = mk("W1", at(MON, 9, 30), pnl=5_000)
    big = mk("R1", at(MON, 10, 5), notional=5_000_000)
    flag = check_revenge_trading([win, big, mk("A", at(MON, 8)), mk("B", at(MON, 8, 1))], MON, FRI, TH)
    assert not flag.flagged and flag.severity == "none"


def test_revenge_sizes_compare_in_usd_across_pairs():
    # 1m AUDUSD at 0.65 is 650k USD, not 1m: after a loss it is small next to 1m EURUSD trades at 1.10.
    loss = mk("L1", at(MON, 9, 30), pnl=-1_000, base_usd=1.10)
    aud = mk("R1", at(MON, 10, 5), notional=1_000_000, pair="AUDUSD", base_usd=0.65)
    fill = [mk(f"A{i}", at(MON, 8, i), base_usd=1.10) for i in range(3)]
    assert not check_revenge_trading([loss, aud, *fill], MON, FRI, TH).flagged


def test_revenge_window_comes_from_the_thresholds():
    loss = mk("L1", at(MON, 9, 30), pnl=-5_000)
    late = mk("R2", at(MON, 10, 45), notional=3_000_000)
    fill = [mk(f"A{i}", at(MON, 8, i)) for i in range(3)]
    assert not check_revenge_trading([loss, late, *fill], MON, FRI, TH).flagged
    assert check_revenge_trading([loss, late, *fill], MON, FRI, BehaviourThresholds(revenge_minutes=60)).flagged


# -- loss chasing -----------------------------------------------------------------------------------

def _chase_sequence(sizes, pnls, pair="EURUSD"):
    trades, t = [], at(MON, 9)
    for i, (size, pnl) in enumerate(zip(sizes, pnls, strict=True)):
        trades.append(mk(f"C{i}", t, pnl=pnl, notional=size, pair=pair))
        t += timedelta(minutes=60)
    return trades


def test_three_larger_trades_after_losses_in_the_same_pair_is_loss_chasing():
    # 1m loses → 2m (chase 1) loses → 3m (chase 2) loses → 4m (chase 3) wins.
    trades = _chase_sequence([1e6, 2e6, 3e6, 4e6], [-100, -200, -300, 50])
    trades.append(mk("G1", at(MON, 9, 45), pair="GBPUSD", notional=9e6))  # other pair: ignored
    flag = check_loss_chasing(trades, MON, FRI, TH)
    assert flag.flagged and flag.evidence["count"] == 3
    assert [(e["loss_trade_id"], e["next_trade_id"]) for e in flag.evidence["episodes"]] == [
        ("C0", "C1"), ("C1", "C2"), ("C2", "C3")]
    assert flag.evidence["episodes"][0]["size_increase_pct"] == 100.0
    assert flag.evidence["episodes"][0]["loss_usd"] == -100.0
    assert (flag.evidence["losses_followed_in_pair"], flag.evidence["larger_share_pct"]) == (3, 100.0)
    assert flag.severity == "low"


def test_two_chases_or_a_smaller_next_trade_do_not_flag():
    assert not check_loss_chasing(_chase_sequence([1e6, 2e6, 3e6], [-1, -2, 5]), MON, FRI, TH).flagged
    shrink = _chase_sequence([4e6, 3e6, 2e6, 1e6], [-1, -2, -3, 5])
    evidence = check_loss_chasing(shrink, MON, FRI, TH).evidence
    assert (evidence["count"], evidence["losses_followed_in_pair"], evidence["larger_share_pct"]) == (0, 3, 0.0)


def test_chase_count_comes_from_the_thresholds():
    trades = _chase_sequence([1e6, 2e6, 3e6], [-1, -2, 5])
    assert check_loss_chasing(trades, MON, FRI, BehaviourThresholds(chase_count=2)).flagged


# -- time of day ------------------------------------------------------------------------------------

def test_time_of_day_flags_a_two_hour_bucket_with_most_trades():
    hours = [9, 9, 9, 9, 9, 10, 13, 14, 15, 16]  # 09:00–11:00 holds 6 of 10 = 60 %
    trades = [mk(f"T{i}", at(MON, h, i)) for i, h in enumerate(hours)]
    flag = check_time_of_day(trades, MON, FRI, TH)
    assert flag.flagged
    assert flag.evidence["top_bucket"]["hours"] == "09:00–11:00"
    assert flag.evidence["top_bucket"]["share_pct"] == 60.0
    assert flag.evidence["top_bucket"]["count"] == 6
    assert flag.evidence["share_by_hour_pct"]["09"] == 50.0
    assert flag.severity == "medium"  # 60 / 40 = 1.5


def test_time_of_day_flags_losses_concentrated_in_one_bucket():
    # One trade per hour 08..17 (no bucket above 20 %), but 2 of 3 losses opened 15:00–17:00.
    pnl = {8: -10, 15: -10, 16: -10}
    trades = [mk(f"T{h}", at(MON, h), pnl=pnl.get(h, 10)) for h in range(8, 18)]
    flag = check_time_of_day(trades, MON, FRI, TH)
    assert flag.evidence["top_bucket"]["share_pct"] == 20.0
    assert flag.evidence["top_loss_bucket"]["hours"] == "15:00–17:00"
    assert flag.evidence["top_loss_bucket"]["share_pct"] == 66.67
    assert flag.flagged


def test_time_of_day_needs_enough_trades():
    trades = [mk(f"T{i}", at(MON, 9, i)) for i in range(9)]  # 100 % in one bucket, but only 9 trades
    assert not check_time_of_day(trades, MON, FRI, TH).flagged
    assert check_time_of_day(trades, MON, FRI, BehaviourThresholds(time_of_day_min_trades=9)).flagged


# -- streaks ----------------------------------------------------------------------------------------

def test_current_loss_streak_of_four_is_flagged_with_its_trades():
    pnls = [50, -10, -20, -30, -40]
    trades = [mk(f"S{i}", at(MON, 9 + i), pnl=p) for i, p in enumerate(pnls)]
    flag = check_streaks(trades, MON, FRI, TH)
    assert flag.flagged and flag.severity == "low"
    cur = flag.evidence["current_streak"]
    assert (cur["kind"], cur["length"], cur["pnl_usd"]) == ("loss", 4, -100.0)
    assert cur["trade_ids"] == ["S1", "S2", "S3", "S4"]
    assert (flag.evidence["longest_win_streak"], flag.evidence["longest_loss_streak"]) == (1, 4)


def test_three_losses_or_a_final_win_are_not_flagged():
    three = [mk(f"S{i}", at(MON, 9 + i), pnl=p) for i, p in enumerate([5, -1, -1, -1])]
    assert not check_streaks(three, MON, FRI, TH).flagged
    healed = [mk(f"S{i}", at(MON, 9 + i), pnl=p) for i, p in enumerate([-1, -1, -1, -1, 5])]
    flag = check_streaks(healed, MON, FRI, TH)
    assert not flag.flagged and flag.evidence["longest_loss_streak"] == 4
    assert flag.evidence["current_streak"]["kind"] == "win"


def test_streaks_ignore_trades_closed_outside_the_window_and_open_trades():
    before = [mk(f"P{i}", at(date(2026, 11, 13), 9 + i), pnl=-1) for i in range(3)]
    inside = [mk("S1", at(MON, 9), pnl=-1), mk("OPEN", at(MON, 10))]
    flag = check_streaks(before + inside, MON, FRI, TH)
    assert flag.evidence["closed_trades"] == 1
    assert flag.evidence["current_streak"]["length"] == 1


# -- report and severity ----------------------------------------------------------------------------

def test_report_runs_the_requested_checks_in_catalogue_order():
    flags = behaviour_report([], MON, FRI, TH, checks=["streaks", "overtrading"])
    assert [f.check for f in flags] == ["overtrading", "streaks"]
    assert [f.check for f in behaviour_report([], MON, FRI, TH)] == [
        "overtrading", "revenge_trading", "loss_chasing", "time_of_day", "streaks"]
    assert not any(f.flagged for f in behaviour_report([], MON, FRI, TH))


@pytest.mark.parametrize(("observed", "expected"), [(1.0, "low"), (1.49, "low"), (1.5, "medium"), (2.0, "high")])
def test_severity_grades_observed_against_threshold(observed, expected):
    assert severity(True, observed, 1.0, TH) == expected
    assert severity(False, observed, 1.0, TH) == "none"
