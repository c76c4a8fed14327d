"""Position maths against hand calculations on tiny trade sets (P&L as change in USD value: issue 13)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from domain.errors import DomainError
from domain.market import Market
from domain.trade import Trade
from tools.errors import ToolInputError
from tools.position_risk import calc
from tools.position_risk import limits as lim

D1, D2, D3 = date(2026, 11, 18), date(2026, 11, 19), date(2026, 11, 20)


def trade(tid, pair, side, notional, rate, when, book="B", exit_rate=None, exit_time=None):
    return Trade(trade_id=tid, book=book, pair=pair, side=side, notional=notional, rate=rate, trade_time=when,
                 exit_rate=exit_rate, exit_time=exit_time)


def at(day, hour=10, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute)


MARKET = Market({
    D1: {"EURUSD": 1.0700, "GBPUSD": 1.2400, "USDJPY": 150.00, "EURGBP": 0.8600},
    D2: {"EURUSD": 1.0850, "GBPUSD": 1.2500, "USDJPY": 151.00, "EURGBP": 0.8500},
    D3: {"EURUSD": 1.0900, "GBPUSD": 1.2500, "USDJPY": 152.00, "EURGBP": 0.8600},
})


def test_two_offsetting_trades_leave_only_the_rate_difference_in_the_quote_currency():
    trades = [trade("A", "EURUSD", "BUY", 1_000_000, 1.08, at(D3)),
              trade("B", "EURUSD", "SELL", 1_000_000, 1.10, at(D3))]
    units = calc.currency_positions(calc.lots_of(trades, D3), MARKET, D3)
    # +1m EUR -1.08m USD, then -1m EUR +1.10m USD
    assert units[("B", "EUR")] == pytest.approx(0.0)
    assert units[("B", "USD")] == pytest.approx(20_000.0)


def test_cross_legs_convert_to_usd_through_each_currency_usd_pair():
    trades = [trade("A", "EURGBP", "BUY", 1_000_000, 0.85, at(D3))]
    usd = calc.usd_exposures(calc.lots_of(trades, D3), MARKET, D3)
    assert usd[("B", "EUR")] == pytest.approx(1_000_000 * 1.09)          # EURUSD close
    assert usd[("B", "GBP")] == pytest.approx(-850_000 * 1.25)           # GBPUSD close
    jpy = calc.usd_exposures(calc.lots_of([trade("C", "USDJPY", "SELL", 2_000_000, 150.0, at(D3))], D3), MARKET, D3)
    assert jpy[("B", "JPY")] == pytest.approx(300_000_000 / 152.0)       # 1 / USDJPY close


def test_closed_and_future_trades_are_not_in_the_position():
    trades = [
        trade("A", "EURUSD", "BUY", 1_000_000, 1.08, at(D1), exit_rate=1.09, exit_time=at(D2)),
        trade("B", "EURUSD", "BUY", 3_000_000, 1.08, at(D3)),
    ]
    assert calc.currency_positions(calc.lots_of(trades, D2), MARKET, D2) == {}
    assert calc.currency_positions(calc.lots_of(trades, D3), MARKET, D3)[("B", "EUR")] == pytest.approx(3_000_000)


def test_nop_report_rows_carry_book_usd_and_average_rate():
    trades = [trade("A", "EURUSD", "BUY", 1_000_000, 1.08, at(D3)),
              trade("B", "EURUSD", "BUY", 1_000_000, 1.09, at(D3))]
    report = calc.nop_report(calc.lots_of(trades, D3), MARKET, D3, {"EURUSD": 5})
    eur = next(r for r in report["currencies"] if r["currency"] == "EUR")
    assert eur == {"book": "B", "currency": "EUR", "position": 2_000_000.0, "usd_rate": 1.09,
                   "usd_equivalent": 2_180_000.0}
    pair = report["pairs"][0]
    assert pair["average_rate"] == 1.085
    assert pair["unrealised_pnl_usd"] == pytest.approx(2_000_000 * 1.09 - 2_170_000)  # 10,000
    assert report["books"] == [{"book": "B", "gross_usd": 2_180_000.0, "net_usd": 2_180_000.0}]


def test_day_pnl_marks_held_positions_from_previous_close_and_new_trades_from_deal_rate():
    trades = [
        trade("held", "EURUSD", "BUY", 1_000_000, 1.0800, at(D1)),                 # 1m x (1.0900 - 1.0850) = 5,000
        trade("new", "EURUSD", "BUY", 2_000_000, 1.0880, at(D3)),                  # 2m x (1.0900 - 1.0880) = 4,000
        trade("closed_today", "EURUSD", "BUY", 1_000_000, 1.0700, at(D1),
              exit_rate=1.0870, exit_time=at(D3, 11)),                             # 1m x (1.0870 - 1.0850) = 2,000
        trade("closed_before", "EURUSD", "SELL", 5_000_000, 1.0700, at(D1),
              exit_rate=1.0600, exit_time=at(D2)),                                 # outside the window: 0
        trade("cross", "EURGBP", "BUY", 1_000_000, 0.8500, at(D3)),                # 10,000 GBP x 1.25 = 12,500
    ]
    report = calc.pnl_report(trades, MARKET, previous_close=D2, end=D3)
    assert report["total_pnl_usd"] == 5_000 + 4_000 + 2_000 + 12_500
    eurusd = next(r for r in report["by_pair"] if r["pair"] == "EURUSD")
    # Realised is the closed trade's whole life: 1m x (1.0870 - 1.0700) = 17,000 USD at the exit close.
    assert eurusd["realised_usd"] == 17_000.0
    assert (eurusd["pnl_usd"], eurusd["price_effect_usd"], eurusd["fx_translation_usd"]) == (11_000.0, 11_000.0, 0.0)
    assert (eurusd["trades"], eurusd["closed_trades"]) == (3, 1)


def test_period_pnl_runs_from_the_close_before_the_window():
    trades = [trade("held", "EURUSD", "BUY", 1_000_000, 1.0800, at(D1)),
              trade("closed_before", "EURUSD", "SELL", 5_000_000, 1.0700, at(D1), exit_rate=1.0600, exit_time=at(D2))]
    # Window D2..D3, previous close D1: held 1m x (1.0900 - 1.0700) = 20,000; the short realised
    # 5m x (1.0700 - 1.0600) = 50,000 minus its value at the D1 close 5m x (1.0700 - 1.0700) = 0.
    report = calc.pnl_report(trades, MARKET, previous_close=D1, end=D3)
    assert report["total_pnl_usd"] == pytest.approx(70_000)
    # No previous close: the whole life of each trade.
    assert calc.pnl_report(trades, MARKET, previous_close=None, end=D3)["total_pnl_usd"] == pytest.approx(
        1_000_000 * (1.09 - 1.08) + 50_000)


def test_pnl_of_a_cross_adds_the_fx_translation_of_the_gbp_value_held():
    """Issue 13: P&L is the change in USD value, so GBP P&L held overnight is revalued into USD."""
    held = [trade("x", "EURGBP", "BUY", 1_000_000, 0.8400, at(D1, 9))]
    market = Market({D1: {"EURGBP": 0.86, "GBPUSD": 1.24}, D2: {"EURGBP": 0.85, "GBPUSD": 1.25}})
    report = calc.pnl_report(held, market, previous_close=D1, end=D2)
    # V(D1) = 20,000 GBP x 1.24 = 24,800; V(D2) = 10,000 GBP x 1.25 = 12,500 -> -12,300
    # FX = 20,000 x (1.25 - 1.24) = 200; price = (10,000 - 20,000) x 1.25 = -12,500
    (row,) = report["by_pair"]
    assert (row["pnl_usd"], row["price_effect_usd"], row["fx_translation_usd"]) == (-12_300.0, -12_500.0, 200.0)
    assert (report["total_pnl_usd"], report["total_fx_translation_usd"]) == (-12_300.0, 200.0)


def test_pnl_of_usdjpy_converts_each_close_at_its_own_usd_value():
    held = [trade("j", "USDJPY", "BUY", 1_000_000, 150.0, at(D1))]
    report = calc.pnl_report(held, MARKET, previous_close=D2, end=D3)
    # 2,000,000 JPY / 152 = 13,157.89 minus 1,000,000 JPY / 151 = 6,622.52 -> 6,535.37;
    # FX = 1,000,000 x (1/152 - 1/151) = -43.57; price = 6,578.94
    (row,) = report["by_pair"]
    assert (row["pnl_usd"], row["fx_translation_usd"], row["price_effect_usd"]) == (6_535.37, -43.57, 6_578.94)


def test_forward_is_marked_at_the_interpolated_forward_rate_discounted_and_counts_its_delta():
    """Issue 13: a 91-day forward BUY 1m EURUSD at 1.0930 with 3M points 0.0050 (forward 1.0950)."""
    fwd = Trade(trade_id="F", book="B", pair="EURUSD", side="BUY", notional=1_000_000, rate=1.0930,
                trade_time=at(D3), product="FORWARD", value_date=date(2027, 2, 19))
    market = Market({D3: {"EURUSD": 1.0900}}, {D3: {"EURUSD": [(30, 0.0020), (91, 0.0050)]}})
    df = 1 / (1 + 0.045 * 91 / 360)                                         # 0.98875293
    assert calc.trade_value(fwd, market, D3) == pytest.approx(1_000_000 * df * (1.0950 - 1.0930))  # 1,977.51
    units = calc.currency_positions(calc.lots_of([fwd], D3), market, D3)
    assert units[("B", "EUR")] == pytest.approx(1_000_000 * df)                        # 988,752.93
    assert units[("B", "USD")] == pytest.approx(-1_000_000 * df * (1.0930 - 0.0050))   # -1,075,763.19
    report = calc.nop_report(calc.lots_of([fwd], D3), market, D3, {"EURUSD": 5})
    (pair,) = report["pairs"]
    assert (pair["unrealised_pnl_usd"], pair["open_forwards"], pair["average_rate"]) == (1_977.51, 1, 1.093)
    # Spot marks the same deal at the close, undiscounted: 1m x (1.0900 - 1.0930) = -3,000.
    spot = Trade(trade_id="S", book="B", pair="EURUSD", side="BUY", notional=1_000_000, rate=1.0930,
                 trade_time=at(D3))
    assert calc.trade_value(spot, market, D3) == pytest.approx(-3_000)


def test_limit_utilisation_rows_give_percentage_headroom_and_status():
    rows = lim.nop_utilisation({("B", "EUR"): -90e6, ("B", "CHF"): 1e6}, {("B", "EUR"): 100e6, ("B", "GBP"): 50e6},
                                ["B"])
    by_ccy = {r["currency"]: r for r in rows}
    assert by_ccy["EUR"] == {"book": "B", "currency": "EUR", "nop_usd": 90e6, "limit_usd": 100e6,
                             "utilisation_pct": 90.0, "headroom_usd": 10e6, "status": "warning"}
    assert by_ccy["GBP"]["utilisation_pct"] == 0.0 and by_ccy["GBP"]["status"] == "ok"
    assert by_ccy["CHF"]["status"] == "no_limit" and by_ccy["CHF"]["limit_usd"] is None
    var_rows = lim.var_utilisation({"B": 1_234_567.891}, {"B": 1_000_000})
    assert var_rows == [{"book": "B", "var_usd": 1_234_567.89, "limit_usd": 1_000_000.0, "utilisation_pct": 123.46,
                         "headroom_usd": -234_567.89, "status": "breach"}]


def test_what_if_trade_adds_its_legs_to_the_book_exposure():
    book = [trade("A", "EURUSD", "BUY", 10_000_000, 1.08, at(D1))]
    new = calc.hypothetical_trade("EURUSD", "sell", 4_000_000, 1.09, "B", D3)
    before = calc.usd_exposures(calc.lots_of(book, D3), MARKET, D3)
    after = calc.usd_exposures(calc.lots_of([*book, new], D3), MARKET, D3)
    assert before[("B", "EUR")] == pytest.approx(10_000_000 * 1.09)
    assert after[("B", "EUR")] == pytest.approx(6_000_000 * 1.09)
    assert calc.trade_value(new, MARKET, D3) == pytest.approx(0.0)  # dealt at the close


@pytest.mark.parametrize("notional", [0, -1_000_000, 5e9 + 1, float("nan"), 1e12])
def test_absurd_notionals_are_refused_with_a_typed_error(notional):
    with pytest.raises(ToolInputError) as err:
        calc.validate_notional(notional)
    assert err.value.type == "absurd_notional"
    assert "Absurd notional" in err.value.message


def test_largest_allowed_notional_is_five_billion():
    assert calc.validate_notional(5e9) == 5e9


def test_missing_rate_is_a_typed_error():
    with pytest.raises(DomainError) as err:
        MARKET.usd("MXN", D3)
    assert err.value.code == "no_rate"
