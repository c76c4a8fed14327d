"""Two `fxdesk serve` processes on one Redis behave as one server: any replica serves any thread."""

from __future__ import annotations

import asyncio
import contextlib

import httpx
import pytest
from langgraph_sdk import get_client
from langgraph_sdk.errors import ConflictError

from tests.integration.server.conftest import auth
from tests.integration.server.servers import fxdesk_replicas, start_fxdesk

pytestmark = pytest.mark.slow

CTX = {"user_id": "trader_aruna", "role": "trader"}


def user(text: str) -> dict:
    return {"messages": [{"role": "user", "content": text}]}


def contents(values: dict) -> list[str]:
    return [m["content"] for m in values["messages"]]


def echo_of(text: str) -> str:
    return f"echo: {text} (user=trader_aruna, books=FX-G10)"


@pytest.fixture(scope="module")
def replicas(server_env, tmp_path_factory):
    with fxdesk_replicas(tmp_path_factory.mktemp("replicas"), server_env) as servers:
        yield servers


async def test_conversation_started_on_one_replica_continues_on_the_other(replicas):
    a, b = (get_client(url=s.url, headers=auth()) for s in replicas)
    thread = await a.threads.create()
    await a.runs.wait(thread["thread_id"], "echo", input=user("on a"), context=CTX)
    values = await b.runs.wait(thread["thread_id"], "echo", input=user("on b"), context=CTX)
    assert contents(values) == ["on a", echo_of("on a"), "on b", echo_of("on b")]
    assert (await b.threads.get(thread["thread_id"]))["values"] == values
    assert [t["thread_id"] for t in await b.threads.search(ids=[thread["thread_id"]])] == [thread["thread_id"]]


async def test_background_run_created_on_one_replica_is_joined_and_got_from_the_other(replicas):
    a, b = (get_client(url=s.url, headers=auth()) for s in replicas)
    thread = await a.threads.create()
    run = await a.runs.create(thread["thread_id"], "echo", input=user("slow job"), context=CTX)
    assert (await b.runs.get(thread["thread_id"], run["run_id"]))["status"] in ("pending", "running")
    joined = await b.runs.join(thread["thread_id"], run["run_id"])
    assert contents(joined) == ["slow job", echo_of("slow job")]
    assert (await b.runs.get(thread["thread_id"], run["run_id"]))["status"] == "success"


async def test_runs_on_one_thread_through_both_replicas_execute_one_after_another(replicas):
    a, b = (get_client(url=s.url, headers=auth()) for s in replicas)
    thread = await a.threads.create()
    tid = thread["thread_id"]
    first = await a.runs.create(tid, "echo", input=user("slow first"), context=CTX)
    second = await b.runs.wait(tid, "echo", input=user("second"), context=CTX)
    assert contents(second) == ["slow first", echo_of("slow first"), "second", echo_of("second")]
    assert (await a.runs.get(tid, first["run_id"]))["status"] == "success"


async def test_reject_sees_a_run_in_flight_on_the_other_replica(replicas):
    a, b = (get_client(url=s.url, headers=auth()) for s in replicas)
    thread = await a.threads.create()
    run = await a.runs.create(thread["thread_id"], "echo", input=user("slow"), context=CTX)
    with pytest.raises(ConflictError):
        await b.runs.create(thread["thread_id"], "echo", input=user("x"), context=CTX, multitask_strategy="reject")
    await b.runs.join(thread["thread_id"], run["run_id"])


async def test_a_run_queued_behind_a_dead_replicas_run_goes_ahead(server_env, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("dying")
    doomed, survivor = start_fxdesk(workdir, server_env), start_fxdesk(workdir, server_env)
    try:
        a, b = get_client(url=doomed.url, headers=auth()), get_client(url=survivor.url, headers=auth())
        thread = await a.threads.create()
        lost = await a.runs.create(thread["thread_id"], "echo", input=user("slow and lost"), context=CTX)
        await asyncio.sleep(0.2)
        doomed.proc.kill()  # SIGKILL: no graceful shutdown, the run's alive key just stops being renewed
        doomed.stop()
        await b.runs.join(thread["thread_id"], lost["run_id"])  # returns instead of waiting forever
        assert (await b.runs.get(thread["thread_id"], lost["run_id"]))["status"] == "error"
        values = await b.runs.wait(thread["thread_id"], "echo", input=user("after"), context=CTX)
        assert contents(values)[-2:] == ["after", echo_of("after")]
    finally:
        doomed.stop()
        survivor.stop()


async def test_join_stream_on_the_other_replica_receives_every_event_of_a_background_run(replicas):
    """Issue 15: events are relayed through Redis, not only the final values."""
    a, b = (get_client(url=s.url, headers=auth()) for s in replicas)
    thread = await a.threads.create()
    run = await a.runs.create(thread["thread_id"], "echo", input=user("slow relayed"), context=CTX,
                              stream_mode=["values", "updates", "custom"])
    parts = [p async for p in b.runs.join_stream(thread["thread_id"], run["run_id"])]
    assert [p.event for p in parts] == ["metadata", "values", "custom", "updates", "values"]
    assert parts[0].data["run_id"] == run["run_id"]
    assert contents(parts[-1].data) == ["slow relayed", echo_of("slow relayed")]
    only_updates = [p.event async for p in b.runs.join_stream(thread["thread_id"], run["run_id"],
                                                              stream_mode="updates")]
    assert only_updates == ["metadata", "updates"]


async def test_resumable_stream_dropped_on_one_replica_resumes_on_the_other_without_duplicates(replicas):
    """Issue 15: reconnecting with Last-Event-ID on another replica continues where the client stopped."""
    a, b = (get_client(url=s.url, headers=auth()) for s in replicas)
    thread = await a.threads.create()
    seen = []
    stream = a.runs.stream(thread["thread_id"], "echo", input=user("slow resume"), context=CTX,
                           stream_resumable=True, stream_mode=["values", "updates", "custom"])
    async with contextlib.aclosing(stream) as parts:
        async for part in parts:
            seen.append(part)
            if part.event == "values":
                break
    rest = [p async for p in b.runs.join_stream(thread["thread_id"], seen[0].data["run_id"],
                                                last_event_id=seen[-1].id)]
    assert [p.event for p in seen + rest] == ["metadata", "values", "custom", "updates", "values"]
    ids = [p.id for p in seen + rest]
    assert all(ids) and len(set(ids)) == len(ids) and ids == sorted(ids, key=lambda i: int(i.split("-")[1]))


async def test_join_stream_with_a_malformed_last_event_id_is_422(replicas):
    a = get_client(url=replicas[0].url, headers=auth())
    thread = await a.threads.create()
    run = await a.runs.create(thread["thread_id"], "echo", input=user("x"), context=CTX)
    response = httpx.get(f"{replicas[1].url}/threads/{thread['thread_id']}/runs/{run['run_id']}/stream",
                         headers={**auth(), "Last-Event-ID": "yesterday"})
    assert response.status_code == 422 and "Last-Event-ID" in response.json()["detail"]


async def test_join_stream_of_a_run_whose_replica_died_ends_with_the_events_it_relayed(server_env, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("dying-stream")
    doomed, survivor = start_fxdesk(workdir, server_env), start_fxdesk(workdir, server_env)
    try:
        a, b = get_client(url=doomed.url, headers=auth()), get_client(url=survivor.url, headers=auth())
        thread = await a.threads.create()
        lost = await a.runs.create(thread["thread_id"], "echo", input=user("slow and lost"), context=CTX)
        await asyncio.sleep(0.3)
        doomed.proc.kill()
        doomed.stop()
        parts = [p.event async for p in b.runs.join_stream(thread["thread_id"], lost["run_id"])]
        assert parts == ["metadata", "values"]  # what it relayed before it died; then the stream ends
    finally:
        doomed.stop()
        survivor.stop()
