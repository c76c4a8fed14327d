"""fxdesk's own endpoints on the real `fxdesk serve` app: /chat, /api/risk/position/summary, scope, ownership."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from uuid import uuid4

import pytest
from langgraph.prebuilt import ToolRuntime
from sqlalchemy import select

from data import schema
from data.database import Database
from server.runs.registry import assistant_id_for
from tests.integration.server.conftest import auth, token_for
from tests.integration.server.desk_app import desk_client
from tools.context import Context
from tools.position_risk.tools import build_tools
from tools.scope import ScopeGate
from tools.users import context_for

BRIEF_BODY = {"message": "What's my EUR/USD exposure today?",
              "context": {"user_id": "trader_aruna", "books": ["FX-G10"], "customers": ["Cust203"]}}
TURN_FIELDS = ["thread_id", "user_id", "route", "tool_calls", "answer", "model"]


@pytest.fixture
async def client(redis_url, redis_prefix, fxdesk_home):
    async with desk_client(redis_url, redis_prefix) as client:
        yield client


def _tool_result(db: Database, context: Context, name: str, args: dict) -> dict:
    tool = {t.name: t for t in build_tools(ScopeGate(db))}[name]
    runtime = ToolRuntime(state={}, context=context, config={"configurable": {"thread_id": f"t-{uuid4().hex}"}},
                          stream_writer=lambda _chunk: None, tool_call_id="call-1", store=None)
    return tool.invoke({**args, "runtime": runtime})


async def test_brief_position_summary_returns_arunas_eurusd_figures_as_the_tool_computes_them(client, desk_db):
    response = await client.post("/api/risk/position/summary", json=BRIEF_BODY, headers=auth())
    assert response.status_code == 200, response.text
    turn = response.json()
    assert list(turn) == TURN_FIELDS
    assert turn["user_id"] == "trader_aruna" and turn["route"] == ["position_risk"]
    [call] = turn["tool_calls"]
    assert (call["agent"], call["name"], call["args"]) == ("position_risk", "get_net_open_position", {"pair": "EURUSD"})
    # The same tool, called directly on an independently built demo database in the narrowed scope.
    narrowed = context_for(desk_db, "trader_aruna").narrowed(books=("FX-G10",), customers=("Cust203",))
    expected = _tool_result(desk_db, narrowed, "get_net_open_position", call["args"])
    assert call["result"] == expected
    [row] = expected["pairs"]
    assert row["pair"] == "EURUSD" and row["book"] == "FX-G10"
    assert f"{row['net_base']:,.0f} EUR" in turn["answer"]
    assert turn["model"] == "offline:fxdesk-offline"


async def test_chat_follow_up_in_the_same_thread_carries_the_pair(client):
    first = (await client.post("/chat", json={"message": "What's my EUR/USD exposure today?"}, headers=auth())).json()
    follow = await client.post("/chat", json={"message": "and the P&L this week?", "thread_id": first["thread_id"]},
                               headers=auth())
    assert follow.status_code == 200, follow.text
    turn = follow.json()
    assert turn["thread_id"] == first["thread_id"]
    [call] = turn["tool_calls"]
    assert call["name"] == "get_pnl" and call["args"]["pair"] == "EURUSD" and call["result"]["status"] == "ok"


@pytest.mark.parametrize("context, needle", [
    ({"user_id": "trader_li"}, "trader_li"),
    ({"user_id": "trader_aruna", "books": ["FX-EM"]}, "FX-EM"),
    ({"customers": ["Cust310"]}, "Cust310"),
])
async def test_context_naming_another_user_or_widening_scope_is_403(client, context, needle):
    response = await client.post("/api/risk/position/summary", json={**BRIEF_BODY, "context": context},
                                 headers=auth())
    assert response.status_code == 403
    problem = response.json()
    assert problem["status"] == 403 and needle in problem["detail"]
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_another_users_thread_is_404_on_chat(client):
    theirs = (await client.post("/chat", json={"message": "hi"}, headers=auth("trader_li"))).json()["thread_id"]
    response = await client.post("/chat", json={"message": "what is my position?", "thread_id": theirs},
                                 headers=auth())
    assert response.status_code == 404 and response.json()["status"] == 404


@pytest.mark.parametrize("headers, reason", [
    ({}, "Missing Authorization header"),
    ({"Authorization": "Bearer not-a-token"}, "not valid"),
    ({"Authorization": f"Bearer {token_for('trader_aruna', 'trader', timedelta(minutes=-5))}"}, "expired"),
])
async def test_missing_invalid_or_expired_token_is_401_problem(client, headers, reason):
    for path, body in (("/chat", {"message": "hi"}), ("/api/risk/position/summary", BRIEF_BODY)):
        response = await client.post(path, json=body, headers=headers)
        assert response.status_code == 401, response.text
        problem = response.json()
        assert problem["status"] == 401 and reason in problem["detail"]
        assert response.headers["www-authenticate"] == "Bearer"


def _pre_trade_decisions(thread_id: str) -> list[str]:
    db = Database.from_url()
    with db.engine.connect() as conn:
        decisions = conn.execute(select(schema.pre_trade_log.c.decision)
                                 .where(schema.pre_trade_log.c.thread_id == thread_id)).scalars().all()
    db.engine.dispose()
    return list(decisions)


async def test_paused_confirmation_takes_the_next_chat_message_as_the_answer(client):
    asked = (await client.post("/chat", json={"message": "would buying 200m cable breach my limits?"},
                               headers=auth())).json()
    assert [c["name"] for c in asked["tool_calls"]] == ["what_if_trade", "pre_trade_check"]
    assert asked["tool_calls"][1]["result"]["verdict"] == "breach" and "Confirm" in asked["answer"]
    confirmed = await client.post("/chat", json={"message": "yes", "thread_id": asked["thread_id"]}, headers=auth())
    assert confirmed.status_code == 200, confirmed.text
    assert "Confirm it anyway" not in confirmed.json()["answer"]
    decisions = _pre_trade_decisions(asked["thread_id"])
    assert decisions == ["confirmed"]


async def test_a_new_question_on_a_paused_confirmation_declines_the_check_and_is_answered(client):
    """A message that is no yes/no answer is not lost: the check is recorded as cancelled, the message answered."""
    asked = (await client.post("/chat", json={"message": "would buying 200m cable breach my limits?"},
                               headers=auth())).json()
    assert asked["tool_calls"][1]["result"]["verdict"] == "breach" and "Confirm" in asked["answer"]
    followed = await client.post("/chat", json={"message": "what's my pnl today?", "thread_id": asked["thread_id"]},
                                 headers=auth())
    assert followed.status_code == 200, followed.text
    assert [c["name"] for c in followed.json()["tool_calls"]] == ["get_pnl"]
    assert "Confirm it anyway" not in followed.json()["answer"]
    decisions = _pre_trade_decisions(asked["thread_id"])
    assert decisions == ["cancelled"]
    state = (await client.get(f"/threads/{asked['thread_id']}/state", headers=auth())).json()
    humans = [m["content"] for m in state["values"]["messages"] if m["type"] == "human"]
    assert humans == ["would buying 200m cable breach my limits?", "what's my pnl today?"]


async def test_chat_on_a_busy_thread_runs_after_the_current_run_never_interleaved(client):
    tid = (await client.post("/chat", json={"message": "hi"}, headers=auth())).json()["thread_id"]
    background = await client.post(f"/threads/{tid}/runs", headers=auth(), json={
        "assistant_id": assistant_id_for("fxdesk"),
        "input": {"messages": [{"role": "user", "content": "what is my VaR?"}]}})
    assert background.status_code == 200, background.text
    chat = await client.post("/chat", json={"message": "and my P&L today?", "thread_id": tid}, headers=auth())
    assert chat.status_code == 200, chat.text
    assert [c["name"] for c in chat.json()["tool_calls"]] == ["get_pnl"]
    run = (await client.get(f"/threads/{tid}/runs/{background.json()['run_id']}", headers=auth())).json()
    assert run["status"] == "success"
    state = (await client.get(f"/threads/{tid}/state", headers=auth())).json()
    humans = [m["content"] for m in state["values"]["messages"] if m["type"] == "human"]
    assert humans == ["hi", "what is my VaR?", "and my P&L today?"]
    kinds = [m["type"] for m in state["values"]["messages"]]
    # Each human message is answered before the next one is taken: no two human messages in a row.
    assert not any(a == b == "human" for a, b in zip(kinds, kinds[1:], strict=False))


async def test_openapi_lists_the_desk_endpoints_with_their_models(client):
    spec = (await client.get("/openapi.json")).json()
    for path, method in [("/chat", "post"), ("/api/risk/position/summary", "post"), ("/genai/providers", "get"),
                         ("/genai/providers/{name}/health", "get"), ("/genai/providers/{name}/check", "post"),
                         ("/genai/usage", "get"), ("/healthz", "get"), ("/readyz", "get"), ("/metrics", "get")]:
        assert method in spec["paths"][path], path
    chat = spec["paths"]["/chat"]["post"]
    assert chat["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/ChatRequest")
    assert chat["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/TurnResponse")
    assert {"401", "403", "404", "413", "422", "429"} <= set(chat["responses"])
    assert set(spec["components"]["schemas"]["TurnResponse"]["properties"]) == set(TURN_FIELDS)
    assert (await client.get("/docs")).status_code == 200


async def test_concurrent_chats_in_one_thread_each_get_their_own_turn(client):
    tid = (await client.post("/chat", json={"message": "hi"}, headers=auth())).json()["thread_id"]
    questions = ["what is my VaR?", "show my limit utilisation"]
    answers = await asyncio.gather(*(client.post("/chat", json={"message": q, "thread_id": tid}, headers=auth())
                                     for q in questions))
    assert [a.status_code for a in answers] == [200, 200]
    assert [a.json()["tool_calls"][0]["name"] for a in answers] == ["get_var", "get_limit_utilisation"]


async def test_dev_mode_lets_context_user_id_stand_in_for_a_token(redis_url, redis_prefix, fxdesk_home):
    async with desk_client(redis_url, redis_prefix, dev=True, rate_limit="1/minute") as client:
        response = await client.post("/api/risk/position/summary", json=BRIEF_BODY)
        assert response.status_code == 200, response.text
        assert response.json()["user_id"] == "trader_aruna"
        # The stand-in user is rate limited like a token's user.
        again = await client.post("/api/risk/position/summary", json=BRIEF_BODY)
        assert again.status_code == 429 and again.headers["retry-after"]
        # Without a token or a context there is no user: 401, never an anonymous turn.
        assert (await client.post("/chat", json={"message": "hi"})).status_code == 401
