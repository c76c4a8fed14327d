"""`langgraph dev` serves our graph from langgraph.json; drive it with langgraph-sdk."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def langgraph_dev(tmp_path, desk_db):
    port = _free_port()
    # Our own copy of the config in a temp folder keeps the server's .langgraph_api files out of the repo.
    config = tmp_path / "langgraph.json"
    shutil.copy(REPO / "langgraph.json", config)
    text = config.read_text().replace('"./server/studio.py:graph"', f'"{REPO}/server/studio.py:graph"')
    config.write_text(text.replace('"dependencies": ["."]', f'"dependencies": ["{REPO}"]'))
    env = {k: v for k, v in os.environ.items() if k not in ("FXDESK_REDIS_URL", "REDIS_URL", "FXDESK_MODELS")}
    env.update(FXDESK_HOME=str(tmp_path / "home"), LANGGRAPH_CLI_NO_ANALYTICS="1", LANGSMITH_TRACING="false",
               FXDESK_DATABASE_URL=desk_db.engine.url.render_as_string(hide_password=False))
    cli = Path(sys.executable).parent / "langgraph"
    log = open(tmp_path / "langgraph-dev.log", "w")
    proc = subprocess.Popen([str(cli), "dev", "--no-browser", "--no-reload", "--host", "127.0.0.1",
                             "--port", str(port), "--config", str(config)],
                            cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    try:
        while True:
            try:
                if httpx.get(f"{url}/ok", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = (tmp_path / "langgraph-dev.log").read_text()[-3000:]
                pytest.fail(f"langgraph dev did not answer /ok:\n{tail}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_langgraph_dev_serves_the_graph_with_context_and_subgraphs(langgraph_dev):
    from langgraph_sdk import get_sync_client

    client = get_sync_client(url=langgraph_dev)
    assistants = client.assistants.search(graph_id="fxdesk")
    assert assistants, "no assistant for graph fxdesk"
    assistant_id = assistants[0]["assistant_id"]

    schemas = client.assistants.get_schemas(assistant_id)
    context_schema = schemas.get("context_schema") or {}
    assert {"user_id", "role", "books", "customers"} <= set(context_schema.get("properties", {}))
    subgraphs = client.assistants.get_subgraphs(assistant_id)
    assert {"position_risk", "trade_journal", "psychology", "compliance"} <= set(subgraphs)

    thread = client.threads.create()
    context = {"user_id": "trader_aruna", "role": "trader", "books": ["FX-G10"],
               "customers": [f"Cust{n}" for n in range(201, 216)]}
    result = client.runs.wait(thread["thread_id"], assistant_id,
                              input={"messages": [{"role": "user", "content": "What's my EUR/USD exposure today?"}]},
                              context=context)
    assert result["route"] == ["position_risk"]
    answer = result["messages"][-1]["content"]
    tool = next(m for m in result["messages"] if m.get("type") == "tool" and m["name"] == "get_net_open_position")
    assert '"pair": "EURUSD"' in tool["content"] and '"book": "FX-G10"' in tool["content"]
    assert "EUR" in answer

    state = client.threads.get_state(thread["thread_id"])
    assert state["values"]["route"] == ["position_risk"]
    assert state["values"]["messages"][-1]["content"] == answer
