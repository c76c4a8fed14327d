"""Credit measures of the domain core, worked by hand (issue 13)."""

from datetime import date, datetime

import pytest

from domain.credit import addon_fraction, counts_for_credit, pre_settlement_usd, settlement_usd
from domain.market import Market
from domain.trade import Trade

D = date(2026, 11, 20)
MARKET = Market({D: {"EURUSD": 1.09, "USDMXN": 17.10}}, {D: {"EURUSD": [(30, 0.002), (182, 0.012)]}})


def trade(side, pair, notional, rate, value_date, product="SPOT", exit_time=None):
    return Trade("T", "B", pair, side, notional, rate, datetime(2026, 11, 19, 10), customer="C",
                 exit_rate=rate if exit_time else None, exit_time=exit_time, product=product, value_date=value_date)


def test_addon_takes_the_first_bucket_covering_the_residual_days():
    assert [addon_fraction(d) for d in (2, 30, 31, 91, 92, 182, 365, 366, 5000)] == [
        0.01, 0.01, 0.02, 0.02, 0.03, 0.03, 0.05, 0.075, 0.075]
    assert addon_fraction(10, [(5, 0.1), (20, 0.2)]) == 0.2 and addon_fraction(99, [(5, 0.1), (20, 0.2)]) == 0.2


def test_spot_buy_pse_is_positive_mtm_plus_one_percent_and_settlement_is_the_quote_paid():
    t = trade("BUY", "EURUSD", 2e6, 1.0850, date(2026, 11, 24))
    mtm, addon = pre_settlement_usd(t, MARKET, D)
    assert (mtm, addon) == pytest.approx((10_000.0, 21_800.0))        # 2m x 0.005; 1 % x 2m x 1.09
    assert settlement_usd(t, MARKET, D) == pytest.approx(2_170_000)     # the book pays 2m x 1.085 USD


def test_a_losing_trade_has_no_replacement_cost_only_its_addon():
    t = trade("BUY", "USDMXN", 3e6, 17.50, date(2026, 11, 24))         # MTM -1.2m MXN: negative
    assert pre_settlement_usd(t, MARKET, D) == pytest.approx((0.0, 30_000.0))
    sell = trade("SELL", "USDMXN", 3e6, 17.50, date(2026, 11, 24))
    assert settlement_usd(sell, MARKET, D) == pytest.approx(3e6)        # the book pays 3m USD


def test_a_three_month_forward_is_marked_on_the_curve_with_a_two_percent_addon():
    t = trade("BUY", "EURUSD", 1e6, 1.0900, date(2027, 2, 19), product="FORWARD")   # 91 days
    points = 0.002 + 0.010 * 61 / 152                                           # 0.00601316
    df = 1 / (1 + 0.045 * 91 / 360)
    mtm, addon = pre_settlement_usd(t, MARKET, D)
    assert mtm == pytest.approx(1e6 * df * points)                               # 5,945.54
    assert addon == pytest.approx(0.02 * 1e6 * 1.09)


def test_settled_or_exited_trades_carry_no_credit():
    assert counts_for_credit(trade("BUY", "EURUSD", 1e6, 1.09, date(2026, 11, 24)), D)
    assert not counts_for_credit(trade("BUY", "EURUSD", 1e6, 1.09, D), D)
    assert not counts_for_credit(trade("BUY", "EURUSD", 1e6, 1.09, date(2026, 11, 24),
                                       exit_time=datetime(2026, 11, 20, 12)), D)
