"""Scoring of `fxdesk eval` (issue 17): datasets, per-desk accuracy, confusion, carried arguments, numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.phrasing_eval import Item, Report, load_dataset, score_conversations
from tools.contract import REGISTRY

ROOT = Path(__file__).resolve().parents[3]


def test_a_phrasing_file_expects_its_desk_and_tool():
    conversations = load_dataset(ROOT / "tools" / "position_risk" / "phrasings" / "get_rate_history.txt")
    assert len(conversations) >= 20
    assert conversations[0] == [Item("show me the chart of cable", ("position_risk",), "get_rate_history")]


def test_a_composite_intent_file_expects_every_desk_it_calls():
    [first, *_] = load_dataset(ROOT / "tools" / "position_risk" / "phrasings" / "trade_limit_check.txt")
    assert first[0].desks == ("position_risk", "compliance")


def test_the_held_out_split_is_large_enough():
    single = load_dataset(ROOT / "tests" / "data" / "heldout_single.jsonl")
    multi = load_dataset(ROOT / "tests" / "data" / "heldout_multi.jsonl")
    assert len(single) >= 150 and all(len(c) == 1 for c in single)
    assert len(multi) >= 25 and all(len(c) >= 2 for c in multi)


def test_the_third_held_out_split_is_multi_turn_and_names_only_contract_desks_and_tools():
    multi = load_dataset(ROOT / "tests" / "data" / "heldout3_multi.jsonl")
    assert len(multi) >= 35 and all(len(c) >= 2 for c in multi)
    items = [item for conversation in multi for item in conversation]
    assert all(set(item.desks) <= set(REGISTRY.desk_names()) for item in items)
    assert all(REGISTRY.tool(item.tool).desk in item.desks for item in items if item.tool)


@pytest.mark.parametrize(("split", "singles", "conversations"), [("heldout4", 120, 35), ("heldout5", 90, 50)])
def test_the_fourth_and_fifth_held_out_splits_have_turns_and_conversations_of_contract_desks_and_tools(
        split, singles, conversations):
    single = load_dataset(ROOT / "tests" / "data" / f"{split}_single.jsonl")
    multi = load_dataset(ROOT / "tests" / "data" / f"{split}_multi.jsonl")
    assert len(single) >= singles and all(len(c) == 1 for c in single)
    assert len(multi) >= conversations and all(len(c) >= 2 for c in multi)
    items = [item for conversation in (*single, *multi) for item in conversation]
    assert all(set(item.desks) <= set(REGISTRY.desk_names()) for item in items)
    assert all(REGISTRY.tool(item.tool).desk in item.desks for item in items if item.tool)


def test_a_bad_row_names_its_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"message": "hi", "desks": []}\n{"desks": []}\n')
    with pytest.raises(ValueError, match=r"bad.jsonl:2"):
        load_dataset(bad)


def _fake_run(records):
    def run(conversation, turn, message):
        return records[message]
    return run


def test_report_counts_routing_per_desk_confusion_carried_arguments_and_unsupported_numbers(tmp_path):
    data = tmp_path / "d.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in [
        {"message": "cable pos", "desks": ["position_risk"], "tool": "get_net_open_position",
         "args": {"pair": "GBPUSD"}},
        {"message": "kyc 203", "desks": ["compliance"]},
        {"turns": [{"message": "pnl fibre", "desks": ["position_risk"], "args": {"pair": "EURUSD"}},
                   {"message": "and this month", "desks": ["position_risk"],
                    "args": {"pair": "EURUSD", "window": "this month"}}]},
    ]))
    nop = {"currencies": [{"position": 1000000.0}]}
    records = {
        "cable pos": {"route": ["position_risk"], "answer": "long 1,000,000 GBP and 7 more",
                      "tool_calls": [{"name": "get_net_open_position", "args": {"pair": "GBPUSD"}, "result": nop}]},
        "kyc 203": {"route": ["position_risk"], "answer": "", "tool_calls": []},
        "pnl fibre": {"route": ["position_risk"], "answer": "",
                      "tool_calls": [{"name": "get_pnl", "args": {"pair": "EURUSD"}, "result": {}}]},
        "and this month": {"route": ["position_risk"], "answer": "",
                           "tool_calls": [{"name": "get_pnl", "args": {"pair": "EURUSD", "window": "last month"}}]},
    }
    report = Report(score_conversations(load_dataset(data), _fake_run(records)))
    summary = report.summary()
    assert summary["routing"] == (3, 4)
    assert summary["tool"] == (1, 1)
    assert summary["args"] == (3, 4) and summary["carried_args"] == (1, 2)
    assert summary["multi_turn"] == (1, 2)
    assert summary["answers_with_unsupported_numbers"] == 1  # "7 more" is in no tool result
    assert report.rows() == [("position_risk", 3, 3), ("compliance", 0, 1)]
    assert report.confusion()["compliance"] == {"position_risk": 1}


def test_a_shorthand_call_is_scored_on_the_fields_the_tool_read_from_the_text(tmp_path):
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"message": "long 5m cable 1.2710 sl 1.2650", "desks": ["trade_journal"],
                                "tool": "log_journal_trade",
                                "args": {"side": "BUY", "pair": "GBPUSD", "size": 5000000, "entry": 1.271,
                                         "stop": 1.265}}))
    saved = {"record": {"side": "BUY", "pair": "GBPUSD", "size": 5000000.0, "entry": 1.271, "stop": 1.2655,
                        "target": None}}
    records = {"long 5m cable 1.2710 sl 1.2650": {"route": ["trade_journal"], "answer": "", "tool_calls": [
        {"name": "log_journal_trade", "args": {"text": "long 5m cable 1.2710 sl 1.2650"}, "result": saved}]}}
    summary = Report(score_conversations(load_dataset(data), _fake_run(records))).summary()
    assert summary["args"] == (4, 5)  # the stop the tool saved (1.2655) is not the one asked for


def test_a_result_record_does_not_count_for_a_call_without_shorthand(tmp_path):
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"message": "cable", "desks": ["position_risk"], "args": {"pair": "GBPUSD"}}))
    records = {"cable": {"route": ["position_risk"], "answer": "", "tool_calls": [
        {"name": "get_pnl", "args": {}, "result": {"record": {"pair": "GBPUSD"}}}]}}
    assert Report(score_conversations(load_dataset(data), _fake_run(records))).summary()["args"] == (0, 1)


def test_values_a_tool_documents_as_the_same_are_scored_alike(tmp_path):
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"message": "hit rate by setup", "desks": ["trade_journal"],
                                "args": {"by": "setup", "window": "last month"}}))
    records = {"hit rate by setup": {"route": ["trade_journal"], "answer": "", "tool_calls": [
        {"name": "get_journal_breakdown", "args": {"by": "tag", "window": "this month"}, "result": {}}]}}
    assert Report(score_conversations(load_dataset(data), _fake_run(records))).summary()["args"] == (1, 2)
