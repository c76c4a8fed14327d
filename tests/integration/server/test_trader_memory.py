"""Trader memory on the real fxdesk graph and Redis store: kept across threads, shown, forgotten (issue 15)."""

from __future__ import annotations

import pytest

from server.runs.registry import assistant_id_for
from tests.integration.server.conftest import auth
from tests.integration.server.desk_app import desk_client

pytestmark = pytest.mark.slow
ASSISTANT = assistant_id_for("fxdesk")


@pytest.fixture
async def client(redis_url, redis_prefix, fxdesk_home):
    async with desk_client(redis_url, redis_prefix) as client:
        yield client


async def _say(client, thread_id: str, text: str, user: str = "trader_aruna", role: str = "trader") -> str:
    response = await client.post(f"/threads/{thread_id}/runs/wait", headers=auth(user, role), json={
        "assistant_id": ASSISTANT, "input": {"messages": [{"role": "user", "content": text}]}})
    assert response.status_code == 200, response.text
    return response.json()["messages"][-1]["content"]


async def _thread(client, user: str = "trader_aruna", role: str = "trader") -> str:
    return (await client.post("/threads", json={}, headers=auth(user, role))).json()["thread_id"]


async def test_what_a_trader_states_is_remembered_in_a_new_thread_shown_and_forgotten(client):
    first = await _thread(client)
    assert (await _say(client, first, "I only trade the London session")).startswith("Noted")
    await _say(client, first, "call EURUSD fibre")
    await _say(client, first, "my daily loss limit is 50k")
    second = await _thread(client)
    shown = await _say(client, second, "what do you remember about me?")
    for fact in ("you only trade the London session", "'fibre' means EURUSD", "your daily loss limit is 50k"):
        assert fact in shown
    assert await _say(client, second, "forget that") == "Forgotten: your daily loss limit is 50k."
    items = (await client.post("/store/items/search", headers=auth(), json={
        "namespace_prefix": ["users", "trader_aruna", "memories"], "limit": 100})).json()["items"]
    assert sorted(i["key"] for i in items) == ["nickname-fibre", "preference-trade-the-london-session"]
    li_thread = await _thread(client, "trader_li")
    assert await _say(client, li_thread, "what do you remember about me", "trader_li") == \
        "I don't have anything remembered about you yet."


async def test_desk_questions_still_reach_the_desks(client):
    thread = await _thread(client)
    answer = await _say(client, thread, "What's my EUR/USD exposure today?")
    assert not answer.startswith(("Noted", "Forgotten", "Here is what I remember"))


async def test_a_remembered_nickname_is_used_in_answers_in_a_new_thread(client):
    """Issue 15: a trader who said "call EURUSD fibre" sees "fibre" in the desk's answers."""
    await _say(client, await _thread(client), "call EURUSD fibre")
    answer = await _say(client, await _thread(client), "What's my EUR/USD exposure today?")
    assert "fibre (EURUSD)" in answer or "fibre (EUR/USD)" in answer, answer
    li = await _say(client, await _thread(client, "trader_li"), "What's my USD/MXN exposure today?", "trader_li")
    assert "fibre" not in li
