"""`fxdesk eval` in a subprocess (issue 17): a small dataset through the real graph, scored."""

from __future__ import annotations

import json

import pytest

from tests.integration.cli.test_cli_ask import cli_env, fxdesk  # noqa: F401  (fixture re-export)

pytestmark = pytest.mark.slow


def test_eval_scores_routing_arguments_and_numbers_on_a_small_dataset(cli_env, tmp_path):  # noqa: F811
    dataset = tmp_path / "mini.jsonl"
    dataset.write_text("\n".join(json.dumps(row) for row in [
        {"message": "what's my cable position", "desks": ["position_risk"], "tool": "get_net_open_position",
         "args": {"pair": "GBPUSD"}},
        {"message": "hello", "desks": []},
        {"message": "any limit breaches?", "desks": ["position_risk"]},  # wrong on purpose: counted as a miss
        {"turns": [{"message": "pnl for fibre last week", "desks": ["position_risk"], "args": {"pair": "EURUSD"}},
                   {"message": "what about this month", "desks": ["position_risk"],
                    "args": {"pair": "EURUSD", "window": "this month"}}]},
    ]) + "\n")
    proc = fxdesk(cli_env, "eval", str(dataset), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    summary = report["summary"]
    assert summary["turns"] == 5
    assert summary["routing"] == [4, 5]
    assert summary["carried_args"] == [2, 2]
    assert summary["answers_with_unsupported_numbers"] == 0
    assert report["confusion"]["position_risk"] == {"position_risk": 3, "compliance": 1}
    assert [m["message"] for m in report["misses"]] == ["any limit breaches?"]


def test_eval_rejects_a_phrasing_file_outside_the_contract(cli_env, tmp_path):  # noqa: F811
    stray = tmp_path / "stray.txt"
    stray.write_text("hello\n")
    proc = fxdesk(cli_env, "eval", str(stray))
    assert proc.returncode == 2 and "tools/<desk>/phrasings" in proc.stderr
