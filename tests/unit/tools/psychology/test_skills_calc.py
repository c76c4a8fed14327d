"""Tilt, discipline and feelings maths over hand-made trades, each figure worked by hand (issue 17)."""

from datetime import date, datetime, timedelta

import pytest

from tools.psychology import discipline, feelings, tilt
from tools.psychology.thresholds import BehaviourThresholds
from tools.trade_journal.calc import Trade

MON, FRI = date(2026, 11, 16), date(2026, 11, 20)


def mk(tid, opened, *, pnl=None, hold_min=30, notional=1_000_000):
    """A BUY of EURUSD at 1.0 (1 unit = 1 USD); with ``pnl`` it closes ``hold_min`` later at that USD P&L."""
    return Trade(trade_id=tid, book="FX-G10", customer="Cust201", pair="EURUSD", side="BUY", notional=notional,
                 rate=1.0, trade_time=opened, exit_rate=None if pnl is None else 1.0 + pnl / notional,
                 exit_time=None if pnl is None else opened + timedelta(minutes=hold_min), quote_usd=1.0, base_usd=1.0)


def at(hour, minute=0, day=MON):
    return datetime(day.year, day.month, day.day, hour, minute)


# -- tilt -------------------------------------------------------------------------------------------

def _tilt_case():
    """Eight trades on Monday, one an hour from 08:00, each held 30 minutes unless open.

    A 08:00 +1,000   B 09:00 +5,000 (big: the median of the wins 1,000, 5,000, 1,000 is 1,000; 2× = 2,000)
    C 10:00 −1,000 3m   D 11:00 −1,000 3m   E 12:00 +1,000   F 13:00 −500   G 14:00 −500   H 15:00 open 2m
    Losing streak of 2 (threshold 2): C, D → trigger D (closes 11:30); F, G → trigger G (closes 14:30).
    """
    return [mk("A", at(8), pnl=1000), mk("B", at(9), pnl=5000), mk("C", at(10), pnl=-1000, notional=3e6),
            mk("D", at(11), pnl=-1000, notional=3e6), mk("E", at(12), pnl=1000, hold_min=90),
            mk("F", at(13), pnl=-500), mk("G", at(14), pnl=-500), mk("H", at(15), notional=2e6)]


TILT_TH = BehaviourThresholds(tilt_loss_streak=2, tilt_min_trades=2)


def test_tilt_baseline_is_every_window_trade():
    base, big, _ = tilt.tilt_conditions(_tilt_case(), TILT_TH, next_n=2)
    # sizes 1,1,3,3,1,1,1,2 m → mean 13/8 = 1.625m; 7 closed, 3 wins = 42.86 %; holds 30×6 and 90 → median 30.
    assert base.model_dump() == {"trades": 8, "mean_size_usd": 1625000.0, "closed": 7, "wins": 3,
                                 "win_rate_pct": 42.86, "median_hold_minutes": 30.0}
    assert big == pytest.approx(2000.0)


def test_after_a_big_win_the_next_trades_are_compared_with_the_baseline():
    _, _, (after_win, _) = tilt.tilt_conditions(_tilt_case(), TILT_TH, next_n=2)
    # B closes 09:30 → next 2 opened after: C, D (3m each, both lost).
    assert (after_win.triggers, after_win.trigger_trade_ids, after_win.after_trade_ids) == (1, ["B"], ["C", "D"])
    assert after_win.after.mean_size_usd == 3_000_000 and after_win.after.win_rate_pct == 0.0
    assert after_win.size_ratio == 1.85  # 3 / 1.625 = 1.846
    assert after_win.win_rate_change_pct_points == -42.86
    assert after_win.hold_ratio == 1.0
    assert after_win.flagged and len(after_win.reasons) == 2


def test_after_a_losing_streak_trades_are_pooled_once():
    _, _, (_, after_streak) = tilt.tilt_conditions(_tilt_case(), TILT_TH, next_n=2)
    # D closes 11:30 → E, F; G closes 14:30 → H (only one left). Pool E, F, H: sizes 1, 1, 2 → 1.333m;
    # closed E (win), F (loss) → 50 %; holds 90, 30 → median 60.
    assert after_streak.trigger_trade_ids == ["D", "G"] and after_streak.after_trade_ids == ["E", "F", "H"]
    fig = after_streak.after
    assert (fig.trades, fig.mean_size_usd, fig.closed, fig.wins, fig.win_rate_pct, fig.median_hold_minutes) == (
        3, 1333333.33, 2, 1, 50.0, 60.0)
    assert after_streak.size_ratio == 0.82 and after_streak.win_rate_change_pct_points == 7.14
    assert after_streak.hold_ratio == 2.0
    assert not after_streak.flagged and after_streak.reasons == []


def test_tilt_needs_enough_trades_after_the_triggers():
    th = TILT_TH.model_copy(update={"tilt_min_trades": 3})
    _, _, (after_win, _) = tilt.tilt_conditions(_tilt_case(), th, next_n=2)
    assert not after_win.flagged  # only 2 trades after the big win


def test_no_wins_means_no_big_win_threshold():
    _, big, (after_win, _) = tilt.tilt_conditions([mk("L", at(9), pnl=-1)], TILT_TH, next_n=2)
    assert big is None and after_win.triggers == 0 and after_win.after.trades == 0


# -- discipline -------------------------------------------------------------------------------------

def test_trades_opened_after_the_daily_loss_limit_was_hit():
    # Monday closes: A −3,000 (09:30), B +1,000 (10:30), C −3,000 (11:30) → running −3,000, −2,000, −5,000:
    # a 5,000 limit is hit at 11:30. D (12:00) and E (13:00) were opened after; F was opened at 11:00, before.
    trades = [mk("A", at(9), pnl=-3000), mk("B", at(10), pnl=1000), mk("C", at(11), pnl=-3000),
              mk("F", at(11, 15)), mk("D", at(12)), mk("E", at(13), pnl=-100)]
    found = discipline.loss_limit_finding(trades, MON, FRI, 5000)
    assert found.flagged and (found.days_hit, found.trades_after_limit) == (1, 2)
    (day,) = found.days
    assert (day.day, day.limit_hit_at, day.realised_at_hit_usd) == (MON, at(11, 30), -5000.0)
    assert day.day_realised_usd == -5100.0 and day.trade_ids == ["D", "E"] and day.books == ["FX-G10"]
    assert not discipline.loss_limit_finding(trades, MON, FRI, 5100.01).flagged


def test_size_beyond_the_usual_against_the_baseline_share():
    # Baseline sizes 1,1,1,1,4 m → median 1m; oversize ≥ 2.5m; baseline share 1 of 5 = 20 %.
    before = [mk(f"B{i}", at(9, i, date(2026, 11, 9)), notional=n) for i, n in enumerate([1e6, 1e6, 1e6, 1e6, 4e6])]
    window = [mk("W1", at(9), notional=3e6), mk("W2", at(10), notional=5e6), mk("W3", at(11))]
    found = discipline.oversize_finding(window, before, BehaviourThresholds())
    # Window: 2 of 3 = 66.67 % → 66.67 / 20 = 3.33× ≥ 1.5×.
    assert (found.median_size_usd, found.oversize_from_usd) == (1_000_000, 2_500_000)
    assert found.observed.model_dump() == {"count": 2, "of": 3, "pct": 66.67}
    assert found.baseline.model_dump() == {"count": 1, "of": 5, "pct": 20.0}
    assert found.times_baseline == 3.33 and found.flagged
    assert [t["trade_id"] for t in found.trades] == ["W2", "W1"] and found.trades[0]["times_median"] == 5.0


def test_oversize_as_often_as_usual_is_not_flagged():
    before = [mk(f"B{i}", at(9, i, date(2026, 11, 9)), notional=n) for i, n in enumerate([1e6, 1e6, 3e6, 1e6])]
    window = [mk("W1", at(9), notional=3e6), mk("W2", at(10)), mk("W3", at(11)), mk("W4", at(12))]
    found = discipline.oversize_finding(window, before, BehaviourThresholds())
    assert found.observed.pct == found.baseline.pct == 25.0 and found.times_baseline == 1.0 and not found.flagged


# -- feelings ---------------------------------------------------------------------------------------

def test_feeling_words_are_normalised_to_the_journals_emotions():
    assert [feelings.normalise_feeling(w) for w in ("Nervous ", "anxiety", "MAD", "calm", "zen")] == [
        "anxious", "anxious", "angry", "calm", "zen"]


def test_results_on_feeling_days_against_other_days():
    tue, wed = date(2026, 11, 17), date(2026, 11, 18)
    trades = [mk("A", at(9), pnl=100), mk("B", at(10), pnl=-300),  # Mon: 2 closed, 1 win, −200
              mk("C", at(9, day=tue), pnl=500),                     # Tue: 1 closed, 1 win, +500
              mk("D", at(9, day=wed), pnl=-50), mk("E", at(10, day=wed))]  # Wed: 1 closed, 0 wins, −50; E open
    results = feelings.day_results(trades, MON, FRI)
    assert {d: (c, w, round(p, 6)) for d, (c, w, p) in results.items()} == {
        MON: (2, 1, -200.0), tue: (1, 1, 500.0), wed: (1, 0, -50.0)}
    anxious = feelings.group_days([MON, wed, FRI], results)  # Fri: journaled, no trades closed
    assert anxious.model_dump() == {"days": 3, "trading_days": 2, "closed": 3, "wins": 1, "win_rate_pct": 33.33,
                                    "pnl_usd": -250.0, "avg_pnl_per_trading_day_usd": -125.0}
    other = feelings.group_days([tue], results)
    assert (other.win_rate_pct, other.avg_pnl_per_trading_day_usd) == (100.0, 500.0)
