"""VaR on a 5-return series computed by hand in the test: EWMA parametric and historical."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest

from tools.position_risk import var
from tools.position_risk.calc import Market

DAYS = [date(2026, 11, 13) + timedelta(days=i) for i in range(6)]
EURUSD = [1.0800, 1.0900, 1.0750, 1.0820, 1.0700, 1.0760]
USDJPY = [150.0, 149.0, 151.5, 150.5, 152.0, 151.0]
MARKET = Market({d: {"EURUSD": e, "USDJPY": j} for d, e, j in zip(DAYS, EURUSD, USDJPY, strict=True)})
EXPOSURE = {"EUR": 10_000_000.0, "JPY": -4_000_000.0}


def hand_returns():
    eur = [math.log(EURUSD[t] / EURUSD[t - 1]) for t in range(1, 6)]
    jpy = [math.log((1 / USDJPY[t]) / (1 / USDJPY[t - 1])) for t in range(1, 6)]
    return eur, jpy


def test_parametric_var_matches_a_hand_ewma_covariance():
    eur, jpy = hand_returns()
    lam, n = 0.94, 5
    # weight of the return that is i days old (i = 0 newest), normalised to sum to 1
    w = [(1 - lam) * lam ** (n - 1 - t) / (1 - lam ** n) for t in range(n)]
    s_ee = sum(w[t] * eur[t] * eur[t] for t in range(n))
    s_jj = sum(w[t] * jpy[t] * jpy[t] for t in range(n))
    s_ej = sum(w[t] * eur[t] * jpy[t] for t in range(n))
    e, j = EXPOSURE["EUR"], EXPOSURE["JPY"]
    expected = 2.326347874 * math.sqrt(e * e * s_ee + j * j * s_jj + 2 * e * j * s_ej)

    result = var.var_by_group({("B", "EUR"): e, ("B", "JPY"): j}, MARKET, DAYS, "parametric")
    assert result["B"]["parametric"] == pytest.approx(expected, rel=1e-12)
    assert result["*"]["parametric"] == pytest.approx(expected, rel=1e-12)


def test_historical_var_revalues_exposures_and_interpolates_the_one_percent_quantile():
    eur, jpy = hand_returns()
    pnl = sorted(EXPOSURE["EUR"] * (math.exp(eur[t]) - 1) + EXPOSURE["JPY"] * (math.exp(jpy[t]) - 1)
                 for t in range(5))
    h = (5 - 1) * 0.01                      # 0.04: 4 % of the way from the worst to the second worst
    q = pnl[0] + h * (pnl[1] - pnl[0])
    result = var.var_by_group({("B", "EUR"): EXPOSURE["EUR"], ("B", "JPY"): EXPOSURE["JPY"]}, MARKET, DAYS,
                              "historical")
    assert result["B"]["historical"] == pytest.approx(-q, rel=1e-12)
    assert result["B"]["historical"] > 0


def test_lower_quantile_agrees_with_numpy_linear_interpolation():
    values = np.array([5.0, -3.0, 2.0, -10.0, 7.0, 0.5, -1.0])
    assert var.lower_quantile(values) == pytest.approx(np.quantile(values, 0.01))


def test_var_of_a_flat_book_is_zero_and_never_negative():
    assert var.parametric_var(np.zeros(2), np.ones((5, 2)) * 0.01) == 0.0
    # A long position in a currency that only rose: no loss in history, VaR clipped at 0.
    rising = np.array([[0.01], [0.02], [0.005]])
    assert var.historical_var(np.array([1e6]), rising) == 0.0


def test_scope_var_is_at_most_the_sum_of_book_vars():
    exposures = {("G", "EUR"): 10e6, ("E", "JPY"): 8e6, ("E", "EUR"): -3e6}
    result = var.var_by_group(exposures, MARKET, DAYS, "parametric")
    assert result["*"]["parametric"] <= result["G"]["parametric"] + result["E"]["parametric"] + 1e-9


def test_historical_quantile_convention_is_configurable():
    """Issue 13: interpolated (numpy linear, between the 3rd and 4th worst of 250) or kth_worst (the 3rd worst)."""
    values = np.arange(250, dtype=float)              # worst = 0, 3rd worst = 2, 4th worst = 3
    assert var.lower_quantile(values) == pytest.approx(2.49)
    assert var.lower_quantile(values, convention="kth_worst") == 2.0
    assert var.lower_quantile(np.arange(100, dtype=float), convention="kth_worst") == 0.0  # k = ceil(1.0) = 1
    from tools.position_risk.conventions import load_conventions

    assert load_conventions({}).var_quantile == "interpolated"
    assert load_conventions({"FXDESK_RISK_VAR_QUANTILE": "kth_worst"}).var_quantile == "kth_worst"
    with pytest.raises(ValueError):
        load_conventions({"FXDESK_RISK_NOPE": "1"})
