"""One composition root (issue 12): the CLI, `fxdesk serve` and Studio run what `build_runtime(settings)` builds."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import httpx
import pytest
from langgraph.checkpoint.memory import InMemorySaver

from data import schema
from data.database import Database
from server.runtime import build_runtime
from server.settings import Settings
from server.turns import run_turn
from tests.integration.server.conftest import auth
from tests.integration.server.desk_app import desk_client
from tests.integration.server.servers import REPO, base_env, free_port, start_fxdesk
from tools.users import context_for

CROSS_DESK = "would buying 20m cable breach my limits?"


def test_runtime_builds_one_engine_one_chain_and_applies_every_setting(fxdesk_home):
    settings = Settings(home=fxdesk_home, history_tokens=1234, max_desks_per_turn=2, prompt_versions="supervisor=v1")
    rt = build_runtime(settings, redis_available=False)
    try:
        assert rt.options.history_tokens == 1234 and rt.options.prompts.versions()["supervisor"] == "v1"
        assert "supervisor=v1" in rt.metadata["prompt_versions"].split(",")
        assert rt.gate.db is rt.db  # tools, routing and audit share the runtime's one database handle
        assert rt.compile().name == "fxdesk"
    finally:
        rt.close()


def test_the_offline_model_reads_the_pair_universe_of_the_desks_own_table(fxdesk_home, tmp_path):
    """A loaded book's pair (USDSGD, added to a copy of the demo's ``pairs`` table) is read as traders write it.

    The offline model's pairs were a hard-coded copy of the demo's: "usdsgd" (no separator) or "sgd"
    was not a pair at all.
    """
    demo = Database.from_url(Settings(home=fxdesk_home).desk_database_url)
    demo.engine.dispose()
    with sqlite3.connect(fxdesk_home / "fxdesk.db") as source, sqlite3.connect(tmp_path / "fxdesk.db") as copy:
        source.backup(copy)
    settings = Settings(home=tmp_path)
    loaded = Database.from_url(settings.desk_database_url)
    with loaded.engine.begin() as conn:
        conn.execute(schema.pairs.insert().values(pair="USDSGD", base="USD", quote="SGD", region="EM",
                                                  book="FX-EM", decimals=4))
    loaded.engine.dispose()
    rt = build_runtime(settings, redis_available=False)
    try:
        graph, context = rt.compile(InMemorySaver()), context_for(rt.db, "trader_li")
        for thread, message in enumerate(("whats our usdsgd position", "net open position in usd sgd pls",
                                          "how much sgd are we running")):
            turn = run_turn(graph, context, f"sgd-{thread}", message)
            assert turn.route == ["position_risk"], (message, turn)
            [call] = turn.tool_calls
            assert call["name"] == "get_net_open_position"
            assert call["args"].get("pair") == "USDSGD" or call["args"].get("currency") == "SGD", (message, call)
    finally:
        rt.close()


async def test_served_graph_obeys_the_desk_limit_from_settings(redis_url, redis_prefix, fxdesk_home):
    """Issue 12: FXDESK_MAX_DESKS_PER_TURN (was FXDESK_MAX_HOPS) applied to the CLI only; now to the server too."""
    async with desk_client(redis_url, redis_prefix, max_desks_per_turn=1) as client:
        response = await client.post("/chat", json={"message": CROSS_DESK}, headers=auth())
        assert response.status_code == 200, response.text
        turn = response.json()
        assert turn["route"] == ["position_risk"]
        assert "at most 1 desk" in turn["answer"] and "compliance" in turn["answer"]
        services = client.app.state.services
        assert services.db is services.runtime.db and services.models is services.runtime.models


@pytest.mark.slow
def test_fxdesk_serve_records_the_pinned_prompt_versions_on_every_run(tmp_path, redis_url, redis_prefix,
                                                                      fxdesk_home):
    """Issue 12: `fxdesk serve` built the graph with default options, ignoring FXDESK_PROMPT_VERSIONS."""
    env = base_env(fxdesk_home, redis_url, redis_prefix)
    env["FXDESK_PROMPT_VERSIONS"] = "supervisor=v1,position_risk=v1"
    server = start_fxdesk(tmp_path, env, echo=False)
    try:
        with httpx.Client(base_url=server.url, headers=auth(), timeout=60) as http:
            thread = http.post("/threads", json={}).json()["thread_id"]
            run = http.post(f"/threads/{thread}/runs", json={
                "assistant_id": "fxdesk", "input": {"messages": [{"type": "human", "content": "my EURUSD NOP?"}]}})
            assert run.status_code == 200, run.text
            run_id = run.json()["run_id"]
            http.get(f"/threads/{thread}/runs/{run_id}/join")
            record = http.get(f"/threads/{thread}/runs/{run_id}").json()
            versions = record["metadata"]["prompt_versions"]
            assert {"supervisor=v1", "position_risk=v1"} <= set(versions.split(","))
            history = http.post(f"/threads/{thread}/history", json={"limit": 1}).json()
            assert history[0]["metadata"]["prompt_versions"] == versions
    finally:
        server.stop()


@pytest.mark.slow
def test_fxdesk_serve_refuses_to_start_with_a_pin_that_does_not_exist(tmp_path, redis_url, redis_prefix, fxdesk_home):
    env = base_env(fxdesk_home, redis_url, redis_prefix)
    env["FXDESK_PROMPT_VERSIONS"] = "supervisor=v99"
    log = tmp_path / "serve.log"
    proc = subprocess.run([sys.executable, "-m", "server.cli", "serve", "--port", str(free_port())], cwd=REPO,
                          env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, timeout=120)
    assert proc.returncode != 0
    assert "v99" in log.read_text()


@pytest.mark.slow
def test_studio_graph_is_built_from_the_same_settings(tmp_path, fxdesk_home):
    """Issue 12: `langgraph.json`'s graph used default AgentOptions whatever FXDESK_* said."""
    env = base_env(fxdesk_home, "redis://127.0.0.1:1/0", "unused:")  # Studio brings its own persistence
    env.update(FXDESK_HISTORY_TOKENS="777", FXDESK_MAX_DESKS_PER_TURN="3", FXDESK_AS_OF="2026-11-18")
    probe = ("import json; from server import studio; rt = studio.runtime; "
             "print(json.dumps({'tokens': rt.options.history_tokens, 'desks': rt.settings.max_desks_per_turn, "
             "'as_of': str(rt.db.as_of), 'checkpointer': studio.graph.checkpointer is None}))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"tokens": 777, "desks": 3, "as_of": "2026-11-18",
                                                               "checkpointer": True}
    config = json.loads((REPO / "langgraph.json").read_text())
    assert config["graphs"]["fxdesk"] == "./server/studio.py:graph"
