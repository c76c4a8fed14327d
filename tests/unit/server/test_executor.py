import asyncio

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph

from server.runs.encoding import loads
from server.runs.executor import Executor, RunJob
from server.runs.registry import Assistant

# Stateless (temporary) runs touch no Redis records, so the executor can run here without sockets.


def _graph(active: list[int], peak: list[int], fail: bool = False):
    async def node(state):
        active[0] += 1
        peak[0] = max(peak[0], active[0])
        await asyncio.sleep(0.02)
        active[0] -= 1
        if fail:
            raise RuntimeError("secret detail")
        return {"messages": [("ai", "done")]}

    builder = StateGraph(MessagesState)
    builder.add_node("n", node)
    builder.add_edge(START, "n")
    builder.add_edge("n", END)
    return builder.compile(checkpointer=InMemorySaver())


def _job(graph, i: int, modes=("values",)) -> RunJob:
    return RunJob(run_id=f"r{i}", thread_id=f"t{i}", assistant=Assistant("g", graph),
                  input={"messages": [("user", f"q{i}")]}, command=None, context=None,
                  config={"configurable": {"thread_id": f"t{i}"}}, stream_mode=list(modes), temporary=True)


async def test_no_more_than_the_slot_count_of_graphs_execute_at_once():
    active, peak = [0], [0]
    graph = _graph(active, peak)
    executor = Executor(runs=None, threads=None, max_concurrent=2)
    runs = [executor.submit(_job(graph, i)) for i in range(6)]
    await asyncio.gather(*(run.done.wait() for run in runs))
    assert peak[0] == 2
    assert all(run.status == "success" for run in runs)
    assert [m["content"] for m in loads(runs[0].result)["messages"]] == ["q0", "done"]


async def test_stream_subscriber_sees_metadata_first_and_stateless_thread_is_deleted():
    graph = _graph([0], [0])
    executor = Executor(runs=None, threads=None)
    run = executor.submit(_job(graph, 1, modes=("updates",)))
    queue = run.subscribe()
    events = []
    while (item := await queue.get()) is not None:
        events.append(item[0])
    assert events == ["metadata", "updates"]
    assert await graph.checkpointer.aget_tuple({"configurable": {"thread_id": "t1"}}) is None


async def test_a_failing_graph_ends_the_run_with_an_error_event_hiding_internals():
    executor = Executor(runs=None, threads=None)
    run = executor.submit(_job(_graph([0], [0], fail=True), 2))
    queue = run.subscribe()
    frames = []
    while (item := await queue.get()) is not None:
        frames.append(item)
    assert frames[-1][0] == "error"
    assert loads(frames[-1][1]) == {"error": "RuntimeError", "message": "An internal error occurred"}
    assert run.status == "error" and "secret" not in run.result.decode()


async def test_cancelling_a_local_run_marks_it_interrupted():
    active, peak = [0], [0]
    executor = Executor(runs=None, threads=None)
    run = executor.submit(_job(_graph(active, peak), 3))
    await asyncio.sleep(0.005)
    await executor.cancel("r3")
    await run.done.wait()
    assert run.status == "interrupted" and "r3" not in executor.local


async def test_runs_submitted_while_starts_are_held_start_when_the_hold_ends():
    active, peak = [0], [0]
    graph = _graph(active, peak)
    executor = Executor(runs=None, threads=None)
    async with executor.holding_starts():  # the cron scheduler admits a batch of ticks in here
        held = [executor.submit(_job(graph, i)) for i in (10, 11)]
        await asyncio.sleep(0.1)  # long enough for an unheld run to finish (its node sleeps 20 ms)
        assert peak[0] == 0 and not any(run.done.is_set() for run in held)
    await asyncio.gather(*(run.done.wait() for run in held))
    assert all(run.status == "success" for run in held)


async def test_a_run_cancelled_while_held_is_interrupted_without_starting():
    active, peak = [0], [0]
    executor = Executor(runs=None, threads=None)
    async with executor.holding_starts():
        run = executor.submit(_job(_graph(active, peak), 12))
        await asyncio.sleep(0.01)
        await executor.cancel("r12")
        await run.done.wait()
    assert run.status == "interrupted" and peak[0] == 0
