"""Report schedules from chat on the real desk graph and Redis: a cron, its tick, list, cancel, scope (issue 15)."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime

import pytest
from sqlalchemy import select

from data import schema
from server.crons import CronScheduler
from server.runs.registry import assistant_id_for
from tests.integration.server.conftest import auth
from tests.integration.server.desk_app import desk_client

pytestmark = pytest.mark.slow
ASSISTANT = assistant_id_for("fxdesk")
ASK = "every weekday at 17:00 New York send me the limit breaches"


@pytest.fixture
async def client(redis_url, redis_prefix, fxdesk_home):
    async with desk_client(redis_url, redis_prefix) as client:
        yield client


async def _say(client, text: str, user: str = "trader_aruna", role: str = "trader") -> str:
    thread = (await client.post("/threads", json={}, headers=auth(user, role))).json()["thread_id"]
    response = await client.post(f"/threads/{thread}/runs/wait", headers=auth(user, role), json={
        "assistant_id": ASSISTANT, "input": {"messages": [{"role": "user", "content": text}]}})
    assert response.status_code == 200, response.text
    return response.json()["messages"][-1]["content"]


async def _crons(client, user: str = "trader_aruna", role: str = "trader") -> list[dict]:
    response = await client.post("/runs/crons/search", headers=auth(user, role), json={"limit": 100})
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_schedule_said_in_chat_is_a_real_cron_whose_tick_delivers_the_report_to_an_inbox_thread(client):
    answer = await _say(client, ASK)
    assert answer.startswith("Scheduled: **limit breaches**"), answer
    [cron] = await _crons(client)
    assert (cron["schedule"], cron["timezone"]) == ("0 17 * * 1-5", "America/New_York")
    assert cron["metadata"]["report"] == "get_limit_breaches" and cron["assistant_id"] == ASSISTANT
    assert cron["cron_id"] in answer and cron["next_run_date"]
    inbox = await client.get(f"/threads/{cron['thread_id']}", headers=auth())
    assert inbox.status_code == 200 and inbox.json()["metadata"]["title"].startswith("Scheduled: limit breaches")
    assert (await client.get(f"/threads/{cron['thread_id']}", headers=auth("trader_li"))).status_code == 404

    # Fire the tick now as if it were 17:00 New York: one run on the inbox thread, as aruna, with the breaches.
    ticker = CronScheduler(client.app.state.crons, client.app.state.services)
    assert await ticker.fire_due(datetime.fromisoformat(cron["next_run_date"])) == 1
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        runs = (await client.get(f"/threads/{cron['thread_id']}/runs", headers=auth())).json()
        if runs and runs[0]["status"] in ("success", "error"):
            break
        await asyncio.sleep(0.2)
    assert [r["status"] for r in runs] == ["success"]
    state = (await client.get(f"/threads/{cron['thread_id']}/state", headers=auth())).json()
    assert "**Limit breaches**" in state["values"]["messages"][-1]["content"]
    [after] = await _crons(client)
    assert after["last_tick"]["run_id"] == runs[0]["run_id"] and "error" not in after["last_tick"]


async def test_schedules_are_listed_and_cancelled_from_chat(client):
    await _say(client, ASK)
    await _say(client, "send me my VaR every day at 7am London")
    listed = await _say(client, "what reports do I have scheduled")
    assert "**Your scheduled reports** (2)" in listed and "limit breaches" in listed and "VaR" in listed
    cancelled = await _say(client, "stop the 17:00 breach report")
    assert cancelled.startswith("Cancelled: **limit breaches** every weekday at 17:00"), cancelled
    assert [c["metadata"]["report"] for c in await _crons(client)] == ["get_var"]


async def test_a_trader_cannot_schedule_a_report_for_a_book_she_is_not_entitled_to(client):
    answer = await _say(client, "every weekday at 17:00 New York send me the limit breaches for FX-EM")
    assert "not entitled" in answer.lower() or "no access" in answer.lower(), answer
    assert await _crons(client) == []
    with client.app.state.services.db.engine.connect() as conn:
        rows = conn.execute(select(schema.audit).where(schema.audit.c.tool == "schedule_compliance_report",
                                                       schema.audit.c.user_id == "trader_aruna")
                            .order_by(schema.audit.c.at.desc())).mappings().all()
    assert rows and rows[0]["decision"] == "denied" and "FX-EM" in rows[0]["detail"]


async def test_a_bad_timezone_in_chat_is_a_clear_error_and_no_cron(client):
    answer = await _say(client, "every weekday at 17:00 in Atlantis time send me the limit breaches")
    assert "Unknown timezone 'atlantis'" in answer, answer
    assert await _crons(client) == []


async def test_a_refused_webhook_schedules_nothing_and_leaves_no_inbox_thread(client):
    """Webhooks need FXDESK_WEBHOOK_SECRET (unset here): the schedule is refused as the crons API refuses it."""
    before = (await client.post("/threads/search", headers=auth(), json={"limit": 100})).json()
    answer = await _say(client, "every weekday at 17:00 send the limit breaches to https://hooks.example.com/desk")
    assert "The schedule was refused: Webhooks are disabled" in answer, answer
    assert await _crons(client) == []
    after = (await client.post("/threads/search", headers=auth(), json={"limit": 100})).json()
    assert not [t for t in after if (t.get("metadata") or {}).get("inbox")]
    assert len(after) == len(before) + 1  # only the chat thread the question was asked on
