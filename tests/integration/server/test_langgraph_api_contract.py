"""The LangGraph API contract, driven with the official `langgraph-sdk` and `RemoteGraph`.

Every test runs twice: against `fxdesk serve` and against `langgraph dev` serving the same echo
graph, so our server is held to the reference server's behaviour rather than to our own reading.
"""

from __future__ import annotations

import asyncio

import pytest
from langgraph.pregel.remote import RemoteGraph
from langgraph_sdk import get_client
from langgraph_sdk.errors import ConflictError

from server.runs.registry import assistant_id_for
from tests.integration.server.conftest import auth

pytestmark = pytest.mark.slow

CTX = {"user_id": "trader_aruna", "role": "trader", "books": ["FX-G10"], "customers": ["Cust203"]}
GRAPH = "echo"


def user(text: str) -> dict:
    return {"messages": [{"role": "user", "content": text}]}


def contents(values: dict) -> list[str]:
    return [m["content"] for m in values["messages"]]


def echo_of(text: str) -> str:
    return f"echo: {text} (user=trader_aruna, books=FX-G10)"


@pytest.fixture
def client(api_server):
    return get_client(url=api_server.url, headers=auth())


async def test_assistant_is_found_by_search_and_draws_its_graph(client):
    found = await client.assistants.search(graph_id=GRAPH)
    assert [a["assistant_id"] for a in found] == [assistant_id_for(GRAPH)]
    assert found[0]["graph_id"] == GRAPH
    drawn = await client.assistants.get_graph(found[0]["assistant_id"])
    assert {n["id"] for n in drawn["nodes"]} == {"__start__", "echo", "__end__"}
    assert {(e["source"], e["target"]) for e in drawn["edges"]} == {("__start__", "echo"), ("echo", "__end__")}
    schemas = await client.assistants.get_schemas(found[0]["assistant_id"])
    assert set(schemas["context_schema"]["properties"]) >= {"user_id", "role", "books", "customers"}


async def test_thread_is_created_found_and_deleted(client):
    thread = await client.threads.create(metadata={"desk": "contract"})
    got = await client.threads.get(thread["thread_id"])
    assert got["metadata"]["desk"] == "contract" and got["status"] == "idle"
    found = await client.threads.search(metadata={"desk": "contract"}, limit=100)
    assert thread["thread_id"] in [t["thread_id"] for t in found]
    await client.threads.delete(thread["thread_id"])
    found = await client.threads.search(metadata={"desk": "contract"}, limit=100)
    assert thread["thread_id"] not in [t["thread_id"] for t in found]


async def test_wait_returns_final_values_and_a_follow_up_turn_sees_the_history(client):
    thread = await client.threads.create()
    first = await client.runs.wait(thread["thread_id"], GRAPH, input=user("hello"), context=CTX)
    assert contents(first) == ["hello", echo_of("hello")]
    second = await client.runs.wait(thread["thread_id"], GRAPH, input=user("again"), context=CTX)
    assert contents(second) == ["hello", echo_of("hello"), "again", echo_of("again")]
    assert second["turns"] == 2


async def test_stream_sends_metadata_first_then_values_updates_and_message_tuples_in_order(client):
    thread = await client.threads.create()
    events = [(e.event, e.data) async for e in client.runs.stream(
        thread["thread_id"], GRAPH, input=user("stream me"), context=CTX,
        stream_mode=["values", "updates", "messages-tuple", "custom"])]
    names = [name for name, _ in events]
    assert names[0] == "metadata" and "run_id" in events[0][1]
    assert names[1:] == ["values", "custom", "messages", "updates", "values"]
    assert contents(events[1][1]) == ["stream me"]
    message, meta = events[3][1]
    assert message["content"] == echo_of("stream me") and message["type"] == "ai"
    assert meta["langgraph_node"] == "echo"
    assert events[4][1]["echo"]["messages"][0]["content"] == echo_of("stream me")
    assert contents(events[5][1]) == ["stream me", echo_of("stream me")]
    run = await client.runs.get(thread["thread_id"], events[0][1]["run_id"])
    assert run["status"] == "success"


async def test_state_and_history_show_the_checkpoints_newest_first(client):
    thread = await client.threads.create()
    await client.runs.wait(thread["thread_id"], GRAPH, input=user("one"), context=CTX)
    await client.runs.wait(thread["thread_id"], GRAPH, input=user("two"), context=CTX)
    state = await client.threads.get_state(thread["thread_id"])
    assert contents(state["values"]) == ["one", echo_of("one"), "two", echo_of("two")]
    assert state["next"] == [] and state["checkpoint"]["thread_id"] == thread["thread_id"]
    history = await client.threads.get_history(thread["thread_id"], limit=3)
    assert len(history) == 3
    assert history[0]["checkpoint"]["checkpoint_id"] == state["checkpoint"]["checkpoint_id"]
    assert history[1]["checkpoint"]["checkpoint_id"] == history[0]["parent_checkpoint"]["checkpoint_id"]
    assert contents(history[1]["values"]) == ["one", echo_of("one"), "two"]


async def test_background_run_is_created_joined_got_and_listed(client):
    thread = await client.threads.create()
    run = await client.runs.create(thread["thread_id"], GRAPH, input=user("slow background"), context=CTX)
    assert run["status"] in ("pending", "running")
    joined = await client.runs.join(thread["thread_id"], run["run_id"])
    assert contents(joined) == ["slow background", echo_of("slow background")]
    got = await client.runs.get(thread["thread_id"], run["run_id"])
    assert got["status"] == "success" and got["run_id"] == run["run_id"]
    listed = await client.runs.list(thread["thread_id"])
    assert [r["run_id"] for r in listed] == [run["run_id"]]


async def test_interrupt_shows_in_state_tasks_and_resumes_with_a_command(client):
    thread = await client.threads.create()
    paused = await client.runs.wait(thread["thread_id"], GRAPH, input=user("please approve"), context=CTX)
    assert paused["__interrupt__"][0]["value"] == {"question": "approve please approve?"}
    state = await client.threads.get_state(thread["thread_id"])
    assert state["next"] == ["echo"]
    [task] = state["tasks"]
    assert task["interrupts"][0]["value"] == {"question": "approve please approve?"}
    assert (await client.threads.get(thread["thread_id"]))["status"] == "interrupted"
    resumed = await client.runs.wait(thread["thread_id"], GRAPH, command={"resume": "yes"}, context=CTX)
    assert contents(resumed)[-1] == echo_of("please approve") + " [resumed: yes]"
    assert (await client.threads.get_state(thread["thread_id"]))["tasks"] == []


async def test_stateless_run_answers_without_a_thread(client):
    values = await client.runs.wait(None, GRAPH, input=user("no thread"), context=CTX)
    assert contents(values) == ["no thread", echo_of("no thread")]
    events = [e.event async for e in client.runs.stream(None, GRAPH, input=user("x"), context=CTX,
                                                        stream_mode="updates")]
    assert events == ["metadata", "updates"]


async def test_reject_strategy_answers_409_while_a_run_is_in_flight(client):
    thread = await client.threads.create()
    run = await client.runs.create(thread["thread_id"], GRAPH, input=user("slow first"), context=CTX)
    with pytest.raises(ConflictError):
        await client.runs.create(thread["thread_id"], GRAPH, input=user("second"), context=CTX,
                                 multitask_strategy="reject")
    await client.runs.join(thread["thread_id"], run["run_id"])
    values = await client.runs.wait(thread["thread_id"], GRAPH, input=user("third"), context=CTX,
                                    multitask_strategy="reject")
    assert contents(values) == ["slow first", echo_of("slow first"), "third", echo_of("third")]


async def test_runs_started_together_on_one_thread_all_land_in_order(client):
    thread = await client.threads.create()
    tid = thread["thread_id"]
    first = await client.runs.create(tid, GRAPH, input=user("slow a"), context=CTX)
    waits = [client.runs.wait(tid, GRAPH, input=user(text), context=CTX) for text in ("b", "c", "d")]
    await asyncio.gather(*waits)
    await client.runs.join(tid, first["run_id"])
    messages = contents((await client.threads.get_state(tid))["values"])
    humans = messages[0::2]
    assert messages[0] == "slow a" and sorted(humans) == ["b", "c", "d", "slow a"]
    assert messages[1::2] == [echo_of(h) for h in humans]  # each answer right after its question
    assert all(r["status"] == "success" for r in await client.runs.list(tid))


async def test_remote_graph_invokes_and_streams_like_a_local_graph(api_server):
    remote = RemoteGraph(GRAPH, url=api_server.url, headers=auth())
    thread = await get_client(url=api_server.url, headers=auth()).threads.create()
    config = {"configurable": {"thread_id": thread["thread_id"]}}
    result = await remote.ainvoke(user("remote"), config, context=CTX)
    assert contents(result)[-1] == echo_of("remote")
    chunks = [c async for c in remote.astream(user("again"), config, context=CTX, stream_mode="updates")]
    assert chunks[-1]["echo"]["messages"][0]["content"] == echo_of("again")
    state = await remote.aget_state(config)
    assert len(state.values["messages"]) == 4


async def test_interrupt_strategy_stops_the_run_in_flight_and_runs_the_new_one(client):
    thread = await client.threads.create()
    tid = thread["thread_id"]
    old = await client.runs.create(tid, GRAPH, input=user("slow old"), context=CTX)
    await asyncio.sleep(0.2)
    values = await client.runs.wait(tid, GRAPH, input=user("new"), context=CTX, multitask_strategy="interrupt")
    assert contents(values)[-2:] == ["new", echo_of("new")]
    assert echo_of("slow old") not in contents(values)
    assert (await client.runs.get(tid, old["run_id"]))["status"] == "interrupted"


async def test_rollback_strategy_erases_the_run_in_flight(client):
    thread = await client.threads.create()
    tid = thread["thread_id"]
    old = await client.runs.create(tid, GRAPH, input=user("slow old"), context=CTX)
    await asyncio.sleep(0.2)
    values = await client.runs.wait(tid, GRAPH, input=user("new"), context=CTX, multitask_strategy="rollback")
    assert contents(values) == ["new", echo_of("new")]
    assert old["run_id"] not in [r["run_id"] for r in await client.runs.list(tid)]
