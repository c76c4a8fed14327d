"""Behaviour checks over hand-made trade lists: each flag against the trader's own baseline (issue 13)."""

from datetime import date, datetime, timedelta

import pytest

from tools.psychology.baseline import compare_rates, two_proportion_z
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
    th = BehaviourThresholds(overtrading_baseline_days=5, overtrading_ratio=2.0)
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
    assert flag.evidence["baseline"]["median_trades_per_day"] == 2
    assert flag.evidence["baseline"]["busiest_day_trades"] == 3
    assert flag.evidence["observed"] == {"busiest_day_trades": 4, "times_baseline": 2.0, "days_traded": 2}
    assert flag.evidence["threshold_trades_per_day"] == 4
    assert flag.evidence["flagged_days"] == [{"day": "2026-11-16", "trades": 4, "times_baseline": 2.0}]
    assert flag.evidence["daily_counts"] == {"2026-11-16": 4, "2026-11-17": 3}
    assert flag.severity == "low"  # (4 / 2) / 2.0 = 1.0


def test_overtrading_counts_quiet_baseline_days_as_zero_and_uses_the_floor():
    th = BehaviourThresholds(overtrading_baseline_days=5, overtrading_ratio=2.0)
    # Only one baseline day traded → median of (0, 0, 0, 0, 3) = 0 → floor 1 → threshold 2.
    trades = [mk(f"B{i}", at(date(2026, 11, 13), 9, i)) for i in range(3)]
    trades += [mk("W1", at(MON, 9))]
    assert not check_overtrading(trades, MON, FRI, th).flagged
    trades += [mk("W2", at(MON, 11))]
    flag = check_overtrading(trades, MON, FRI, th)
    assert flag.flagged and flag.evidence["baseline"]["median_trades_per_day"] == 0
    assert flag.evidence["baseline"]["used"] == 1


def test_overtrading_ratio_comes_from_the_thresholds():
    th = BehaviourThresholds(overtrading_baseline_days=5, overtrading_ratio=5.0)
    trades = [mk(f"B{d}", at(d, 9)) for d in baseline_days(MON, 5)]  # baseline 1
    trades += [mk(f"W{i}", at(MON, 10, i)) for i in range(4)]
    assert not check_overtrading(trades, MON, FRI, th).flagged
    assert check_overtrading(trades, MON, FRI, th.model_copy(update={"overtrading_ratio": 4.0})).flagged


# -- revenge trading --------------------------------------------------------------------------------

def _revenge_case():
    """Two losses, three trades soon after them (two outsized), five other trades (one outsized).

    Sizes (m): L1 1, L2 1, P1 3, P2 1, P3 4, O1..O4 1, O5 3 → median of ten sizes = 1m; outsized ≥ 2m.
    L1 closes 09:30 (−5,000), L2 closes 12:00 (−1,000). P1 09:40 (10 min after L1), P2 09:50,
    P3 12:20 (20 min after L2) are post-loss: 2 of 3 outsized = 66.67 %. The other window trades are
    L1 (09:00), L2 (11:00), O1..O5: 1 of 7 outsized = 14.29 %. 66.67 / 14.29 = 4.67× ≥ 2×.
    """
    l1 = mk("L1", at(MON, 9), pnl=-5_000, hold_min=30)
    l2 = mk("L2", at(MON, 11), pnl=-1_000, hold_min=60)
    post = [mk("P1", at(MON, 9, 40), notional=3e6), mk("P2", at(MON, 9, 50)), mk("P3", at(MON, 12, 20), notional=4e6)]
    other = [mk(f"O{i}", at(MON, 14, i)) for i in range(1, 5)] + [mk("O5", at(MON, 15), notional=3e6)]
    return [l1, l2, *post, *other]


def test_revenge_compares_outsized_trades_after_losses_with_the_traders_other_trades():
    flag = check_revenge_trading(_revenge_case(), MON, FRI, TH)
    assert flag.flagged
    ev = flag.evidence
    assert ev["observed"] == {"count": 2, "of": 3, "pct": 66.67}
    assert ev["baseline"] == {"count": 1, "of": 7, "pct": 14.29}
    assert ev["excess_pct_points"] == 52.38
    assert ev["times_baseline"] == 4.67  # 66.67 / 14.29
    assert ev["median_size_usd"] == 1_000_000 and ev["outsized_from_usd"] == 2_000_000
    assert [(e["loss_trade_id"], e["trade_id"], e["minutes_after_loss"], e["times_median_size"])
            for e in ev["episodes"]] == [("L1", "P1", 10.0, 3.0), ("L2", "P3", 20.0, 4.0)]
    assert ev["episodes"][0]["loss_usd"] == -5000.0 and ev["episodes"][0]["book"] == "FX-G10"
    assert flag.severity == "high"  # 4.67 / 2 ≥ 2


def test_revenge_is_not_flagged_when_the_trader_sizes_up_as_often_anyway():
    # Same case, but three more outsized "other" trades: baseline 4 of 10 = 40 %; 66.67 / 40 = 1.67× < 2×.
    trades = _revenge_case() + [mk(f"B{i}", at(MON, 16, i), notional=3e6) for i in range(3)]
    flag = check_revenge_trading(trades, MON, FRI, TH)
    assert flag.evidence["baseline"] == {"count": 4, "of": 10, "pct": 40.0}
    assert flag.evidence["times_baseline"] == 1.67
    assert not flag.flagged and flag.severity == "none"


def test_revenge_needs_the_minimum_number_of_episodes():
    # Only P1 is outsized after a loss: 1 episode < 2, though 1 of 3 vs 1 of 7 is 2.33×.
    trades = [t if t.trade_id != "P3" else mk("P3", at(MON, 12, 20)) for t in _revenge_case()]
    flag = check_revenge_trading(trades, MON, FRI, TH)
    assert flag.evidence["observed"]["count"] == 1 and flag.evidence["times_baseline"] == 2.33
    assert not flag.flagged
    assert check_revenge_trading(trades, MON, FRI, BehaviourThresholds(revenge_min_episodes=1)).flagged


def test_large_trade_after_a_winning_close_is_not_revenge():
    win = mk("W1", at(MON, 9, 30), pnl=5_000)
    big = mk("R1", at(MON, 10, 5), notional=5_000_000)
    flag = check_revenge_trading([win, big, mk("A", at(MON, 8)), mk("B", at(MON, 8, 1))], MON, FRI, TH)
    assert not flag.flagged and flag.severity == "none"
    assert flag.evidence["observed"] == {"count": 0, "of": 0, "pct": None}


def test_revenge_sizes_compare_in_usd_across_pairs():
    # 1m AUDUSD at 0.65 is 650k USD, not 1m: after a loss it is small next to 1m EURUSD trades at 1.10.
    loss = mk("L1", at(MON, 9, 30), pnl=-1_000, base_usd=1.10)
    aud = mk("R1", at(MON, 10, 5), notional=1_000_000, pair="AUDUSD", base_usd=0.65)
    fill = [mk(f"A{i}", at(MON, 8, i), base_usd=1.10) for i in range(3)]
    flag = check_revenge_trading([loss, aud, *fill], MON, FRI, BehaviourThresholds(revenge_min_episodes=1))
    assert flag.evidence["observed"] == {"count": 0, "of": 1, "pct": 0.0} and not flag.flagged


def test_revenge_window_comes_from_the_thresholds():
    th = BehaviourThresholds(revenge_min_episodes=1)
    loss = mk("L1", at(MON, 9, 30), pnl=-5_000)
    late = mk("R2", at(MON, 10, 45), notional=3_000_000)
    fill = [mk(f"A{i}", at(MON, 8, i)) for i in range(3)]
    assert not check_revenge_trading([loss, late, *fill], MON, FRI, th).flagged
    assert check_revenge_trading([loss, late, *fill], MON, FRI, th.model_copy(update={"revenge_minutes": 60})).flagged


# -- loss chasing -----------------------------------------------------------------------------------

def _chase(prefix, pair, sizes, pnls, start_hour=9):
    """A run of trades in one pair, an hour apart, each closing 30 minutes after it opened."""
    return [mk(f"{prefix}{i}", at(MON, start_hour + i), pnl=pnl, notional=size, pair=pair)
            for i, (size, pnl) in enumerate(zip(sizes, pnls, strict=True))]


def _chase_case():
    """EURUSD: four losses each followed by a larger trade (4 of 4 = 100 %).

    GBPUSD: four wins, one followed by a larger trade (1 of 4 = 25 %); the last of each run is not followed.
    Excess 75 points; pooled p = 5/8, z = 0.75 / √(0.625 × 0.375 × (1/4 + 1/4)) = 0.75 / 0.3423 = 2.19.
    """
    eur = _chase("E", "EURUSD", [1e6, 2e6, 3e6, 4e6, 5e6], [-1, -2, -3, -4, 9])
    gbp = _chase("G", "GBPUSD", [4e6, 3e6, 2e6, 5e6, 1e6], [1, 2, 3, 4, 5])
    return eur + gbp


def test_loss_chasing_compares_sizing_up_after_losses_with_sizing_up_after_wins():
    flag = check_loss_chasing(_chase_case(), MON, FRI, TH)
    ev = flag.evidence
    assert ev["observed"] == {"count": 4, "of": 4, "pct": 100.0}
    assert ev["baseline"] == {"count": 1, "of": 4, "pct": 25.0}
    assert ev["excess_pct_points"] == 75.0 and ev["z"] == 2.19
    assert [(e["loss_trade_id"], e["next_trade_id"]) for e in ev["episodes"]] == [
        ("E0", "E1"), ("E1", "E2"), ("E2", "E3"), ("E3", "E4")]
    assert ev["episodes"][0]["size_increase_pct"] == 100.0 and ev["episodes"][0]["loss_usd"] == -1.0
    assert flag.flagged and flag.severity == "low"  # 2.19 / 2.0 < 1.5


def test_sizing_up_as_often_after_wins_is_not_loss_chasing():
    # After wins the next trade is larger 4 of 4 times too: excess 0 points, z 0.
    eur = _chase("E", "EURUSD", [1e6, 2e6, 3e6, 4e6, 5e6], [-1, -2, -3, -4, 9])
    gbp = _chase("G", "GBPUSD", [1e6, 2e6, 3e6, 4e6, 5e6], [1, 2, 3, 4, 5])
    flag = check_loss_chasing(eur + gbp, MON, FRI, TH)
    assert flag.evidence["count"] == 4 and flag.evidence["excess_pct_points"] == 0.0
    assert flag.evidence["z"] == 0.0 and not flag.flagged


def test_loss_chasing_thresholds_drive_the_flag():
    case = _chase_case()
    assert not check_loss_chasing(case, MON, FRI, BehaviourThresholds(chase_min_z=2.5)).flagged
    assert not check_loss_chasing(case, MON, FRI, BehaviourThresholds(chase_count=5)).flagged
    assert not check_loss_chasing(case, MON, FRI, BehaviourThresholds(chase_excess_pct=80)).flagged


def test_z_statistic_matches_the_hand_calculation():
    assert round(two_proportion_z(4, 4, 1, 4), 4) == 2.1909
    assert two_proportion_z(0, 0, 1, 4) == 0.0 and two_proportion_z(2, 2, 3, 3) == 0.0
    assert compare_rates(1, 3, 0, 0)["excess_pct_points"] is None


# -- time of day ------------------------------------------------------------------------------------

def _hours_case():
    """20 closed trades: 15:00–17:00 loses 9 of 10; the other hours (09:00–13:00) lose 1 of 10.

    Best bucket 15:00–17:00: 90 % vs 10 % = +80 points; pooled p = 10/20 = 0.5,
    z = 0.8 / √(0.25 × (1/10 + 1/10)) = 0.8 / 0.2236 = 3.58.
    """
    late = [mk(f"L{i}", at(MON, 15 + i % 2, i), pnl=-10 if i < 9 else 10) for i in range(10)]
    day = [mk(f"D{i}", at(MON, 9 + i % 4, i), pnl=-10 if i == 0 else 10) for i in range(10)]
    return late + day


def test_time_of_day_flags_a_bucket_losing_far_more_often_than_the_traders_other_hours():
    flag = check_time_of_day(_hours_case(), MON, FRI, TH)
    ev = flag.evidence
    assert ev["worst_bucket"]["hours"] == "15:00–17:00"
    assert ev["observed"] == {"count": 9, "of": 10, "pct": 90.0}
    assert ev["baseline"] == {"count": 1, "of": 10, "pct": 10.0}
    assert ev["excess_pct_points"] == 80.0 and ev["z"] == 3.58
    assert ev["overall_loss_rate_pct"] == 50.0 and ev["closed"] == 20
    assert sorted(ev["worst_bucket"]["trade_ids"]) == [f"L{i}" for i in range(9)]
    assert flag.flagged and flag.severity == "low"  # 3.58 / 3 < 1.5


def test_busy_hours_alone_are_not_a_time_of_day_flag():
    # Every trade in one bucket, half of them losing: nothing outside it to compare with.
    trades = [mk(f"T{i}", at(MON, 9, i), pnl=-1 if i % 2 else 1) for i in range(20)]
    flag = check_time_of_day(trades, MON, FRI, TH)
    assert flag.evidence["baseline"]["of"] == 0 and not flag.flagged


def test_time_of_day_needs_enough_closed_trades_in_the_bucket_and_a_large_z():
    assert not check_time_of_day(_hours_case(), MON, FRI, BehaviourThresholds(time_of_day_min_trades=11)).flagged
    assert not check_time_of_day(_hours_case(), MON, FRI, BehaviourThresholds(time_of_day_min_z=3.6)).flagged
    open_only = [mk(f"T{i}", at(MON, 9, i)) for i in range(30)]
    flag = check_time_of_day(open_only, MON, FRI, TH)
    assert flag.evidence["worst_bucket"] is None and not flag.flagged


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
    assert flag.evidence["baseline"]["longest_loss_streak"] == 0


def test_a_loss_streak_no_longer_than_usual_for_the_trader_is_not_flagged():
    # Five losses in a row in the baseline period (Nov 9-13): the current four are not unusual for her.
    before = [mk(f"P{i}", at(date(2026, 11, 10), 9 + i), pnl=-1) for i in range(5)]
    now = [mk(f"S{i}", at(MON, 9 + i), pnl=p) for i, p in enumerate([50, -10, -20, -30, -40])]
    flag = check_streaks(before + now, MON, FRI, TH)
    assert flag.evidence["baseline"]["longest_loss_streak"] == 5 and flag.evidence["alert_at_losses"] == 5
    assert flag.evidence["observed"]["current_loss_streak"] == 4
    assert not flag.flagged
    now.append(mk("S5", at(MON, 15), pnl=-1))
    assert check_streaks(before + now, MON, FRI, TH).flagged  # five in a row: as long as her worst


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


def test_every_flag_shows_observed_against_baseline():
    for flag in behaviour_report(_hours_case() + _chase_case(), MON, FRI, TH):
        assert {"observed", "baseline"} <= set(flag.evidence), flag.check


@pytest.mark.parametrize(("observed", "expected"), [(1.0, "low"), (1.49, "low"), (1.5, "medium"), (2.0, "high")])
def test_severity_grades_observed_against_threshold(observed, expected):
    assert severity(True, observed, 1.0, TH) == expected
    assert severity(False, observed, 1.0, TH) == "none"
