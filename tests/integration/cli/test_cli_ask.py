"""`fxdesk ask --json` in a subprocess, on SQLite and on our Redis checkpointer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow


@pytest.fixture
def cli_env(tmp_path, desk_db) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("FXDESK_REDIS_URL", "REDIS_URL", "FXDESK_MODELS", "FXDESK_MODELS_FILE")}
    env.update(FXDESK_HOME=str(tmp_path / "home"),
               FXDESK_DATABASE_URL=desk_db.engine.url.render_as_string(hide_password=False))
    return env


def fxdesk(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server.cli", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


def ask(env, message, *extra) -> dict:
    proc = fxdesk(env, "ask", message, "--json", *extra)
    assert proc.returncode == 0, proc.stderr
    return {"out": json.loads(proc.stdout), "err": proc.stderr}


def test_ask_json_prints_exactly_the_documented_fields_and_the_seed_example(cli_env):
    got = ask(cli_env, "What's my EUR/USD exposure today?", "--user", "trader_aruna")
    out = got["out"]
    assert list(out) == ["thread_id", "user_id", "route", "tool_calls", "answer", "model"]
    assert "checkpointer: sqlite" in got["err"]
    assert out["user_id"] == "trader_aruna" and out["route"] == ["position_risk"]
    [call] = out["tool_calls"]
    assert (call["agent"], call["name"], call["args"]["pair"]) == ("position_risk", "get_net_open_position", "EURUSD")
    eur = next(r for r in call["result"]["currencies"] if r["currency"] == "EUR")
    assert f"{eur['position']:,.0f}" in out["answer"]
    assert f"{eur['usd_equivalent']:,.0f}" in out["answer"] or f"{eur['usd_equivalent']:,.2f}" in out["answer"]
    assert out["model"].startswith("offline")
    assert out["answer"].endswith("_(answered by the offline model)_")


def test_unknown_user_is_a_clear_error_with_exit_code_2(cli_env):
    proc = fxdesk(cli_env, "ask", "hi", "--user", "mallory", "--json")
    assert proc.returncode == 2
    assert "Unknown user 'mallory'" in proc.stderr and "trader_aruna" in proc.stderr
    assert proc.stdout == ""


def test_onboarding_is_refused_positions_through_the_cli(cli_env):
    out = ask(cli_env, "what's my net open position in EURUSD?", "--user", "onboarding_sam")["out"]
    assert out["route"] == [] and out["tool_calls"] == []
    assert "position" in out["answer"].lower()


def test_a_new_process_continues_the_thread_on_redis(cli_env, redis_url, redis_prefix):
    cli_env.update(FXDESK_REDIS_URL=redis_url, FXDESK_KEY_PREFIX=redis_prefix)
    first = ask(cli_env, "what's my P&L on cable last week?", "--thread", "cli-follow")
    assert "checkpointer: redis" in first["err"]
    assert first["out"]["tool_calls"][0]["args"] == {"pair": "GBPUSD", "window": "last week"}
    second = ask(cli_env, "and EUR/USD?", "--thread", "cli-follow")["out"]
    assert second["thread_id"] == "cli-follow" and second["route"] == ["position_risk"]
    assert [(c["name"], c["args"]) for c in second["tool_calls"]] == [
        ("get_pnl", {"pair": "EURUSD", "window": "last week"})]


def test_redis_that_does_not_answer_falls_back_to_sqlite(cli_env):
    cli_env["FXDESK_REDIS_URL"] = "redis://127.0.0.1:9/0"
    got = ask(cli_env, "hello")
    assert "checkpointer: sqlite" in got["err"] and "did not answer" in got["err"]
    assert got["out"]["route"] == []


@pytest.mark.parametrize("durability", ["async", "exit"])
def test_pre_trade_breach_waits_for_confirmation_across_processes(cli_env, redis_url, redis_prefix, durability):
    cli_env.update(FXDESK_REDIS_URL=redis_url, FXDESK_KEY_PREFIX=redis_prefix, FXDESK_DURABILITY=durability)
    paused = ask(cli_env, "pre-trade check: buy 300m cable for Cust203", "--thread", "cli-pt")["out"]
    assert paused["route"] == ["compliance"]
    assert "breach" in paused["answer"] and "yes or no" in paused["answer"]
    [check] = [c for c in paused["tool_calls"] if c["name"] == "pre_trade_check"]
    assert check["result"]["verdict"] == "breach" and "decision" not in check["result"]
    done = ask(cli_env, "no", "--thread", "cli-pt")["out"]
    [check] = [c for c in done["tool_calls"] if c["name"] == "pre_trade_check"]
    assert check["result"]["decision"] == "cancelled"
    assert "cancelled" in done["answer"].lower()


def test_unknown_pinned_prompt_version_is_a_clear_error(cli_env):
    cli_env["FXDESK_PROMPT_VERSIONS"] = "supervisor=v99"
    proc = fxdesk(cli_env, "ask", "hi", "--json")
    assert proc.returncode == 2
    assert "supervisor=v99 does not exist" in proc.stderr and proc.stdout == ""


def test_ask_refuses_a_thread_id_outside_the_id_rule(cli_env):
    """Issue 12 finding 2: the CLI takes thread ids by the same rule as the API (the audit column is 64 wide)."""
    for bad in ["x" * 65, "a:runs", "*{}"]:
        proc = fxdesk(cli_env, "ask", "hi", "--json", "--thread", bad)
        assert proc.returncode == 2 and "--thread" in proc.stderr and "64 characters" in proc.stderr


def test_a_schedule_asked_in_the_cli_without_a_server_is_a_typed_error_not_a_pretend_success(cli_env):
    """Issue 15: schedules are crons fired by `fxdesk serve`; the CLI says so and schedules nothing."""
    out = ask(cli_env, "every weekday at 17:00 New York send me the limit breaches", "--user", "trader_aruna")["out"]
    [call] = out["tool_calls"]
    assert call["name"] == "schedule_compliance_report"
    assert call["result"]["error"]["type"] == "schedules_unavailable"
    assert "need fxdesk serve" in out["answer"] and "nothing was scheduled" in out["answer"]
