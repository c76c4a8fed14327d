"""The pair universe from table rows and the one trade record with its realised-P&L rule."""

from datetime import date, datetime

import pytest

from domain.errors import DomainError
from domain.market import Market
from domain.pairs import PairUniverse
from domain.trade import Trade, realised_pnl_quote
from domain.valuation import cents, explain, realised_usd

ROWS = [{"pair": "EURUSD", "base": "EUR", "quote": "USD", "region": "G10", "book": "FX-G10", "decimals": 5},
        {"pair": "USDMXN", "base": "USD", "quote": "MXN", "region": "EM", "book": "FX-EM", "decimals": 4}]


def test_universe_is_what_the_rows_say():
    u = PairUniverse.from_rows(ROWS)
    assert u.codes == ("EURUSD", "USDMXN") and u.currencies == ("EUR", "MXN", "USD")
    assert u.normalise("mxn/usd") == "USDMXN" and u.book_of("USDMXN") == "FX-EM"
    assert u.in_region("G10") == ("EURUSD",) and u.decimals() == {"EURUSD": 5, "USDMXN": 4}
    with pytest.raises(DomainError) as err:
        u.normalise("GBPUSD")
    assert err.value.code == "unknown_pair"


def test_realised_pnl_is_entry_to_exit_in_usd_at_the_exit_close():
    """Issue 13: SELL 2m USDMXN at 17.50, exit 17.20 -> +600,000 MXN; exit day close 17.10 -> 35,087.72 USD."""
    assert realised_pnl_quote("SELL", 2e6, 17.50, 17.20) == pytest.approx(600_000)
    t = Trade("T", "FX-EM", "USDMXN", "SELL", 2e6, 17.50, datetime(2026, 11, 18, 9),
              exit_rate=17.20, exit_time=datetime(2026, 11, 19, 15))
    market = Market({date(2026, 11, 19): {"USDMXN": 17.10}, date(2026, 11, 20): {"USDMXN": 16.00}})
    assert realised_usd(t, market) == pytest.approx(600_000 / 17.10)   # not the later 16.00 close
    # A window that contains the exit reports the whole realised P&L, however early the window starts.
    part = explain(t, market, None, date(2026, 11, 20))
    assert part.realised == part.total == cents(600_000 / 17.10) == 3_508_772


def test_cents_round_half_away_from_zero():
    assert (cents(0.005), cents(-0.005), cents(1.234), cents(-1.236)) == (1, -1, 123, -124)
