"""Thread, run and assistant ids are checked against one documented rule before any key is built (issue 12)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
import redis
from sqlalchemy import select

from data import schema
from server.ids import is_safe_id
from server.runs.registry import assistant_id_for
from tests.integration.server.conftest import auth
from tests.integration.server.hardening import RUN_INPUT, answering_client, assert_problem

BAD_IDS = ["x" * 10_000, "*{}", "../", "}", "a}b", "a:runs", "", ".hidden", "a b", "é", "x" * 65]
FXDESK = assistant_id_for("fxdesk")


def _keys(redis_url: str, prefix: str) -> list[bytes]:
    client = redis.Redis.from_url(redis_url)
    try:
        return list(client.scan_iter(match=f"{prefix}*"))
    finally:
        client.close()


async def test_bad_thread_ids_in_bodies_are_422_and_write_nothing(redis_url, redis_prefix, fxdesk_home):
    """Issue 12 finding 2: any string was accepted as a thread id (10k characters, ``*{}``, ``../``, ``}``)."""
    async with answering_client(redis_url, redis_prefix) as client:
        for bad in BAD_IDS:
            assert_problem(await client.post("/threads", json={"thread_id": bad}, headers=auth()), 422, "thread_id")
            assert_problem(await client.post("/chat", json={"message": "hi", "thread_id": bad}, headers=auth()),
                           422, "thread_id")
        assert not [k for k in _keys(redis_url, redis_prefix) if b"api:" in k]


@pytest.mark.parametrize("path", ["/threads/{id}", "/threads/{id}/state", "/threads/{id}/history",
                                  "/threads/{id}/runs", "/threads/ok/runs/{id}", "/assistants/{id}"])
async def test_bad_ids_in_paths_are_422(redis_url, redis_prefix, fxdesk_home, path):
    """Issue 12 finding 2: ids in paths follow the same rule (and are 422 before any lookup)."""
    async with answering_client(redis_url, redis_prefix) as client:
        for bad in ["x" * 10_000, "*{}", "}", "a:runs", "a b"]:
            response = await client.get(path.replace("{id}", quote(bad, safe="")), headers=auth())
            assert_problem(response, 422, "must be 1 to 64 characters")


async def test_another_users_runs_key_cannot_be_created_and_aruna_keeps_running(redis_url, redis_prefix,
                                                                               fxdesk_home):
    """Issue 12 finding 2: trader_li creating ``<aruna's thread>:runs`` made aruna's runs a WRONGTYPE 500."""
    async with answering_client(redis_url, redis_prefix) as client:
        tid = (await client.post("/threads", json={}, headers=auth())).json()["thread_id"]
        response = await client.post("/threads", json={"thread_id": f"{tid}:runs"}, headers=auth("trader_li"))
        assert_problem(response, 422, "thread_id")
        run = await client.post(f"/threads/{tid}/runs/wait", json={"assistant_id": FXDESK, "input": RUN_INPUT},
                                headers=auth())
        assert run.status_code == 200, run.text
        listed = await client.get(f"/threads/{tid}/runs", headers=auth())
        assert listed.status_code == 200 and len(listed.json()) == 1


async def test_x_runs_then_x_leaves_runs_on_x_working(redis_url, redis_prefix, fxdesk_home):
    """Issue 12 finding 2: creating ``X:runs`` then ``X`` made every run on ``X`` a 500."""
    async with answering_client(redis_url, redis_prefix) as client:
        assert_problem(await client.post("/threads", json={"thread_id": "X:runs"}, headers=auth()), 422)
        assert (await client.post("/threads", json={"thread_id": "X"}, headers=auth())).status_code == 200
        run = await client.post("/threads/X/runs/wait", json={"assistant_id": FXDESK, "input": RUN_INPUT},
                                headers=auth())
        assert run.status_code == 200, run.text
        assert (await client.get("/threads/X/runs", headers=auth())).status_code == 200


async def test_ids_within_the_rule_work_and_the_audit_never_gets_more_than_64_characters(redis_url, redis_prefix,
                                                                                         fxdesk_home):
    """Issue 12 finding 2: the audit column is VARCHAR(64); a 64-character id is the longest that reaches it."""
    longest = "T" * 63 + "9"
    async with answering_client(redis_url, redis_prefix) as client:
        for good in [longest, "desk.review-2026_11", "0"]:
            created = await client.post("/threads", json={"thread_id": good}, headers=auth())
            assert created.status_code == 200 and created.json()["thread_id"] == good
        assert (await client.get(f"/threads/{longest}", headers=auth())).status_code == 200
        assert_problem(await client.get("/threads/" + "y" * 10_000, headers=auth()), 422)
        await client.app.state.services.audit.flush()
        with client.app.state.services.db.engine.connect() as conn:
            rows = conn.execute(select(schema.audit.c.thread_id, schema.audit.c.tool, schema.audit.c.args)).all()
        ids = [r[0] for r in rows if r[0]]
        assert longest in ids and all(is_safe_id(i) for i in ids)
        refused = [r for r in rows if r[1] == "http:GET /threads/{thread_id}" and '"status": 422' in r[2]]
        assert refused and all(r[0] is None for r in refused)


async def test_creating_another_users_thread_id_answers_like_any_thread_that_is_not_yours(redis_url, redis_prefix,
                                                                                        fxdesk_home):
    """Issue 12 finding 9: POST /threads with another user's id answered 409 "already exists" (an oracle)."""
    async with answering_client(redis_url, redis_prefix) as client:
        tid = (await client.post("/threads", json={"thread_id": "aruna-q4-review"}, headers=auth())).json()["thread_id"]
        li = auth("trader_li")
        for if_exists in (None, "raise", "do_nothing"):
            body = {"thread_id": tid, **({"if_exists": if_exists} if if_exists else {})}
            created = await client.post("/threads", json=body, headers=li)
            looked_up = await client.get(f"/threads/{tid}", headers=li)
            assert_problem(created, 404)
            assert created.json() == looked_up.json()  # the same answer as for any id that is not li's
        assert_problem(await client.post("/threads", json={"thread_id": tid}, headers=auth()), 409, "already exists")
        own = await client.post("/threads", json={"thread_id": tid, "if_exists": "do_nothing"}, headers=auth())
        assert own.status_code == 200 and own.json()["thread_id"] == tid
        assert (await client.get(f"/threads/{tid}", headers=auth())).status_code == 200
