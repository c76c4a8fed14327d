"""Trader shorthand → journal trade record fields (issue 17): many spellings, nothing guessed."""

import pytest

from tools.trade_journal.shorthand import parse_shorthand

CASES = [
    ("long 5m cable 1.2710 stop 1.2650 breakout, felt fomo",
     dict(side="BUY", pair="GBPUSD", size=5e6, entry=1.271, stop=1.265, setup_tags=["breakout"], emotions=["fomo"])),
    ("short 10 yards of USDJPY @ 151.20 sl 152 tp 149.5 #news",
     dict(side="SELL", pair="USDJPY", size=1e10, entry=151.2, stop=152.0, target=149.5, setup_tags=["news"])),
    ("bought 3m eurusd at 1.0850, stop 1.0820, target 1.0910, range trade, calm",
     dict(side="BUY", pair="EURUSD", size=3e6, entry=1.085, stop=1.082, target=1.091, setup_tags=["range"],
          emotions=["calm"])),
    ("S 2m EUR/USD 1.0900 sl 1.0950 tp 1.0800 exit 1.0860 mean reversion, felt anxious",
     dict(side="SELL", pair="EURUSD", size=2e6, entry=1.09, stop=1.095, target=1.08, exit=1.086,
          setup_tags=["mean-reversion"], emotions=["anxious"])),
    ("sold aussie 0.6550 5 mio stop 0.6600 out at 0.6520",
     dict(side="SELL", pair="AUDUSD", size=5e6, entry=0.655, stop=0.66, exit=0.652)),
    ("buy 1.5m usdmxn 17.20 stp 17.05 tgt 17.60 carry",
     dict(side="BUY", pair="USDMXN", size=1.5e6, entry=17.2, stop=17.05, target=17.6, setup_tags=["carry"])),
    ("L half a bar GU 1.2710 s/l 1.2650 London open",
     dict(side="BUY", pair="GBPUSD", size=5e5, entry=1.271, stop=1.265, setup_tags=["london-open"])),
    ("short 3m loonie 1.3950 stop 1.4010 target 1.3850 felt nervous",
     dict(side="SELL", pair="USDCAD", size=3e6, entry=1.395, stop=1.401, target=1.385, emotions=["anxious"])),
    ("long 2m kiwi 0.5920 sl 0.5890 tp 0.5980 trend",
     dict(side="BUY", pair="NZDUSD", size=2e6, entry=0.592, stop=0.589, target=0.598, setup_tags=["trend"])),
    ("sold 5m dollar yen at 150.10, stop 150.60, exit 149.70 news fade",
     dict(side="SELL", pair="USDJPY", size=5e6, entry=150.1, stop=150.6, exit=149.7, setup_tags=["news", "fade"])),
    ("short chunnel 2m @ 0.8520 sl 0.8560, felt impatient",
     dict(side="SELL", pair="EURGBP", size=2e6, entry=0.852, stop=0.856, emotions=["impatient"])),
    ("log my trade: short 1 yard usdtry 34.10 stop 34.40",
     dict(side="SELL", pair="USDTRY", size=1e9, entry=34.1, stop=34.4)),
    ("buy 2m euro-yen 162.40 sl 161.80 tp 163.60 momentum",
     dict(side="BUY", pair="EURJPY", size=2e6, entry=162.4, stop=161.8, target=163.6, setup_tags=["momentum"])),
    ("paid 500k usd/zar 18.2 stop-loss 18.05 take profit 18.6",
     dict(side="BUY", pair="USDZAR", size=5e5, entry=18.2, stop=18.05, target=18.6)),
    ("l 3m au 0.6540 sl 0.6510 breakout #asia setup: retest, pullback",
     dict(side="BUY", pair="AUDUSD", size=3e6, entry=0.654, stop=0.651, setup_tags=["asia", "retest", "pullback",
                                                                                      "breakout"])),
    ("sold cable 1.2750 5m stop 1.2800 out at 1.2705 double top, felt greedy",
     dict(side="SELL", pair="GBPUSD", size=5e6, entry=1.275, stop=1.28, exit=1.2705, setup_tags=["double-top"],
          emotions=["greedy"])),
    ("usd inr long 2m 83.20 stop 83.05",  # inverted spellings and the side after the pair
     dict(side="BUY", pair="USDINR", size=2e6, entry=83.2, stop=83.05)),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_shorthand_forms_parse_to_the_written_fields(text, expected):
    parsed = parse_shorthand(text).model_dump()
    full = {"side": None, "pair": None, "size": None, "entry": None, "stop": None, "target": None, "exit": None,
            "setup_tags": [], "emotions": []}
    full.update(expected)
    got = {k: parsed[k] for k in full}
    if isinstance(full["setup_tags"], list):
        assert sorted(got.pop("setup_tags")) == sorted(full.pop("setup_tags"))
    assert got == full


def test_fields_not_written_stay_empty_and_the_reason_is_the_note():
    parsed = parse_shorthand("long cable because the BoE sounded hawkish")
    assert (parsed.side, parsed.pair, parsed.size, parsed.entry, parsed.stop) == ("BUY", "GBPUSD", None, None, None)
    assert parsed.setup_tags == ["boe"] and parsed.notes == "sounded hawkish"


def test_nothing_tradeable_parses_to_nothing():
    parsed = parse_shorthand("had a rough morning")
    assert parsed.side is None and parsed.pair is None and parsed.entry is None
    assert parse_shorthand("").model_dump()["notes"] == ""


def test_hit_the_bid_is_a_sell_and_hitting_a_target_is_not():
    assert parse_shorthand("hit the bid in 2m cable 1.2700").side == "SELL"
    assert parse_shorthand("long 2m cable 1.2700 tp 1.28").side == "BUY"


@pytest.mark.parametrize(("text", "size", "entry"), [
    ("short 10 fiber @1.0840 sl 1.0890", 10_000_000, 1.084),
    ("long 5 cable 1.2710 stop 1.2650", 5_000_000, 1.271),   # was: no size and entry 5.0
    ("bought 3 bucks aussie 0.6522", 3_000_000, 0.6522),       # was: no size and entry 3.0
    ("sold 2.5 kiwi at 0.5910", 2_500_000, 0.591),
])
def test_a_bare_size_between_side_and_pair_is_millions_and_never_the_entry(text, size, entry):
    parsed = parse_shorthand(text)
    assert (parsed.size, parsed.entry) == (size, entry)


def test_a_number_after_the_pair_is_still_the_entry_not_a_size():
    parsed = parse_shorthand("long cable 1.2710 stop 1.2650")
    assert (parsed.size, parsed.entry) == (None, 1.271)


def test_a_lone_side_letter_after_a_label_is_the_side():
    parsed = parse_shorthand("journal it: s 2m usdzar 18.10 stop 18.25")
    assert (parsed.side, parsed.pair, parsed.size, parsed.entry) == ("SELL", "USDZAR", 2_000_000, 18.1)


def test_a_lone_side_letter_after_log_is_the_side():
    assert parse_shorthand("log S 3m cable 1.2700").side == "SELL"
