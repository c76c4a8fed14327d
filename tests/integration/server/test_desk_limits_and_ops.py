"""Limits (413 / 422 / 429), /genai, /metrics and the request audit on the real `fxdesk serve` app."""

from __future__ import annotations

import json
import logging

from sqlalchemy import select

from data import schema
from data.database import Database
from server.runs.registry import assistant_id_for
from tests.integration.server.conftest import auth
from tests.integration.server.desk_app import desk_client

RUN_BODY = {"assistant_id": assistant_id_for("fxdesk"), "input": {"messages": [{"role": "user", "content": "hi"}]}}


def _is_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == status and problem["detail"] and "Traceback" not in response.text
    return problem


async def test_body_over_the_limit_is_413_problem(redis_url, redis_prefix, fxdesk_home):
    async with desk_client(redis_url, redis_prefix, max_body_bytes=2048) as client:
        big = {"message": "x" * 3000}
        problem = _is_problem(await client.post("/chat", json=big, headers=auth()), 413)
        assert "2,048 bytes" in problem["detail"]
        _is_problem(await client.post("/threads", json={"metadata": {"pad": "y" * 3000}}, headers=auth()), 413)
        assert (await client.post("/chat", json={"message": "hi"}, headers=auth())).status_code == 200


async def test_message_over_the_limit_is_422_on_chat_api_and_langgraph_runs(redis_url, redis_prefix, fxdesk_home):
    async with desk_client(redis_url, redis_prefix, max_message_chars=50) as client:
        long = "what is my position " * 3  # 60 characters
        tid = (await client.post("/threads", json={}, headers=auth())).json()["thread_id"]
        run = {**RUN_BODY, "input": {"messages": [{"role": "user", "content": long}]}}
        for path, body in [("/chat", {"message": long}),
                           ("/api/risk/position/summary", {"message": long, "context": {"books": ["FX-G10"]}}),
                           (f"/threads/{tid}/runs/wait", run), ("/runs/wait", run),
                           (f"/threads/{tid}/runs/stream", run), (f"/threads/{tid}/runs", run)]:
            problem = _is_problem(await client.post(path, json=body, headers=auth()), 422)
            assert "60 characters" in problem["detail"] and "at most 50" in problem["detail"], path
        ok = await client.post("/chat", json={"message": "x" * 50}, headers=auth())
        assert ok.status_code == 200


async def test_rate_limit_is_per_user_and_answers_429_with_retry_after(redis_url, redis_prefix, fxdesk_home):
    async with desk_client(redis_url, redis_prefix, rate_limit="2/minute") as client:
        tid = (await client.post("/threads", json={}, headers=auth())).json()["thread_id"]
        assert (await client.post("/chat", json={"message": "hi"}, headers=auth())).status_code == 200
        assert (await client.post(f"/threads/{tid}/runs/wait", json=RUN_BODY, headers=auth())).status_code == 200
        for path, body in [("/chat", {"message": "hi"}), (f"/threads/{tid}/runs/wait", RUN_BODY),
                           ("/api/risk/position/summary", {"message": "hi"})]:
            response = await client.post(path, json=body, headers=auth())
            problem = _is_problem(response, 429)
            # 2/minute: one request every 30 s once the burst of 2 is spent.
            assert 25 <= int(response.headers["retry-after"]) <= 30 and "2/minute" in problem["detail"]
        # Reads are not limited, and another user has their own budget.
        assert (await client.get(f"/threads/{tid}", headers=auth())).status_code == 200
        assert (await client.post("/chat", json={"message": "hi"}, headers=auth("trader_li"))).status_code == 200


async def test_genai_endpoints_report_the_served_chain(redis_url, redis_prefix, fxdesk_home):
    async with desk_client(redis_url, redis_prefix, admin_users="compliance_omar") as client:
        await client.post("/chat", json={"message": "what is my VaR?"}, headers=auth())
        [provider] = (await client.get("/genai/providers", headers=auth())).json()
        assert provider["name"] == "offline" and provider["position"] == 0 and provider["breaker"] == "closed"
        health = (await client.get("/genai/providers/offline/health", headers=auth())).json()
        assert health["status"] == "up" and health["consecutive_failures"] == 0
        problem = _is_problem(await client.get("/genai/providers/nope/health", headers=auth()), 404)
        assert "offline" in problem["detail"]
        admin = auth("compliance_omar", "compliance")
        usage = (await client.get("/genai/usage", headers=admin)).json()
        [row] = usage["models"]
        # The served graph's own chain: the turn above went through it (supervisor, desk, answer).
        assert row["provider"] == "offline" and row["requests"] >= 2 and usage["requests"] == row["requests"]
        assert (await client.get("/genai/usage")).status_code == 401

        denied = _is_problem(await client.post("/genai/providers/offline/check", headers=auth()), 403)
        assert "administrator" in denied["detail"]
        # Admin rights come from FXDESK_ADMIN_USERS only; a token's role claim grants nothing (issue 12).
        _is_problem(await client.post("/genai/providers/offline/check", headers=auth("trader_aruna", "admin")), 403)
        for _ in range(2):
            response = await client.post("/genai/providers/offline/check", headers=admin)
            check = response.json()
            assert response.status_code == 200 and check["ok"] is True and check["error"] is None
            assert check["answer_chars"] > 0 and check["latency_ms"] > 0
        after = (await client.get("/genai/usage", headers=admin)).json()
        assert after["requests"] == usage["requests"] + 2  # exactly the two checks
        _is_problem(await client.post("/genai/providers/nope/check", headers=admin), 404)


async def test_metrics_count_requests_runs_by_route_tool_calls_and_model_usage(redis_url, redis_prefix, fxdesk_home):
    async with desk_client(redis_url, redis_prefix) as client:
        await client.post("/chat", json={"message": "What's my EUR/USD exposure today?"}, headers=auth())
        await client.post("/chat", json={"message": "what is my position in book FX-EM?"}, headers=auth())
        await client.post("/chat", json={"message": "hi"})
        tid = (await client.post("/threads", json={}, headers=auth())).json()["thread_id"]
        var = {**RUN_BODY, "input": {"messages": [{"role": "user", "content": "what is my VaR?"}]}}
        assert (await client.post(f"/threads/{tid}/runs/wait", json=var, headers=auth())).status_code == 200
        paused = await client.post("/chat", json={"message": "would buying 200m cable breach my limits?"},
                                   headers=auth())
        text = (await client.get("/metrics")).text
    assert paused.status_code == 200
    assert 'fxdesk_http_requests_total{method="POST",route="/chat",status="200"} 3.0' in text
    assert 'fxdesk_http_requests_total{method="POST",route="/chat",status="401"} 1.0' in text
    # Runs of /chat and of the LangGraph API alike, by desk route and outcome.
    assert 'fxdesk_runs_total{outcome="success",route="position_risk"} 3.0' in text
    assert 'fxdesk_runs_total{outcome="interrupted",route="position_risk>compliance"} 1.0' in text
    assert 'fxdesk_tool_calls_total{decision="allowed",tool="get_var"} 1.0' in text
    assert 'fxdesk_tool_calls_total{decision="allowed",tool="get_net_open_position"} 1.0' in text
    assert 'fxdesk_tool_calls_total{decision="denied",tool="get_net_open_position"} 1.0' in text
    assert 'fxdesk_model_requests_total{model="fxdesk-offline",provider="offline"}' in text


async def test_every_request_is_audited_in_the_log_and_the_audit_table(redis_url, redis_prefix, fxdesk_home, caplog):
    caplog.set_level(logging.INFO, logger="fxdesk.audit")
    async with desk_client(redis_url, redis_prefix) as client:
        turn = (await client.post("/chat", json={"message": "what is my VaR?"}, headers=auth())).json()
        tid = turn["thread_id"]
        run = (await client.post(f"/threads/{tid}/runs", json=RUN_BODY, headers=auth())).json()
        await client.get(f"/threads/{tid}/runs/{run['run_id']}/join", headers=auth())
        await client.post("/api/risk/position/summary", json={"message": "hi", "context": {"user_id": "trader_li"}},
                          headers=auth())
        await client.get("/healthz")
        await client.app.state.services.audit.flush()
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "fxdesk.audit"]
    chat_line = next(line for line in lines if line["route"] == "/chat")
    assert chat_line | {"at": None, "duration_ms": None, "run_id": None} == {
        "event": "http_request", "at": None, "user_id": "trader_aruna", "role": "trader", "method": "POST",
        "route": "/chat", "status": 200, "duration_ms": None, "thread_id": tid, "run_id": None,
        "decision": "allowed"}
    assert chat_line["run_id"] and chat_line["duration_ms"] > 0
    db = Database.from_url()
    with db.engine.connect() as conn:
        rows = conn.execute(select(schema.audit).where(schema.audit.c.thread_id == tid)
                            .where(schema.audit.c.tool.like("http:%")).order_by(schema.audit.c.audit_id)).all()
        denied = conn.execute(select(schema.audit).where(schema.audit.c.tool == "http:POST /api/risk/position/summary")
                              .where(schema.audit.c.decision == "denied")).all()
        health = conn.execute(select(schema.audit).where(schema.audit.c.tool == "http:GET /healthz")).all()
    db.engine.dispose()
    assert [(r.tool, r.decision, r.user_id, r.role) for r in rows] == [
        ("http:POST /chat", "allowed", "trader_aruna", "trader"),
        ("http:POST /threads/{thread_id}/runs", "allowed", "trader_aruna", "trader"),
        ("http:GET /threads/{thread_id}/runs/{run_id}/join", "allowed", "trader_aruna", "trader"),
    ]
    assert rows[0].run_id == chat_line["run_id"] and rows[1].run_id == run["run_id"] == rows[2].run_id
    assert denied and denied[-1].detail.startswith("403 in ")
    assert health and health[-1].user_id == "anonymous"


async def test_panel_serves_the_pair_universe_and_book_level_gauges(redis_url, redis_prefix, fxdesk_home):
    """Issue 13: the web desk reads its pair list from the server, and its limit gauges are the book's."""
    async with desk_client(redis_url, redis_prefix) as client:
        pairs = (await client.get("/desk/panel/pairs", headers=auth())).json()
        assert len(pairs["pairs"]) == 15 and "RUB" in pairs["currencies"]
        assert pairs["nicknames"]["cable"] == "GBPUSD" and set(pairs["nicknames"].values()) <= {
            p["pair"] for p in pairs["pairs"]}
        assert {"pair": "EURUSD", "base": "EUR", "quote": "USD", "region": "G10", "book": "FX-G10",
                "decimals": 5} in pairs["pairs"]
        positions = (await client.get("/desk/panel/positions", headers=auth())).json()
        limits = positions["limits"]["result"]
        eur = next(r for r in limits["nop"] if r["currency"] == "EUR")
        assert (eur["utilisation_pct"], eur["status"]) == (111.86, "breach")  # the book, not the caller's slice
        assert limits["basis"].startswith("book")
