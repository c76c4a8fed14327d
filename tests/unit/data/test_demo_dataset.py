"""The demo dataset keeps the promises other desks rely on (DESIGN §3 and data/demo_trades.py)."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import create_engine, select

from data import schema
from data.demo import AS_OF, build_demo
from domain.market import Market

pytestmark = pytest.mark.usefixtures("desk_db")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """A demo dataset of this module's own: the session's ``desk_db`` gets journal rows from other tests."""
    from data.database import Database

    db = Database.from_url(f"sqlite:///{tmp_path_factory.mktemp('demo-dataset') / 'fxdesk.db'}")
    yield db
    db.engine.dispose()


@pytest.fixture(scope="module")
def tables(demo_db):
    out = {}
    with demo_db.engine.connect() as conn:
        for name in ("pairs", "rates", "trades", "customers", "users", "user_books", "user_customers", "role_grants",
                     "restricted", "nop_limits", "books", "journal", "meta", "forward_points"):
            out[name] = [dict(r) for r in conn.execute(select(schema.metadata.tables[name])).mappings()]
    return out


@pytest.fixture(scope="module")
def ranges(tables):
    return {(r["pair"], r["day"]): r for r in tables["rates"]}


@pytest.fixture(scope="module")
def curve(tables):
    points = defaultdict(dict)
    for r in tables["forward_points"]:
        points[r["day"]].setdefault(r["pair"], []).append((r["tenor_days"], r["points"]))
    return Market({}, points)


def band(t, day, ranges, curve, decimals):
    """The day's range, shifted by the forward points to the trade's value date for a forward (issue 13)."""
    shift = curve.forward_points(t["pair"], day, t["value_date"]) if t["product"] == "FORWARD" else 0.0
    pip = 0.5 * 10 ** -decimals[t["pair"]]  # the all-in rate is rounded to the pair's decimals
    return ranges[(t["pair"], day)]["low"] + shift - pip, ranges[(t["pair"], day)]["high"] + shift + pip


def business_days_between(a: date, b: date) -> int:
    n, day = 0, a
    while day < b:
        day += timedelta(days=1)
        n += day.weekday() < 5
    return n


def test_as_of_is_friday_2026_11_20_and_stored_in_meta(tables):
    meta = {r["key"]: r["value"] for r in tables["meta"]}
    assert meta["as_of"] == "2026-11-20" and AS_OF.weekday() == 4


def test_every_pair_has_at_least_520_business_days_of_consistent_ohlc(tables):
    by_pair = defaultdict(list)
    for r in tables["rates"]:
        by_pair[r["pair"]].append(r)
        assert r["low"] <= min(r["open"], r["close"]) <= max(r["open"], r["close"]) <= r["high"]
        assert r["day"].weekday() < 5
    assert len(by_pair) == len(tables["pairs"]) == 15
    for rows in by_pair.values():
        assert len(rows) >= 520 and max(r["day"] for r in rows) == AS_OF


def test_as_of_levels_are_realistic(ranges):
    assert ranges[("EURUSD", AS_OF)]["close"] == pytest.approx(1.08, abs=0.02)
    assert ranges[("USDJPY", AS_OF)]["close"] == pytest.approx(150, abs=3)
    assert ranges[("USDTRY", AS_OF)]["close"] == pytest.approx(34, abs=1)


def test_crosses_agree_with_their_usd_legs(ranges):
    for day in (AS_OF, date(2026, 6, 1)):
        eur, gbp = ranges[("EURUSD", day)]["close"], ranges[("GBPUSD", day)]["close"]
        assert ranges[("EURGBP", day)]["close"] == pytest.approx(eur / gbp, rel=2e-4)
        assert ranges[("EURJPY", day)]["close"] == pytest.approx(eur * ranges[("USDJPY", day)]["close"], rel=2e-4)


def test_at_least_5000_trades_over_130_business_days_by_several_traders(tables):
    trades = tables["trades"]
    assert len(trades) >= 5000
    first = min(t["trade_time"] for t in trades).date()
    assert business_days_between(first, AS_OF) >= 130
    per_trader = Counter(t["trader"] for t in trades)
    assert len(per_trader) >= 4 and min(per_trader.values()) > 500
    assert {t["product"] for t in trades} == {"SPOT", "FORWARD"}


def test_trade_rates_lie_in_the_day_range_except_a_few_off_market_trades(tables, ranges, curve):
    decimals = {p["pair"]: p["decimals"] for p in tables["pairs"]}
    outside = []
    for t in tables["trades"]:
        low, high = band(t, t["trade_time"].date(), ranges, curve, decimals)
        if not low <= t["rate"] <= high:
            outside.append(t)
    assert 3 <= len(outside) <= 0.01 * len(tables["trades"])


def test_the_forward_curve_has_large_em_and_small_g10_points(tables):
    """Issue 13: 1Y points in % of spot: USDTRY large (rates 45 % vs 4.5 %), EURUSD small."""
    one_year = {r["pair"]: r["points"] for r in tables["forward_points"] if r["day"] == AS_OF and r["tenor"] == "1Y"}
    closes = {r["pair"]: r["close"] for r in tables["rates"] if r["day"] == AS_OF}
    assert one_year["USDTRY"] / closes["USDTRY"] > 0.3
    assert abs(one_year["EURUSD"] / closes["EURUSD"]) < 0.03
    assert {r["tenor"] for r in tables["forward_points"]} == {"1W", "1M", "3M", "6M", "1Y"}
    meta = {r["key"]: r["value"] for r in tables["meta"]}
    assert meta["generator_version"] == "3"


def test_exits_happen_after_the_trade_by_the_as_of_date_inside_the_exit_day_range(tables, ranges, curve):
    decimals = {p["pair"]: p["decimals"] for p in tables["pairs"]}
    closed = [t for t in tables["trades"] if t["exit_time"] is not None]
    assert 0.3 < len(closed) / len(tables["trades"]) < 0.6
    for t in closed:
        assert t["trade_time"] < t["exit_time"] < datetime(2026, 11, 21)
        low, high = band(t, t["exit_time"].date(), ranges, curve, decimals)
        assert low <= t["exit_rate"] <= high


def test_value_dates_are_t_plus_2_for_spot_and_later_for_forwards(tables):
    for t in tables["trades"]:
        lag = business_days_between(t["trade_time"].date(), t["value_date"])
        assert lag == 2 if t["product"] == "SPOT" else lag > 2
        assert t["value_date"].weekday() < 5


def test_a_few_late_bookings_and_every_booking_after_the_trade(tables):
    delays = [(t["booking_time"] - t["trade_time"]).total_seconds() / 60 for t in tables["trades"]]
    assert min(delays) > 0
    late = [d for d in delays if d > 30]
    assert 5 <= len(late) <= 0.03 * len(delays)


def test_trades_stay_inside_their_traders_books_and_customers(tables):
    traders = defaultdict(set)
    for t in tables["trades"]:
        traders[t["trader"]].add(t["book"])
    assert traders["trader_aruna"] == {"FX-G10"} and traders["trader_li"] == {"FX-EM"}
    aruna_customers = {t["customer"] for t in tables["trades"] if t["trader"] == "trader_aruna"}
    assert aruna_customers <= {f"Cust{i}" for i in range(201, 216)}


def test_aruna_has_revenge_trades_after_losing_closes_and_an_overtrading_day(tables):
    aruna = sorted((t for t in tables["trades"] if t["trader"] == "trader_aruna"), key=lambda t: t["trade_time"])
    median_size = statistics.median(t["notional"] for t in aruna)
    losses = [t for t in aruna if t["exit_time"] is not None
              and (t["exit_rate"] - t["rate"]) * (1 if t["side"] == "BUY" else -1) < 0]
    revenge = [(loss, t) for loss in losses for t in aruna
               if timedelta(0) < t["trade_time"] - loss["exit_time"] <= timedelta(minutes=10)
               and t["notional"] >= 2 * median_size]
    assert len(revenge) >= 3
    per_day = Counter(t["trade_time"].date() for t in aruna)
    assert max(per_day.values()) >= 3 * statistics.median(per_day.values())


def test_restricted_list_and_its_trades(tables):
    assert {(r["kind"], r["value"]) for r in tables["restricted"]} == {("customer", "Cust999"), ("pair", "USDRUB")}
    rub = [t for t in tables["trades"] if t["pair"] == "USDRUB"]
    assert 1 <= len(rub) <= 20 and {t["book"] for t in rub} == {"FX-EM"}
    assert any(t["customer"] == "Cust999" for t in tables["trades"])


def test_customers_have_all_kyc_statuses_and_the_example_customers_are_approved(tables):
    customers = {c["customer"]: c for c in tables["customers"]}
    assert len(customers) == 61
    assert {c["kyc_status"] for c in customers.values()} == {"approved", "pending", "expired", "rejected"}
    assert customers["Cust203"]["kyc_status"] == customers["Cust310"]["kyc_status"] == "approved"
    assert Counter(c["kyc_status"] for c in customers.values())["approved"] > 40
    for c in customers.values():
        assert c["credit_limit_usd"] > 0
        if c["kyc_status"] == "expired":
            assert c["kyc_expires_on"] < AS_OF
        if c["kyc_status"] == "approved":
            assert c["kyc_expires_on"] >= AS_OF


def test_users_entitlements_and_role_grants_follow_the_shared_contract(tables):
    roles = {u["user_id"]: u["role"] for u in tables["users"]}
    assert roles == {"trader_aruna": "trader", "trader_li": "trader", "analyst_maya": "analyst",
                     "compliance_omar": "compliance", "onboarding_sam": "onboarding"}
    books = defaultdict(set)
    for r in tables["user_books"]:
        books[r["user_id"]].add(r["book"])
    assert books["trader_aruna"] == {"FX-G10"} and books["trader_li"] == {"FX-EM"}
    assert books["analyst_maya"] == books["compliance_omar"] == {"FX-G10", "FX-EM"}
    assert "onboarding_sam" not in books
    grants = {(g["role"], g["desk"]): g["tools"] for g in tables["role_grants"]}
    assert grants[("onboarding", "compliance")] == "get_kyc_status,screen_restricted"
    assert ("onboarding", "position_risk") not in grants
    assert all(grants[("trader", d)] == "*" for d in ("position_risk", "trade_journal", "psychology", "compliance"))
    assert "pre_trade_check" not in grants[("analyst", "compliance")]


def test_journal_entries_for_aruna_link_her_trades_with_tags_and_emotions(tables):
    trades = {t["trade_id"]: t for t in tables["trades"]}
    assert len(tables["journal"]) >= 5
    for e in tables["journal"]:
        assert e["user_id"] == "trader_aruna" and trades[e["trade_id"]]["trader"] == "trader_aruna"
        assert e["setup_tags"] and e["emotions"] and e["pair"] == trades[e["trade_id"]]["pair"]


def test_limits_exist_for_both_books(tables):
    assert {b["book"] for b in tables["books"]} == {"FX-G10", "FX-EM"}
    assert all(b["var_limit_usd"] > 0 for b in tables["books"])
    assert {n["book"] for n in tables["nop_limits"]} == {"FX-G10", "FX-EM"}


def test_build_is_deterministic(tmp_path, tables):
    engine = create_engine(f"sqlite:///{tmp_path / 'again.db'}")
    build_demo(engine)
    with engine.connect() as conn:
        again = [dict(r) for r in conn.execute(select(schema.trades).order_by(schema.trades.c.trade_id)).mappings()]
    assert again == sorted(tables["trades"], key=lambda t: t["trade_id"])
    engine.dispose()
