"""Crons on `fxdesk serve`: ownership, validation, ticks on two replicas exactly once, a replica killed mid-tick.

Issue 15. Schedules use croniter's seconds field (``* * * * * */2``: every 2 s) so ticks come fast;
the assertions count runs and messages, never timings.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import redis
from langgraph_sdk import get_client
from langgraph_sdk.errors import APIStatusError, NotFoundError

from tests.integration.server.conftest import auth
from tests.integration.server.servers import fxdesk_replicas, start_fxdesk

pytestmark = pytest.mark.slow

CTX = {"user_id": "trader_aruna", "role": "trader"}
EVERY_2S = "* * * * * */2"


def user(text: str) -> dict:
    return {"messages": [{"role": "user", "content": text}]}


@pytest.fixture(scope="module")
def cron_env(server_env):
    return {**server_env, "FXDESK_CRON_POLL_SECONDS": "0.1"}


@pytest.fixture(scope="module")
def replicas(cron_env, tmp_path_factory):
    with fxdesk_replicas(tmp_path_factory.mktemp("cron-replicas"), cron_env) as servers:
        yield servers


async def _settled_runs(client, thread_id: str) -> list[dict]:
    for _ in range(300):
        runs = await client.runs.list(thread_id, limit=1000)
        if runs and all(r["status"] not in ("pending", "running") for r in runs):
            return runs
        await asyncio.sleep(0.1)
    raise AssertionError("runs did not settle")


async def _humans(client, thread_id: str) -> list[str]:
    values = (await client.threads.get_state(thread_id))["values"] or {}
    return [m["content"] for m in values.get("messages", []) if m["type"] == "human"]


async def test_a_cron_is_invisible_to_other_users(replicas):
    aruna = get_client(url=replicas[0].url, headers=auth())
    li = get_client(url=replicas[1].url, headers=auth("trader_li", "trader"))
    cron = await aruna.crons.create("echo", schedule="0 7 * * *", input=user("mine"), context=CTX)
    assert cron["cron_id"] not in [c["cron_id"] for c in await li.crons.search(limit=100)]
    with pytest.raises(NotFoundError):
        await li.crons.delete(cron["cron_id"])
    with pytest.raises(NotFoundError):
        await li.crons.update(cron["cron_id"], schedule="0 8 * * *")
    await aruna.crons.delete(cron["cron_id"])


@pytest.mark.parametrize(("schedule", "timezone", "named"), [
    ("0 17 * * 1-5", "Mars/Olympus_Mons", "Mars/Olympus_Mons"), ("0 25 * * *", "UTC", "0 25 * * *"),
    ("sometimes", "UTC", "5 fields")])
async def test_invalid_schedule_or_timezone_is_422_naming_the_problem(replicas, schedule, timezone, named):
    response = httpx.post(f"{replicas[0].url}/runs/crons", headers=auth(),
                          json={"assistant_id": "echo", "schedule": schedule, "timezone": timezone})
    assert response.status_code == 422 and named in response.json()["detail"]


async def test_a_cron_cannot_widen_its_creators_scope(replicas):
    aruna = get_client(url=replicas[0].url, headers=auth())
    with pytest.raises(APIStatusError) as err:
        await aruna.crons.create("echo", schedule="0 7 * * *", input=user("x"),
                                 context={**CTX, "books": ["FX-EM"]})
    assert err.value.response.status_code == 403


async def test_each_tick_runs_exactly_once_across_two_replicas(replicas):
    a, b = (get_client(url=s.url, headers=auth()) for s in replicas)
    thread = await a.threads.create()
    cron = await a.crons.create_for_thread(thread["thread_id"], "echo", schedule=EVERY_2S, input=user("tick"),
                                           context=CTX)
    deadline = time.monotonic() + 60
    while len(await a.runs.list(thread["thread_id"], limit=1000)) < 3 and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    await b.crons.delete(cron["cron_id"])
    runs = await _settled_runs(a, thread["thread_id"])
    assert len(runs) >= 3
    assert all(r["metadata"]["cron_id"] == cron["cron_id"] and r["status"] == "success" for r in runs)
    assert len(await _humans(a, thread["thread_id"])) == len(runs)  # no tick's run executed twice
    ticks = sorted(r["run_id"] for r in runs)
    assert len(set(ticks)) == len(ticks)


async def test_a_stateless_cron_runs_each_tick_on_a_new_thread_and_records_its_last_tick(replicas):
    a = get_client(url=replicas[0].url, headers=auth())
    cron = await a.crons.create("echo", schedule=EVERY_2S, input=user("report"), context=CTX,
                                metadata={"report": "eod"})
    deadline = time.monotonic() + 60
    while (await a.crons.search(metadata={"report": "eod"}))[0]["last_tick"] is None and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    tick = (await a.crons.search(metadata={"report": "eod"}))[0]["last_tick"]
    await a.crons.delete(cron["cron_id"])
    values = await a.runs.join(tick["thread_id"], tick["run_id"])
    assert [m["content"] for m in values["messages"]][0] == "report"
    assert (await a.threads.get(tick["thread_id"]))["metadata"]["cron_id"] == cron["cron_id"]
    assert cron["cron_id"] not in [c["cron_id"] for c in await a.crons.search(limit=100)]


async def test_end_time_stops_the_ticks(replicas):
    a = get_client(url=replicas[0].url, headers=auth())
    thread = await a.threads.create()
    end = datetime.now(UTC) + timedelta(seconds=3)
    cron = await a.crons.create_for_thread(thread["thread_id"], "echo", schedule=EVERY_2S, input=user("until"),
                                           context=CTX, end_time=end)
    deadline = time.monotonic() + 60
    while (await a.crons.search(thread_id=thread["thread_id"]))[0]["next_run_date"] and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    [done] = await a.crons.search(thread_id=thread["thread_id"])
    assert done["next_run_date"] is None and done["cron_id"] == cron["cron_id"]
    runs = await _settled_runs(a, thread["thread_id"])
    assert 1 <= len(runs) <= 2  # ticks at most 3 s after creation, every 2 s


async def test_a_tick_claimed_by_a_replica_killed_mid_tick_is_run_once_by_the_other(cron_env, redis_url,
                                                                                     tmp_path_factory):
    workdir = tmp_path_factory.mktemp("cron-killed")
    doomed = start_fxdesk(workdir, {**cron_env, "FXDESK_CRON_TEST_PAUSE_AFTER_CLAIM": "600",
                                    "FXDESK_CRON_LEASE_SECONDS": "2"})
    survivor = None
    try:
        a = get_client(url=doomed.url, headers=auth())
        thread = await a.threads.create()
        cron = await a.crons.create_for_thread(thread["thread_id"], "echo", schedule=EVERY_2S, input=user("lost?"),
                                               context=CTX)
        r = redis.Redis.from_url(redis_url)
        pattern = f"{cron_env['FXDESK_KEY_PREFIX']}api:cron-tick:{{{cron['cron_id']}}}:*"  # server.runs.keys
        deadline = time.monotonic() + 30
        while not list(r.scan_iter(pattern)) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        [claimed] = list(r.scan_iter(pattern))
        claimed_tick = int(claimed.decode().rsplit(":", 1)[1])
        doomed.proc.kill()  # mid-tick: the claim is held, no run was started
        doomed.stop()
        survivor = start_fxdesk(workdir, cron_env)
        b = get_client(url=survivor.url, headers=auth())
        deadline = time.monotonic() + 60
        while not (await b.crons.search(thread_id=thread["thread_id"]))[0]["last_tick"] and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        await b.crons.delete(cron["cron_id"])
        runs = await _settled_runs(b, thread["thread_id"])
        assert r.get(claimed) == b"done"  # the survivor ran the tick the dead replica had claimed
        assert len(await _humans(b, thread["thread_id"])) == len(runs) >= 1
        first = datetime.fromisoformat(min(r2["created_at"] for r2 in runs))
        assert first >= datetime.fromtimestamp(claimed_tick / 1000, UTC)
    finally:
        doomed.stop()
        if survivor is not None:
            survivor.stop()


async def test_ticks_missed_while_every_replica_was_down_run_once_then_the_schedule_goes_on(cron_env,
                                                                                            tmp_path_factory):
    """The missed-ticks policy: no backfill of each missed tick, one run for them, then the next future tick."""
    workdir = tmp_path_factory.mktemp("cron-missed")
    every_5s = "* * * * * */5"
    # A key prefix of its own: the module's two replicas must not serve this cron while "every replica" is down.
    env = {**cron_env, "FXDESK_KEY_PREFIX": f"{cron_env['FXDESK_KEY_PREFIX']}missed:"}
    first = start_fxdesk(workdir, env)
    second = None
    try:
        a = get_client(url=first.url, headers=auth())
        thread = await a.threads.create()
        cron = await a.crons.create_for_thread(thread["thread_id"], "echo", schedule=every_5s, input=user("missed?"),
                                               context=CTX)
        deadline = time.monotonic() + 60
        while not (await a.crons.search(thread_id=thread["thread_id"]))[0]["last_tick"] and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        first.stop()  # every replica is down now
        down_since = datetime.now(UTC)
        await asyncio.sleep(12)  # at least two ticks pass unserved
        second = start_fxdesk(workdir, env)
        back = datetime.now(UTC)
        b = get_client(url=second.url, headers=auth())
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            [record] = await b.crons.search(thread_id=thread["thread_id"])
            tick = datetime.fromisoformat(record["last_tick"]["tick"])
            if tick > down_since:
                break
            await asyncio.sleep(0.1)
        await b.crons.delete(cron["cron_id"])
        assert down_since < tick < back, (down_since, tick, back)  # the catch-up run carries a missed tick's time
        next_tick = datetime.fromisoformat(record["next_run_date"])
        assert next_tick > back - timedelta(seconds=1)  # the schedule goes on from now, not from the missed ticks
        runs = await _settled_runs(b, thread["thread_id"])
        caught_up = [r for r in runs if down_since < datetime.fromisoformat(r["created_at"]) < next_tick]
        assert len(caught_up) == 1, [r["created_at"] for r in runs]
    finally:
        first.stop()
        if second is not None:
            second.stop()
