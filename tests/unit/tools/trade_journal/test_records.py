"""Journal trade records' figures and the journal breakdown, against hand calculations (issue 17)."""

from datetime import datetime

from tools.trade_journal.records import JournalItem, breakdown, record_figures, tally


def test_long_record_with_stop_and_target():
    # long 5m at 1.2710, stop 1.2650, target 1.2830: distance 0.0060, risk 5m × 0.006 = 30,000; R:R 0.012/0.006 = 2.
    figures, warnings = record_figures("BUY", 5e6, 1.2710, 1.2650, 1.2830, None)
    assert figures == {"stop_distance": 0.006, "risk_quote": 30000.0, "reward_risk": 2.0, "outcome": None,
                       "result_quote": None, "r_multiple": None}
    assert warnings == []


def test_short_record_with_exit_is_a_win_with_its_r_multiple():
    # short 2m at 1.0900, stop 1.0950, exit 1.0860: move −1 × (1.0860 − 1.0900) = +0.0040;
    # result 2m × 0.004 = 8,000 (quote ccy); R = 0.004 / 0.005 = 0.8.
    figures, _ = record_figures("SELL", 2e6, 1.0900, 1.0950, None, 1.0860)
    assert (figures["outcome"], figures["result_quote"], figures["r_multiple"]) == ("win", 8000.0, 0.8)
    assert (figures["stop_distance"], figures["risk_quote"]) == (0.005, 10000.0)


def test_losing_and_breakeven_exits_and_a_stop_on_the_wrong_side():
    loss, warnings = record_figures("BUY", 1e6, 150.0, 151.0, None, 149.5)  # stop above a long's entry
    assert loss["outcome"] == "loss" and loss["result_quote"] == -500000.0 and loss["r_multiple"] == -0.5
    assert warnings == ["the stop 151 is on the wrong side of the entry 150 for a long"]
    flat, _ = record_figures("SELL", None, 1.2, None, None, 1.2)
    assert flat["outcome"] == "breakeven" and flat["result_quote"] is None and flat["r_multiple"] is None


def _item(kind, i, day, hour, result, tags=(), emotions=(), pair="EURUSD"):
    return JournalItem(kind, i, datetime(2026, 11, day, hour), pair, tuple(tags), tuple(emotions), result)


ITEMS = [
    _item("entry", 1, 16, 9, 1, ["breakout"], ["calm"]),
    _item("entry", 2, 16, 10, -1, ["breakout", "news"], ["fomo"], "GBPUSD"),
    _item("record", 1, 17, 9, -1, ["breakout"], ["fomo"]),
    _item("entry", 3, 18, 9, None, [], ["calm"]),
    _item("record", 2, 19, 9, 1, ["range"], [], "GBPUSD"),
    _item("record", 3, 20, 9, 1, ["range"], ["calm"]),
]


def test_tally_counts_hit_rate_and_streaks_in_time_order():
    # Outcomes in time order: W L L (none) W W → 5 with an outcome, 3 wins = 60 %; longest runs 2 and 2; now 2 wins.
    t = tally(ITEMS)
    assert (t["journaled"], t["entries"], t["trade_records"], t["with_outcome"]) == (6, 3, 3, 5)
    assert (t["wins"], t["losses"], t["breakeven"], t["hit_rate_pct"]) == (3, 2, 0, 60.0)
    assert t["current_streak"] == {"kind": "win", "length": 2}
    assert (t["longest_win_streak"], t["longest_loss_streak"]) == (2, 2)


def test_breakdown_by_tag_counts_an_item_in_each_of_its_tags():
    rows = {r["group"]: r for r in breakdown(ITEMS, "tag")}
    assert list(rows) == ["breakout", "range", "news", "untagged"]  # by count, then name
    assert (rows["breakout"]["journaled"], rows["breakout"]["wins"], rows["breakout"]["hit_rate_pct"]) == (3, 1, 33.33)
    assert rows["range"]["hit_rate_pct"] == 100.0 and rows["range"]["current_streak"] == {"kind": "win", "length": 2}
    assert rows["untagged"]["with_outcome"] == 0 and rows["untagged"]["hit_rate_pct"] is None
    assert breakdown(ITEMS, "setup") == breakdown(ITEMS, "tag")


def test_breakdown_by_emotion_and_pair():
    emotions = {r["group"]: r for r in breakdown(ITEMS, "emotion")}
    assert (emotions["calm"]["journaled"], emotions["calm"]["wins"]) == (3, 2)
    assert (emotions["fomo"]["losses"], emotions["fomo"]["hit_rate_pct"]) == (2, 0.0)
    assert emotions["no-emotion"]["journaled"] == 1
    pairs = {r["group"]: r["journaled"] for r in breakdown(ITEMS, "pair")}
    assert pairs == {"EURUSD": 4, "GBPUSD": 2}
