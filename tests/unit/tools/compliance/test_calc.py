"""Compliance maths against hand calculations on tiny cases."""

from datetime import date, datetime

import pytest

from tools.compliance import calc
from tools.compliance.calc import DayRange, TradeRow


def _trade(trade_id="T1", *, customer="Cust201", book="FX-G10", pair="EURUSD", notional=1_000_000.0,
           rate=1.08, trade_time=datetime(2026, 11, 20, 10, 0), booking_time=None, side="BUY"):
    return TradeRow(trade_id=trade_id, trader="trader_aruna", book=book, customer=customer, pair=pair,
                    side=side, notional=notional, rate=rate, trade_time=trade_time,
                    booking_time=booking_time or trade_time)


# -- limits ------------------------------------------------------------------------------------
def test_utilisation_is_absolute_value_over_limit_in_percent():
    # |-4,500,000| / 5,000,000 = 0.9 -> 90.00 %
    assert calc.utilisation_pct(-4_500_000, 5_000_000) == 90.0
    # 1 / 3 = 33.333.. -> 33.33
    assert calc.utilisation_pct(1, 3) == 33.33


@pytest.mark.parametrize(("value", "status"), [
    (5_000_001, "breach"), (-5_000_001, "breach"), (5_000_000, "warning"), (4_500_000, "warning"),
    (4_499_999, "ok"), (0, "ok"),
])
def test_limit_status_breaches_above_limit_and_warns_from_ninety_percent(value, status):
    assert calc.limit_status(value, 5_000_000) == status


def _nop_row(ccy, nop, limit, util, status):
    # the shape of tools.position_risk.calc.nop_utilisation rows
    return {"book": "FX-G10", "currency": ccy, "nop_usd": nop, "limit_usd": limit, "utilisation_pct": util,
            "headroom_usd": None if limit is None else limit - nop, "status": status}


def test_limit_findings_keep_breaches_and_warnings_with_excess():
    nop = [_nop_row("EUR", 12_000_000.0, 10_000_000.0, 120.0, "breach"),
           _nop_row("GBP", 9_300_000.0, 10_000_000.0, 93.0, "warning"),
           _nop_row("JPY", 1_000_000.0, 10_000_000.0, 10.0, "ok"),
           _nop_row("NOK", 4_000_000.0, None, None, "no_limit")]
    var = [{"book": "FX-G10", "var_usd": 450_000.0, "limit_usd": 400_000.0, "utilisation_pct": 112.5,
            "headroom_usd": -50_000.0, "status": "breach"}]
    rows = calc.limit_findings(nop, var)
    assert [(r.kind, r.currency, r.status) for r in rows] == [
        ("nop", "EUR", "breach"), ("var", None, "breach"), ("nop", "GBP", "warning")]
    eur, var_row, gbp = rows
    # 12m against 10m: excess 2m, headroom -2m
    assert (eur.value_usd, eur.limit_usd, eur.excess_usd, eur.headroom_usd, eur.utilisation_pct) == (
        12_000_000.0, 10_000_000.0, 2_000_000.0, -2_000_000.0, 120.0)
    # 450k against 400k: excess 50k
    assert (var_row.excess_usd, var_row.book) == (50_000.0, "FX-G10")
    # a warning has no excess and 0.7m headroom
    assert (gbp.excess_usd, gbp.headroom_usd) == (0.0, 700_000.0)


def test_kyc_ok_needs_approval_and_an_unexpired_date():
    as_of = date(2026, 11, 20)
    assert calc.kyc_ok("approved", date(2026, 11, 20), as_of) is True
    assert calc.kyc_ok("approved", None, as_of) is True
    assert calc.kyc_ok("approved", date(2026, 11, 19), as_of) is False
    assert calc.kyc_ok("pending", None, as_of) is False


# -- credit ------------------------------------------------------------------------------------
def test_credit_rows_sum_exposure_over_books_against_the_limit():
    exposure = {("Cust201", "FX-G10"): 2_200_000.0, ("Cust201", "FX-EM"): 1_000_000.0,
                ("Cust203", "FX-G10"): 550_000.0, ("Cust299", "FX-G10"): 9e9, ("Cust205", "FX-EM"): 0.0}
    rows = calc.credit_rows(exposure, {"Cust201": 4_000_000.0, "Cust203": 500_000.0, "Cust205": 1e6})
    by = {r.customer: r for r in rows}
    # Cust201: 2.2m + 1.0m = 3.2m of 4m -> 80 %, headroom 0.8m
    c201 = by["Cust201"]
    assert (c201.exposure_usd, c201.utilisation_pct, c201.headroom_usd, c201.status) == (
        3_200_000.0, 80.0, 800_000.0, "ok")
    assert c201.books == ["FX-EM", "FX-G10"] and c201.by_book_usd == {"FX-EM": 1_000_000.0, "FX-G10": 2_200_000.0}
    # Cust203: 0.55m of 0.5m -> 110 %, headroom -50k, over the limit
    c203 = by["Cust203"]
    assert (c203.exposure_usd, c203.utilisation_pct, c203.headroom_usd, c203.status) == (
        550_000.0, 110.0, -50_000.0, "breach")
    # Cust205 has no exposure: zero, full headroom, no books
    assert (by["Cust205"].exposure_usd, by["Cust205"].headroom_usd, by["Cust205"].books) == (0.0, 1e6, [])
    assert "Cust299" not in by
    assert [r.customer for r in rows] == ["Cust203", "Cust201", "Cust205"]


def test_usd_notional_is_absolute_base_notional_times_base_usd_value():
    # 2m EUR at EURUSD 1.10 = 2.2m USD; a short counts the same
    assert calc.usd_notional(-2_000_000, 1.10) == pytest.approx(2_200_000)


# -- off-market --------------------------------------------------------------------------------
def test_off_market_distance_is_relative_to_the_crossed_bound():
    assert calc.off_market_distance_pct(1.0900, 1.0800, 1.0900) == 0.0
    # (1.0800 - 1.0746) / 1.0800 = 0.5 %
    assert calc.off_market_distance_pct(1.0746, 1.0800, 1.0900) == pytest.approx(0.5)
    # (1.1009 - 1.0900) / 1.0900 = 1.0 %
    assert calc.off_market_distance_pct(1.1009, 1.0800, 1.0900) == pytest.approx(1.0)


def test_off_market_rows_keep_trades_beyond_tolerance_only():
    day = date(2026, 11, 20)
    ranges = {("EURUSD", day): DayRange(low=1.0800, high=1.0900),
              ("USDJPY", day): DayRange(low=150.00, high=151.00)}
    trades = [
        _trade("T1", rate=1.0850),                            # inside
        _trade("T2", rate=1.0905),                            # 0.0459 % above: inside tolerance 0.1
        _trade("T3", rate=1.0746),                            # 0.5 % below
        _trade("T4", pair="USDJPY", rate=153.265),            # (153.265 - 151) / 151 = 1.5 % above
        _trade("T5", rate=1.5, trade_time=datetime(2026, 11, 21, 9)),  # no range that day: not judged
    ]
    rows = calc.off_market_rows(trades, ranges, 0.1, {"EURUSD": 5, "USDJPY": 3})
    assert [(r.trade_id, r.distance_pct, r.direction) for r in rows] == [
        ("T4", 1.5, "above_high"), ("T3", 0.5, "below_low")]
    t3 = rows[1]
    assert (t3.book, t3.customer, t3.day_low, t3.day_high, t3.rate, t3.day) == (
        "FX-G10", "Cust201", 1.08, 1.09, 1.0746, day)


def test_a_forward_is_judged_against_the_spot_range_shifted_by_its_points():
    """Issue 13: USDTRY 3M forward at 35.40 is on-market with +1.20 points (range 34.00-34.30 -> 35.20-35.50)."""
    day = date(2026, 11, 20)
    ranges = {("USDTRY", day): DayRange(low=34.00, high=34.30)}
    fwd = TradeRow(trade_id="F1", trader="trader_li", book="FX-EM", customer="Cust310", pair="USDTRY", side="BUY",
                   notional=1e6, rate=35.40, trade_time=datetime(2026, 11, 20, 10),
                   booking_time=datetime(2026, 11, 20, 10),
                   product="FORWARD", value_date=date(2027, 2, 19))
    assert calc.off_market_rows([fwd], ranges, 0.1, {"USDTRY": 4}, {"F1": 1.20}) == []
    # Judged as spot it would be (35.40 - 34.30) / 34.30 = 3.21 % above the high.
    (row,) = calc.off_market_rows([fwd], ranges, 0.1, {"USDTRY": 4})
    assert row.distance_pct == 3.21
    # With only +0.80 points the range is 34.80-35.10: (35.40 - 35.10) / 35.10 = 0.85 % above.
    (row,) = calc.off_market_rows([fwd], ranges, 0.1, {"USDTRY": 4}, {"F1": 0.80})
    assert (row.distance_pct, row.day_high, row.forward_points, row.product) == (0.85, 35.1, 0.8, "FORWARD")


# -- late bookings -----------------------------------------------------------------------------
def test_late_bookings_report_delay_in_minutes_beyond_threshold():
    t0 = datetime(2026, 11, 20, 10, 0)
    trades = [
        _trade("T1", trade_time=t0, booking_time=datetime(2026, 11, 20, 10, 30)),      # 30 min: not late
        _trade("T2", trade_time=t0, booking_time=datetime(2026, 11, 20, 10, 30, 30)),  # 30.5 min
        _trade("T3", trade_time=t0, booking_time=datetime(2026, 11, 20, 12, 15)),      # 135 min
        _trade("T4", trade_time=t0, booking_time=datetime(2026, 11, 21, 10, 0)),       # 1440 min
    ]
    rows = calc.late_booking_rows(trades, 30)
    assert [(r.trade_id, r.delay_minutes) for r in rows] == [("T4", 1440.0), ("T3", 135.0), ("T2", 30.5)]
    assert rows[0].book == "FX-G10" and rows[0].customer == "Cust201"


def test_days_to_expiry_counts_calendar_days_and_goes_negative_after_expiry():
    as_of = date(2026, 11, 20)
    assert calc.days_to_expiry(date(2026, 12, 20), as_of) == 30
    assert calc.days_to_expiry(date(2026, 11, 10), as_of) == -10
    assert calc.days_to_expiry(None, as_of) is None


# -- pre-trade ---------------------------------------------------------------------------------
def test_nop_reason_flags_currency_over_limit_after_the_trade():
    before = {"GBP": 8_000_000.0, "USD": -8_000_000.0}
    after = {"GBP": 33_000_000.0, "USD": -33_000_000.0}     # + 20m GBPUSD at 1.25 -> +25m USD of GBP
    reasons = calc.nop_reasons("FX-G10", before, after, {"GBP": 30_000_000.0, "EUR": 30_000_000.0})
    (r,) = reasons
    assert (r.code, r.severity) == ("nop_limit", "breach")
    assert r.figures["nop_before_usd"] == 8_000_000.0 and r.figures["nop_after_usd"] == 33_000_000.0
    # 33m / 30m = 110 %, 8m / 30m = 26.67 %
    assert (r.figures["utilisation_after_pct"], r.figures["utilisation_before_pct"]) == (110.0, 26.67)


def test_nop_reason_spares_a_trade_that_reduces_an_existing_excess():
    assert calc.nop_reasons("FX-G10", {"GBP": 40e6}, {"GBP": 35e6}, {"GBP": 30e6}) == []
    assert len(calc.nop_reasons("FX-G10", {"GBP": 40e6}, {"GBP": -41e6}, {"GBP": 30e6})) == 1


def test_credit_reason_reports_before_and_after():
    assert calc.credit_reason("Cust203", 3_000_000, 1_000_000, 4_000_000) is None   # exactly at the limit
    r = calc.credit_reason("Cust203", 3_000_000, 1_500_000, 4_000_000)
    # 3m / 4m = 75 % before, 4.5m / 4m = 112.5 % after
    assert r.figures == {"customer": "Cust203", "credit_before_usd": 3_000_000.0, "credit_after_usd": 4_500_000.0,
                         "limit_usd": 4_000_000.0, "utilisation_before_pct": 75.0, "utilisation_after_pct": 112.5}


def test_rate_reason_allows_a_tenth_of_a_percent_outside_the_range():
    day = DayRange(low=1.2500, high=1.2600)
    assert calc.rate_reason("GBPUSD", 1.2612, day, 5) is None        # 0.0952 % above
    r = calc.rate_reason("GBPUSD", 1.2614, day, 5)                    # 0.1111 % above
    assert r is not None and r.figures["distance_pct"] == 0.11
    r = calc.rate_reason("GBPUSD", 1.2375, day, 5)                    # (1.25 - 1.2375) / 1.25 = 1 % below
    assert r.figures["distance_pct"] == 1.0 and "off-market" in r.message.lower()


def test_verdict_blocked_beats_breach_beats_pass():
    breach = calc.credit_reason("Cust203", 0, 2, 1)
    blocked = calc.Reason(code="restricted_pair", severity="blocked", message="USDRUB is restricted")
    assert calc.verdict([]) == "pass"
    assert calc.verdict([breach]) == "breach"
    assert calc.verdict([breach, blocked]) == "blocked"
