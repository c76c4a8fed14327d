"""USD conversion, forward-point interpolation and discounting of the domain core, worked by hand."""

from datetime import date

import pytest

from domain.errors import DomainError
from domain.market import Market, discount_factor, interpolate_points, usd_value

D = date(2026, 11, 20)


def test_usd_value_uses_ccyusd_then_the_inverse_of_usdccy():
    closes = {"EURUSD": 1.08, "USDJPY": 150.0, "EURJPY": 162.0}
    assert usd_value("USD", closes) == 1.0
    assert usd_value("EUR", closes) == 1.08
    assert usd_value("JPY", closes) == pytest.approx(1 / 150)
    assert usd_value("GBP", closes) is None


def test_points_are_linear_in_days_between_tenors_from_zero_at_spot_and_flat_beyond():
    nodes = [(91, 0.0060), (7, 0.0004), (30, 0.0015)]
    assert interpolate_points(nodes, 0) == 0.0
    assert interpolate_points(nodes, 7) == pytest.approx(0.0004)
    assert interpolate_points(nodes, 3.5) == pytest.approx(0.0002)          # half-way from (0, 0) to 1W
    assert interpolate_points(nodes, 60) == pytest.approx(0.0015 + 0.0045 * 30 / 61)  # 0.00371311
    assert interpolate_points(nodes, 400) == pytest.approx(0.0060)           # flat beyond the last tenor
    assert interpolate_points([], 30) == 0.0


def test_forward_rate_and_discount_factor():
    market = Market({D: {"USDTRY": 34.05}}, {D: {"USDTRY": [(30, 0.45), (91, 1.40)]}})
    assert market.forward_rate("USDTRY", D, date(2026, 12, 20)) == pytest.approx(34.50)   # 30 days
    assert market.forward_rate("USDTRY", D, D) == 34.05                                   # value today: spot
    assert discount_factor(90) == pytest.approx(1 / (1 + 0.045 * 90 / 360))               # 0.98887515
    assert discount_factor(-3) == 1.0
    with pytest.raises(DomainError) as err:
        market.forward_rate("EURUSD", D, date(2026, 12, 20))
    assert err.value.code == "no_rate" or err.value.code == "no_forward_curve"
