"""Pair spellings are checked against the pair universe read from the demo's ``pairs`` table (issue 13)."""

import pytest

from data.demo_market import pair_rows
from domain.pairs import PairUniverse
from tools.errors import ToolInputError
from tools.pairs import normalise_currency, normalise_pair

UNIVERSE = PairUniverse.from_rows(pair_rows())


@pytest.mark.parametrize("spelling", ["EURUSD", "eurusd", "eur/usd", "EUR-USD", "Eur Usd", "eur_usd", "USD/EUR"])
def test_pair_spellings_normalise_to_market_convention(spelling):
    assert normalise_pair(spelling, UNIVERSE) == "EURUSD"


@pytest.mark.parametrize("bad", ["EURXYZ", "", "EUR", "hello world"])
def test_unknown_pair_is_a_typed_error_listing_known_pairs(bad):
    with pytest.raises(ToolInputError) as err:
        normalise_pair(bad, UNIVERSE)
    assert err.value.type == "unknown_pair"
    assert "EURUSD" in err.value.message
    assert err.value.as_result()["status"] == "error"


def test_universe_has_at_least_fourteen_pairs_including_restricted_ruble():
    assert len(UNIVERSE.codes) >= 14
    assert "USDRUB" in UNIVERSE.codes


def test_a_pair_missing_from_the_table_is_unknown_even_if_it_is_a_real_pair():
    small = PairUniverse.from_rows([r for r in pair_rows() if r["pair"] != "USDRUB"])
    with pytest.raises(ToolInputError):
        normalise_pair("usd/rub", small)
    assert "RUB" not in small.currencies


def test_currency_codes_are_checked():
    assert normalise_currency(" gbp ", UNIVERSE) == "GBP"
    with pytest.raises(ToolInputError) as err:
        normalise_currency("XXX", UNIVERSE)
    assert err.value.type == "unknown_currency"
