"""Issue 12 findings 4, 5 and 9: panel and anonymous rate limits on real Redis; admin rights from the server only."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import func, select

from data import schema
from data.database import Database
from llm.config import load_models
from tests.integration.server.conftest import auth
from tests.integration.server.desk_app import desk_client


def _problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["detail"]
    return body


async def test_panel_request_is_charged_its_tool_calls_and_answers_429_with_retry_after(
        redis_url, redis_prefix, fxdesk_home):
    """Regression for issue 12 (finding 4): pnl?days=N fanned out to N tool calls with no limit at all."""
    # 5 tool calls per hour, all at once: one pnl?days=5 spends the whole budget.
    async with desk_client(redis_url, redis_prefix, panel_rate_limit="5/hour", panel_rate_burst=5) as client:
        assert (await client.get("/desk/panel/pnl?days=5", headers=auth())).status_code == 200
        refused = await client.get("/desk/panel/journal", headers=auth())
        problem = _problem(refused, 429)
        # One tool call every 720 s at 5/hour: the next one is about 720 s away.
        assert 700 <= int(refused.headers["retry-after"]) <= 720
        assert "5/hour" in problem["detail"] and "tool calls" in problem["detail"]
        # The budget is per user, and separate from the run limit.
        assert (await client.get("/desk/panel/journal", headers=auth("trader_li"))).status_code == 200
        assert (await client.post("/chat", json={"message": "hi"}, headers=auth())).status_code == 200


async def test_positions_cost_three_tool_calls(redis_url, redis_prefix, fxdesk_home):
    """Regression for issue 12 (finding 4): the charge is the request's tool calls, not one per request."""
    async with desk_client(redis_url, redis_prefix, panel_rate_limit="4/hour", panel_rate_burst=4) as client:
        assert (await client.get("/desk/panel/positions", headers=auth())).status_code == 200  # 3 of 4
        assert (await client.get("/desk/panel/behaviour", headers=auth())).status_code == 200  # 4 of 4
        _problem(await client.get("/desk/panel/rates?pair=EURUSD", headers=auth()), 429)


async def test_bad_tokens_from_one_address_are_refused_429_before_auth_and_audit(redis_url, redis_prefix, fxdesk_home):
    """Regression for issue 12 (finding 4): 50 bad tokens wrote 50 audit rows in 0.09 s."""
    started = datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=1)
    async with desk_client(redis_url, redis_prefix, anonymous_rate_limit="10/hour", anonymous_rate_burst=5) as client:
        statuses = []
        for _ in range(50):
            bad_token = {"Authorization": f"Bearer {secrets.token_hex(8)}"}
            response = await client.get("/threads/whatever", headers=bad_token)
            statuses.append(response.status_code)
        assert statuses[:5] == [401] * 5 and statuses[5:] == [429] * 45
        refused = await client.get("/threads/whatever")  # no token at all counts the same
        problem = _problem(refused, 429)
        assert 1 <= int(refused.headers["retry-after"]) <= 360 and "without a valid token" in problem["detail"]
        # A valid token from the same address is not charged; public probes are exempt.
        assert (await client.get("/threads/whatever", headers=auth())).status_code == 404
        assert (await client.get("/healthz")).status_code == 200
        # Another address has its own budget.
        other = httpx.AsyncClient(transport=httpx.ASGITransport(app=client.app, client=("10.20.30.40", 5000)),
                                  base_url="http://fxdesk.test")
        async with other:
            assert (await other.get("/threads/whatever")).status_code == 401
        await client.app.state.services.audit.flush()
        metrics = (await client.get("/metrics")).text
    with Database.from_url().engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(schema.audit)
                            .where(schema.audit.c.tool == "http:GET /threads/{thread_id}")
                            .where(schema.audit.c.user_id == "anonymous")
                            .where(schema.audit.c.at >= started)).scalar_one()
    assert rows == 6  # the 5 of the burst from 127.0.0.1 and the one from the other address
    # Answered before routing: counted in /metrics as unmatched 429s, not written to the audit table.
    assert 'fxdesk_http_requests_total{method="GET",route="<unmatched>",status="429"} 46.0' in metrics


async def test_admin_role_claim_in_a_token_grants_nothing(redis_url, redis_prefix, fxdesk_home):
    """Regression for issue 12 (finding 5): a token claiming role=admin got the admin endpoints."""
    async with desk_client(redis_url, redis_prefix, admin_users="compliance_omar") as client:
        claims_admin = auth("trader_aruna", "admin")
        for method, path in [("post", "/genai/providers/offline/check"), ("get", "/genai/usage")]:
            problem = _problem(await client.request(method.upper(), path, headers=claims_admin), 403)
            assert "FXDESK_ADMIN_USERS" in problem["detail"]
            assert (await client.request(method.upper(), path, headers=auth("compliance_omar", "compliance"))
                    ).status_code == 200


async def test_usage_and_provider_base_urls_are_for_administrators_only(redis_url, redis_prefix, fxdesk_home):
    """Regression for issue 12 (finding 9): any logged-in user read everyone's usage and the provider URLs."""
    async with desk_client(redis_url, redis_prefix, admin_users="compliance_omar") as client:
        services = client.app.state.services
        services.runtime = replace(services.runtime, models=load_models({
            "FXDESK_MODELS": "openai:gpt-test,offline", "OPENAI_API_KEY": "sk-test",
            "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}))
        _problem(await client.get("/genai/usage", headers=auth()), 403)
        as_trader = (await client.get("/genai/providers", headers=auth())).json()
        as_admin = (await client.get("/genai/providers", headers=auth("compliance_omar", "compliance"))).json()
    assert [p["name"] for p in as_trader] == [p["name"] for p in as_admin] and len(as_admin) == 2
    assert all(p["base_url"] is None for p in as_trader)
    assert as_admin[0]["base_url"] == "http://127.0.0.1:9/v1"


async def test_dev_mode_requests_without_a_token_are_not_anonymous(redis_url, redis_prefix, fxdesk_home):
    """Under --dev (loopback) a request without a token names its user in the body: not charged as anonymous."""
    async with desk_client(redis_url, redis_prefix, dev=True, anonymous_rate_limit="1/hour",
                           anonymous_rate_burst=1) as client:
        body = {"message": "hi", "context": {"user_id": "trader_aruna"}}
        responses = [await client.post("/api/risk/position/summary", json=body) for _ in range(3)]
        assert [r.status_code for r in responses] == [200, 200, 200], responses[0].text
        bad = {"Authorization": "Bearer not-a-token"}
        assert [(await client.get("/threads/x", headers=bad)).status_code for _ in range(2)] == [401, 429]
