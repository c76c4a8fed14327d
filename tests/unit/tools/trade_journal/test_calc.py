"""Trade-journal maths against hand calculations: realised P&L, statistics, streaks, grouping, labels."""

from datetime import datetime, timedelta

import pytest

from tools.trade_journal.calc import (
    Trade,
    group_stats,
    normalise_labels,
    realised_pnl_usd,
    streaks,
    tag_keys,
    trade_stats,
)

T0 = datetime(2026, 11, 2, 9, 0)


def closed(tid, pnl_quote, *, minutes=0, pair="EURUSD", book="FX-G10", quote_usd=1.0):
    """A closed BUY of 1,000,000 at 1.0 whose exit rate makes ``pnl_quote`` in the quote currency."""
    return Trade(trade_id=tid, book=book, customer="Cust201", pair=pair, side="BUY", notional=1_000_000,
                 rate=1.0, trade_time=T0 + timedelta(minutes=minutes),
                 exit_rate=1.0 + pnl_quote / 1_000_000, exit_time=T0 + timedelta(minutes=minutes + 30),
                 quote_usd=quote_usd)


def test_long_eurusd_pnl_is_notional_times_rate_move_in_usd():
    t = Trade("T1", "FX-G10", "Cust201", "EURUSD", "BUY", 1_000_000, 1.0800, T0, 1.0850, T0, quote_usd=1.0)
    assert realised_pnl_usd(t) == pytest.approx(5_000.0)  # 1m × 0.0050


def test_short_pnl_has_the_opposite_sign():
    t = Trade("T1", "FX-G10", "Cust201", "EURUSD", "SELL", 1_000_000, 1.0800, T0, 1.0850, T0, quote_usd=1.0)
    assert realised_pnl_usd(t) == pytest.approx(-5_000.0)


def test_usdjpy_pnl_is_converted_from_yen_at_the_exit_day_rate():
    # Long 2m USDJPY at 150.00 out at 151.50: +3,000,000 JPY; USDJPY closes 150 on exit day → 20,000 USD.
    t = Trade("T1", "FX-G10", "Cust201", "USDJPY", "BUY", 2_000_000, 150.00, T0, 151.50, T0, quote_usd=1 / 150)
    assert realised_pnl_usd(t) == pytest.approx(20_000.0)


def test_eurgbp_pnl_is_converted_from_sterling():
    # Short 1m EURGBP at 0.8500 out at 0.8400: +10,000 GBP; GBPUSD 1.25 → 12,500 USD.
    t = Trade("T1", "FX-G10", "Cust201", "EURGBP", "SELL", 1_000_000, 0.8500, T0, 0.8400, T0, quote_usd=1.25)
    assert realised_pnl_usd(t) == pytest.approx(12_500.0)


def test_open_trade_has_no_pnl_and_is_not_counted():
    open_trade = Trade("T9", "FX-G10", "Cust201", "EURUSD", "BUY", 1_000_000, 1.08, T0)
    assert realised_pnl_usd(open_trade) is None
    stats = trade_stats([open_trade, closed("T1", 100)])
    assert stats.trades == 1 and stats.total_pnl_usd == 100.0


def test_closed_trade_without_conversion_rate_is_an_error_not_a_guess():
    t = Trade("T1", "FX-G10", "Cust201", "USDJPY", "BUY", 1, 150.0, T0, 151.0, T0)
    with pytest.raises(ValueError, match="T1"):
        realised_pnl_usd(t)


def test_four_trade_statistics_match_hand_calculation():
    # P&L +100, −50, +200, −25 (USD).
    # win rate 2/4 = 50 %; avg win (100+200)/2 = 150; avg loss (−50−25)/2 = −37.5
    # expectancy = 0.5×150 − 0.5×37.5 = 56.25; profit factor 300/75 = 4; total 225.
    trades = [closed("T1", 100, minutes=0), closed("T2", -50, minutes=60), closed("T3", 200, minutes=120),
              closed("T4", -25, minutes=180)]
    s = trade_stats(trades)
    assert (s.trades, s.wins, s.losses, s.breakeven) == (4, 2, 2, 0)
    assert s.win_rate_pct == 50.0
    assert s.avg_win_usd == 150.0
    assert s.avg_loss_usd == -37.5
    assert s.expectancy_usd == 56.25
    assert s.profit_factor == 4.0
    assert s.total_pnl_usd == 225.0
    assert (s.gross_win_usd, s.gross_loss_usd) == (300.0, -75.0)
    assert (s.longest_win_streak, s.longest_loss_streak) == (1, 1)
    assert s.books == ["FX-G10"]


def test_three_trade_win_rate_is_a_rounded_percentage():
    # 2 wins of 3: 66.666… % → 66.67; expectancy (2/3)×30 − (1/3)×10 = 16.666… → 16.67.
    s = trade_stats([closed("T1", 20), closed("T2", 40, minutes=60), closed("T3", -10, minutes=120)])
    assert s.win_rate_pct == 66.67
    assert s.expectancy_usd == 16.67
    assert s.profit_factor == 6.0


def test_profit_factor_is_none_without_losses():
    s = trade_stats([closed("T1", 20), closed("T2", 40, minutes=60)])
    assert s.profit_factor is None
    assert s.avg_loss_usd is None
    assert s.expectancy_usd == 30.0


def test_no_closed_trades_gives_empty_statistics():
    s = trade_stats([])
    assert s.trades == 0 and s.win_rate_pct is None and s.expectancy_usd is None and s.total_pnl_usd == 0


def test_breakeven_counts_as_a_trade_but_neither_win_nor_loss_and_breaks_a_streak():
    # +10, 0, +10 → 3 trades, 2 wins, win rate 66.67 %, longest win streak 1 (the zero breaks it).
    s = trade_stats([closed("T1", 10), closed("T2", 0, minutes=60), closed("T3", 10, minutes=120)])
    assert (s.trades, s.wins, s.losses, s.breakeven) == (3, 2, 0, 1)
    assert s.longest_win_streak == 1


def test_streaks_follow_exit_time_not_list_order():
    # Exit order: T3(−) T1(−) T2(−) T4(+) → longest loss streak 3, even though the list is shuffled.
    trades = [closed("T1", -1, minutes=60), closed("T4", 5, minutes=180), closed("T3", -1, minutes=0),
              closed("T2", -1, minutes=120)]
    s = trade_stats(trades)
    assert (s.longest_win_streak, s.longest_loss_streak) == (1, 3)


def test_streaks_returns_longest_and_signed_current_run():
    assert streaks([1, 1, -1, 1, 1, 1, -1, -1]) == (3, 2, -2)
    assert streaks([-1, -1, -1, 1]) == (1, 3, 1)
    assert streaks([1, 0]) == (1, 0, 0)
    assert streaks([]) == (0, 0, 0)


def test_group_by_tag_counts_a_trade_in_each_of_its_tags_and_untagged_trades_apart():
    trades = [closed("T1", 100), closed("T2", -50, minutes=60), closed("T3", 30, minutes=120)]
    groups = group_stats(trades, tag_keys({"T1": ["breakout", "news"], "T2": ["breakout"]}))
    assert list(groups) == ["breakout", "news", "untagged"]
    assert groups["breakout"].trades == 2 and groups["breakout"].total_pnl_usd == 50.0
    assert groups["news"].trades == 1 and groups["news"].win_rate_pct == 100.0
    assert groups["untagged"].trades == 1 and groups["untagged"].total_pnl_usd == 30.0


def test_group_by_pair_splits_statistics():
    trades = [closed("T1", 100), closed("T2", -40, minutes=60, pair="USDJPY", quote_usd=0.5)]
    groups = group_stats(trades, lambda t: [t.pair])
    assert groups["EURUSD"].total_pnl_usd == 100.0
    assert groups["USDJPY"].total_pnl_usd == -20.0  # −40 JPY × 0.5 USD/JPY


def test_labels_are_lower_cased_trimmed_and_deduplicated_in_order():
    assert normalise_labels(["Breakout", " news ", "breakout", "", "FOMO,  Late Entry"]) == [
        "breakout", "news", "fomo", "late entry"]
    assert normalise_labels(None) == []
