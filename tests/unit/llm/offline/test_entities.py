"""Entity extraction: spellings and nicknames of pairs, books, customers, windows, notionals and sides."""

from __future__ import annotations

from datetime import date

import pytest

from data.demo_market import pair_rows
from domain.pairs import PairUniverse
from llm.offline.entities import extract
from llm.offline.lexicon import ALL_PAIRS, BOOK_OF_PAIR, NICKNAMES, lexicon_for, repair_typos
from tools.windows import resolve_window

AS_OF = date(2026, 11, 20)


def test_pair_universe_matches_the_demo_pairs_table():
    universe = PairUniverse.from_rows(pair_rows())
    assert set(ALL_PAIRS) == set(universe.codes)
    g10 = {p.pair for p in universe.pairs if p.book == "FX-G10"}
    assert {p for p, b in BOOK_OF_PAIR.items() if b == "FX-G10"} == g10
    assert set(NICKNAMES.values()) <= set(ALL_PAIRS)


@pytest.mark.parametrize(("text", "pair"), [
    ("EURUSD", "EURUSD"), ("EUR/USD", "EURUSD"), ("eur-usd", "EURUSD"), ("eur usd", "EURUSD"),
    ("euro dollar", "EURUSD"), ("Euro-Dollar", "EURUSD"), ("usd/eur", "EURUSD"), ("cable", "GBPUSD"),
    ("fiber", "EURUSD"), ("fibre", "EURUSD"), ("loonie", "USDCAD"), ("aussie", "AUDUSD"), ("kiwi", "NZDUSD"),
    ("swissie", "USDCHF"), ("yen", "USDJPY"), ("dollar-yen", "USDJPY"), ("dollar yen", "USDJPY"),
    ("euro", "EURUSD"), ("chunnel", "EURGBP"), ("euro yen", "EURJPY"), ("peso", "USDMXN"), ("rand", "USDZAR"),
    ("lira", "USDTRY"), ("brazilian real", "USDBRL"), ("rupee", "USDINR"), ("ruble", "USDRUB"),
    ("rouble", "USDRUB"), ("usd_try", "USDTRY"), ("GBP.USD", "GBPUSD"), ("jpy/usd", "USDJPY"),
])
def test_pair_spellings_and_nicknames(text, pair):
    assert extract(f"exposure in {text} please").pairs == [pair]


def test_real_as_an_ordinary_word_is_not_the_brazilian_real():
    assert extract("is this a real risk or real money?").pairs == []


def test_euro_yen_is_one_pair_not_two():
    assert extract("what if I buy 5m euro yen").pairs == ["EURJPY"]


@pytest.mark.parametrize(("text", "books"), [
    ("FX-G10", ["FX-G10"]), ("the g10 book", ["FX-G10"]), ("fx g10", ["FX-G10"]), ("EM book", ["FX-EM"]),
    ("fx-em", ["FX-EM"]), ("emerging markets", ["FX-EM"]), ("EM", ["FX-EM"]), ("let em run", []),
])
def test_books(text, books):
    assert extract(f"positions in {text}").books == books


@pytest.mark.parametrize(("text", "customer"), [
    ("Cust203", "Cust203"), ("cust 203", "Cust203"), ("customer 203", "Cust203"), ("client #310", "Cust310"),
    ("counterparty 999", "Cust999"), ("CUST0210", "Cust210"),
])
def test_customers(text, customer):
    found = extract(f"credit for {text}")
    assert found.customers == [customer]
    assert found.notional is None


@pytest.mark.parametrize(("text", "label"), [
    ("today", "today"), ("yesterday", "yesterday"), ("this week", "this week"), ("last week", "last week"),
    ("last 30 days", "last 30 days"), ("past 2 weeks", "last 2 weeks"), ("past two weeks", "last 2 weeks"),
    ("since Monday", "since monday"), ("since mon", "since monday"), ("this month", "this month"),
    ("mtd", "this month"), ("last month", "last month"), ("since 2026-11-02", "since 2026-11-02"),
    ("from 2026-11-02 to 2026-11-13", "2026-11-02..2026-11-13"), ("2026-11-02..2026-11-13", "2026-11-02..2026-11-13"),
    ("on 2026-11-04", "2026-11-04"), ("over the last 3 months", "last 3 months"), ("last fortnight", "last 2 weeks"),
    ("last 10 business days", "last 10 business days"), ("ytd", "this year"), ("past 90 days", "last 90 days"),
])
def test_windows_use_the_tools_grammar(text, label):
    found = extract(f"pnl {text}")
    assert found.window == label
    window = resolve_window(found.window, AS_OF)  # raises if the tools cannot read it
    assert window.end <= AS_OF


@pytest.mark.parametrize(("text", "notional"), [
    ("5m", 5e6), ("5 m", 5e6), ("5mm", 5e6), ("2.5 mio", 2.5e6), ("2,5 mio", 2.5e6), ("500k", 5e5),
    ("1 yard", 1e9), ("a yard", 1e9), ("half a yard", 5e8), ("1bn", 1e9), ("20 million", 2e7),
    ("twenty million", 2e7), ("1,000,000", 1e6), ("250000", 2.5e5), ("3 billion", 3e9),
])
def test_notionals(text, notional):
    assert extract(f"what if I buy {text} cable").notional == notional


def test_small_bare_numbers_are_not_notionals():
    found = extract("top 5 entries from the last 30 days for Cust203")
    assert found.notional is None
    assert found.limit == 5 and found.window == "last 30 days" and found.customers == ["Cust203"]


@pytest.mark.parametrize(("text", "side"), [
    ("buy", "buy"), ("bought", "buy"), ("long", "buy"), ("lift", "buy"), ("pay", "buy"), ("go long", "buy"),
    ("sell", "sell"), ("sold", "sell"), ("short", "sell"), ("hit", "sell"), ("give", "sell"), ("go short", "sell"),
])
def test_sides(text, side):
    assert extract(f"what if I {text} 5m cable").side == side


def test_how_long_is_not_a_side():
    assert extract("how long am I cable").side is None


def test_hit_my_limit_is_not_a_sell():
    assert extract("did I hit my limit").side is None


def test_rate_and_minutes_and_tolerance():
    found = extract("sell 1m usdzar at 18.2500, late by 45 minutes, 0.2% tolerance")
    assert (found.rate, found.threshold_minutes, found.tolerance_pct, found.notional) == (18.25, 45, 0.2, 1e6)


def test_typos_in_desk_words_are_repaired():
    assert repair_typos("whats my exposre and limit breeches") == "whats my exposure and limit breaches"
    assert repair_typos("last 3 months") == "last 3 months"


def test_typo_repair_leaves_ordinary_words_that_only_resemble_desk_words():
    """Issue 17: "heart racing" became "heart breaching" (a typo keeps its first letter and about its length)."""
    assert repair_typos("heart racing after that move") == "heart racing after that move"
    assert repair_typos("overtraidng and jounral entires") == "overtrading and journal entries"


@pytest.mark.parametrize(
    ("message", "pair"),
    [("what is my exposure in EURXYZ?", "EURXYZ"), ("exposure eur/xyz", "EURXYZ"), ("XYZ/USD position", "XYZUSD"),
     ("AUD/NZD position", "AUDNZD")],
)
def test_pair_the_desk_does_not_trade_is_passed_on_for_the_tool_to_reject(message, pair):
    """A pair-like word must reach the tool (which answers unknown_pair), not vanish into a whole-book answer."""
    assert extract(message).pairs == [pair]


@pytest.mark.parametrize("message", ["how is my P&L and/or VaR today", "buy/sell ratio this week", "day/end checks"])
def test_ordinary_words_with_slashes_are_not_pairs(message):
    assert extract(message).pairs == []


@pytest.mark.parametrize(("message", "currencies"), [("GBP GBP", ["GBP"]), ("GBP JPY exposure", ["GBP", "JPY"])])
def test_two_currency_codes_with_a_space_are_currencies_not_an_unknown_pair(message, currencies):
    found = extract(message)
    assert found.pairs == [] and found.currencies == currencies


def test_a_loaded_universe_reads_its_pairs_without_separators_and_its_currencies():
    lexicon = lexicon_for((("EURUSD", "FX-G10"), ("USDSGD", "FX-ASIA")))
    assert extract("usdsgd exposure", lexicon).pairs == ["USDSGD"]
    assert extract("sgd/usd pnl", lexicon).pairs == ["USDSGD"]
    assert extract("how much sgd are we long", lexicon).currencies == ["SGD"]
    assert lexicon.book_of_pair["USDSGD"] == "FX-ASIA" and lexicon.pair_for_currency("SGD") == "USDSGD"
    assert extract("usdsgd exposure").pairs == []  # the demo universe has no SGD
    assert extract("cable pnl", lexicon).pairs == []  # GBPUSD is not in this universe: no nickname for it
