"""Webhooks from `fxdesk serve` to a real receiver on 127.0.0.1: signed, retried, dead-lettered (issue 15)."""

from __future__ import annotations

import asyncio

import httpx
import orjson
import pytest
from langgraph_sdk import get_client
from langgraph_sdk.errors import APIStatusError

from server.webhooks import SIGNATURE_HEADER, verify
from tests.integration.server.conftest import auth
from tests.integration.server.servers import start_fxdesk
from tests.integration.server.webhook_receiver import WebhookReceiver

pytestmark = pytest.mark.slow

SECRET = "webhook-test-secret"
CTX = {"user_id": "trader_aruna", "role": "trader"}


def user(text: str) -> dict:
    return {"messages": [{"role": "user", "content": text}]}


@pytest.fixture(scope="module")
def receiver():
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture(scope="module")
def server(server_env, tmp_path_factory):
    env = {**server_env, "FXDESK_WEBHOOK_SECRET": SECRET, "FXDESK_WEBHOOK_ALLOW_HOSTS": "127.0.0.1",
           "FXDESK_WEBHOOK_ATTEMPTS": "3", "FXDESK_WEBHOOK_BACKOFF_SECONDS": "0.05",
           "FXDESK_ADMIN_USERS": "compliance_omar"}
    server = start_fxdesk(tmp_path_factory.mktemp("webhooks"), env, timeout=180)
    yield server
    server.stop()


@pytest.fixture
def client(server):
    return get_client(url=server.url, headers=auth())


async def _delivery(client, thread_id: str, run_id: str) -> dict:
    for _ in range(200):
        run = await client.runs.get(thread_id, run_id)
        if "webhook_delivery" in run:
            return run["webhook_delivery"]
        await asyncio.sleep(0.05)
    raise AssertionError("no webhook delivery recorded on the run")


async def test_a_finished_run_posts_its_final_state_signed_over_timestamp_and_body(client, receiver):
    thread = await client.threads.create()
    run = await client.runs.create(thread["thread_id"], "echo", input=user("hook me"), context=CTX,
                                   webhook=f"{receiver.url}/done")
    [call] = receiver.wait_for("/done")
    assert verify(SECRET, call.body, call.headers[SIGNATURE_HEADER])
    assert not verify("wrong-secret", call.body, call.headers[SIGNATURE_HEADER])
    payload = orjson.loads(call.body)
    assert payload["run_id"] == run["run_id"] and payload["thread_id"] == thread["thread_id"]
    assert payload["status"] == "success" and payload["cancelled"] is False
    assert payload["values"]["messages"][-1]["content"].startswith("echo: hook me")
    assert "kwargs" not in payload
    delivery = await _delivery(client, thread["thread_id"], run["run_id"])
    assert delivery["status"] == "delivered" and delivery["attempts"] == 1 and delivery["last_status_code"] == 200


async def test_interrupted_and_cancelled_runs_report_their_status(client, receiver):
    thread = await client.threads.create()
    await client.runs.wait(thread["thread_id"], "echo", input=user("please approve"), context=CTX,
                           webhook=f"{receiver.url}/paused")
    paused = orjson.loads(receiver.wait_for("/paused")[0].body)
    assert paused["status"] == "interrupted" and paused["cancelled"] is False
    other = await client.threads.create()
    run = await client.runs.create(other["thread_id"], "echo", input=user("slow cancel"), context=CTX,
                                   webhook=f"{receiver.url}/cancelled")
    await asyncio.sleep(0.2)
    await client.runs.cancel(other["thread_id"], run["run_id"], wait=True)
    cancelled = orjson.loads(receiver.wait_for("/cancelled")[0].body)
    assert cancelled["status"] == "interrupted" and cancelled["cancelled"] is True


async def test_a_run_that_fails_reports_error_in_its_webhook(client, receiver):
    thread = await client.threads.create()
    run = await client.runs.create(thread["thread_id"], "echo", input=user("explode now"), context=CTX,
                                   webhook=f"{receiver.url}/failed")
    [call] = receiver.wait_for("/failed")
    assert verify(SECRET, call.body, call.headers[SIGNATURE_HEADER])
    payload = orjson.loads(call.body)
    assert payload["run_id"] == run["run_id"] and payload["status"] == "error" and payload["cancelled"] is False
    delivery = await _delivery(client, thread["thread_id"], run["run_id"])
    assert delivery["status"] == "delivered"


async def test_each_cron_tick_posts_its_runs_final_state_to_the_crons_webhook(client, receiver):
    cron = await client.crons.create("echo", schedule="* * * * * */2", input=user("cron report"), context=CTX,
                                     webhook=f"{receiver.url}/cron")
    try:
        call = receiver.wait_for("/cron", timeout=60)[0]  # the first tick (every 2 s), its run, then delivery
    finally:
        await client.crons.delete(cron["cron_id"])
    assert verify(SECRET, call.body, call.headers[SIGNATURE_HEADER])
    payload = orjson.loads(call.body)
    assert payload["status"] == "success"
    assert payload["values"]["messages"][-1]["content"].startswith("echo: cron report")
    assert payload["metadata"]["cron_id"] == cron["cron_id"]


async def test_a_failing_receiver_is_retried_with_backoff_until_it_answers(client, receiver):
    receiver.script["/flaky"] = [503, 500]
    thread = await client.threads.create()
    run = await client.runs.create(thread["thread_id"], "echo", input=user("retry me"), context=CTX,
                                   webhook=f"{receiver.url}/flaky")
    calls = receiver.wait_for("/flaky", 3)
    assert len({c.headers["X-Fxdesk-Delivery"] for c in calls}) == 1  # one delivery id across its attempts
    delivery = await _delivery(client, thread["thread_id"], run["run_id"])
    assert delivery["status"] == "delivered" and delivery["attempts"] == 3


async def test_a_receiver_that_never_answers_goes_to_the_dead_letters_and_the_run_is_unaffected(client, server,
                                                                                                receiver):
    receiver.script["/down"] = [500] * 10
    thread = await client.threads.create()
    run = await client.runs.create(thread["thread_id"], "echo", input=user("dead letter"), context=CTX,
                                   webhook=f"{receiver.url}/down")
    delivery = await _delivery(client, thread["thread_id"], run["run_id"])
    assert delivery["status"] == "failed" and delivery["attempts"] == 3 and delivery["last_error"] == "HTTP 500"
    assert (await client.runs.get(thread["thread_id"], run["run_id"]))["status"] == "success"
    admin = httpx.get(f"{server.url}/webhooks/dead-letters", headers=auth("compliance_omar", "compliance"))
    assert admin.status_code == 200
    [letter] = [d for d in admin.json() if d["run_id"] == run["run_id"]]
    assert letter["url"] == f"{receiver.url}/down" and letter["payload"]["status"] == "success"
    assert httpx.get(f"{server.url}/webhooks/dead-letters", headers=auth()).status_code == 403


@pytest.mark.parametrize("url", ["http://10.0.0.7/hook", "http://169.254.169.254/latest/meta-data",
                                 "http://localhost:9/hook", "file:///etc/passwd"])
async def test_webhooks_to_unlisted_private_or_odd_targets_are_refused_with_422(client, url):
    thread = await client.threads.create()
    with pytest.raises(APIStatusError) as err:
        await client.runs.create(thread["thread_id"], "echo", input=user("x"), context=CTX, webhook=url)
    assert err.value.response.status_code == 422
