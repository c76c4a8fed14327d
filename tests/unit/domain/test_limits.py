"""The one limit-status rule and its documented edges (issue 13: three copies disagreed at 100.004 % and 0)."""

import pytest

from domain.limits import headroom, limit_status, utilisation_pct


@pytest.mark.parametrize(("value", "limit", "status", "pct"), [
    (89_999_999.0, 100e6, "ok", 90.0),          # 89.999999 % shows as 90.00 % but is not a warning
    (90e6, 100e6, "warning", 90.0),
    (-95e6, 100e6, "warning", 95.0),            # the sign of a position does not matter
    (100e6, 100e6, "warning", 100.0),           # exactly at the limit: not over it
    (100_004_000.0, 100e6, "breach", 100.0),    # 100.004 %: over the limit, shows as 100.00 %
    (123e6, 100e6, "breach", 123.0),
])
def test_status_compares_the_unrounded_value_with_the_limit(value, limit, status, pct):
    assert limit_status(value, limit) == status
    assert utilisation_pct(value, limit) == pct


def test_a_zero_limit_allows_no_position():
    assert limit_status(0.0, 0.0) == "ok"
    assert limit_status(0.01, 0.0) == "breach"
    assert limit_status(-5.0, 0.0) == "breach"
    assert utilisation_pct(5.0, 0.0) is None
    assert headroom(5.0, 0.0) == -5.0


def test_a_missing_limit_is_no_limit_without_utilisation_or_headroom():
    assert limit_status(1e9, None) == "no_limit"
    assert utilisation_pct(1e9, None) is None and headroom(1e9, None) is None


def test_compliance_and_position_risk_use_the_same_rule():
    from tools.compliance import calc as compliance
    from tools.position_risk import limits as position

    for value, limit in [(100_004_000.0, 100e6), (5.0, 0.0), (90e6, 100e6)]:
        (row,) = position.var_utilisation({"B": value}, {"B": limit})
        assert compliance.limit_status(value, limit) == row["status"] == limit_status(value, limit)
        assert compliance.utilisation_pct(value, limit) == row["utilisation_pct"]
        after = position.before_after(0.0, value, limit)
        assert after["status_after"] == row["status"]
