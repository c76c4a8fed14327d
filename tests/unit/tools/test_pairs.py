import pytest

from tools.errors import ToolInputError
from tools.pairs import ALL_PAIRS, normalise_currency, normalise_pair


@pytest.mark.parametrize("spelling", ["EURUSD", "eurusd", "eur/usd", "EUR-USD", "Eur Usd", "eur_usd", "USD/EUR"])
def test_pair_spellings_normalise_to_market_convention(spelling):
    assert normalise_pair(spelling) == "EURUSD"


@pytest.mark.parametrize("bad", ["EURXYZ", "", "EUR", "hello world"])
def test_unknown_pair_is_a_typed_error_listing_known_pairs(bad):
    with pytest.raises(ToolInputError) as err:
        normalise_pair(bad)
    assert err.value.type == "unknown_pair"
    assert "EURUSD" in err.value.message
    assert err.value.as_result()["status"] == "error"


def test_universe_has_at_least_fourteen_pairs_including_restricted_ruble():
    assert len(ALL_PAIRS) >= 14
    assert "USDRUB" in ALL_PAIRS


def test_currency_codes_are_checked():
    assert normalise_currency(" gbp ") == "GBP"
    with pytest.raises(ToolInputError) as err:
        normalise_currency("XXX")
    assert err.value.type == "unknown_currency"
