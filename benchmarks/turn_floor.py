"""What LangGraph itself costs for a desk turn's shape, next to the real graph's framework overhead (issue 16).

    uv run python benchmarks/turn_floor.py [--turns 300] [--redis-url URL] [--real-turns 48]

The *floor* graph has the fxdesk turn's shape with nodes that do nothing: a supervisor that routes the
user message to one desk, the desk as a subgraph run by `graph.desk_node.desk_node` (a model step that
asks for one tool, the tool step, a model step that answers), and the supervisor again, which ends
the turn. No model, no tool, no SQL: what is left is LangGraph's stepping, state merging, callbacks
and the checkpointer. It is timed per turn (``invoke``, as `graph_turns.py` and ``fxdesk chat`` run
it, and ``ainvoke``, as ``fxdesk serve`` runs it) on the in-memory saver and our Redis saver, for the
three durabilities, and a second shape ends the turn at the desk (one supervisor step fewer) to
price one superstep.

The last table runs real fxdesk turns (`graph_turns.run_conversation`, offline model, demo data) on
the same savers and prints their framework overhead (turn minus model minus tools) beside the floor:
``ours`` is what our own code between the steps adds to what the framework costs anyway.
Redis keys live under a fresh ``fxdesk-bench:<uuid>:`` prefix and are deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.types import Command

from graph.desk_node import desk_node
from tests.redis_keys import delete_prefix

DURABILITIES = ("async", "sync", "exit")


def _desk_model(state: MessagesState) -> dict[str, Any]:
    if isinstance(state["messages"][-1], ToolMessage):
        return {"messages": [AIMessage("answer", name="desk")]}
    call = {"name": "tool", "args": {}, "id": uuid.uuid4().hex, "type": "tool_call"}
    return {"messages": [AIMessage("", name="desk", tool_calls=[call])]}


def _desk_tools(state: MessagesState) -> dict[str, Any]:
    call = state["messages"][-1].tool_calls[0]
    return {"messages": [ToolMessage("{}", tool_call_id=call["id"], name=call["name"])]}


def _after_model(state: MessagesState) -> str:
    return "tools" if state["messages"][-1].tool_calls else END


def _supervisor(state: MessagesState) -> Command:
    if isinstance(state["messages"][-1], HumanMessage):
        return Command(goto="desk", update={"messages": [AIMessage("", name="supervisor")]})
    return Command(goto=END)


def floor_graph(*, desk_ends_turn: bool = False) -> StateGraph:
    """Return the no-op graph of a one-desk turn (``desk_ends_turn``: the desk goes straight to the end)."""
    desk = StateGraph(MessagesState)
    desk.add_node("model", _desk_model)
    desk.add_node("tools", _desk_tools)
    desk.add_edge(START, "model")
    desk.add_conditional_edges("model", _after_model, ["tools", END])
    desk.add_edge("tools", "model")
    parent = StateGraph(MessagesState)
    parent.add_node("supervisor", _supervisor, destinations=("desk", END))
    parent.add_node("desk", desk_node("desk", desk.compile(name="desk")))
    parent.add_edge(START, "supervisor")
    parent.add_edge("desk", END if desk_ends_turn else "supervisor")
    return parent


def pct(values: list[float], q: float) -> float:
    """Return the q-quantile (0..1) of ``values`` by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def time_sync(graph, turns: int, durability: str) -> list[float]:
    """Return milliseconds per turn for ``turns`` one-turn threads run with ``invoke``."""
    out = []
    for i in range(turns + 20):
        config = {"configurable": {"thread_id": f"floor-{uuid.uuid4().hex}"}}
        start = time.perf_counter()
        graph.invoke({"messages": [HumanMessage("hi")]}, config, durability=durability)
        if i >= 20:  # the first turns warm caches and imports
            out.append((time.perf_counter() - start) * 1000)
    return out


async def time_async(graph, turns: int, durability: str) -> list[float]:
    """Return milliseconds per turn for ``turns`` one-turn threads run with ``ainvoke``."""
    out = []
    for i in range(turns + 20):
        config = {"configurable": {"thread_id": f"floor-{uuid.uuid4().hex}"}}
        start = time.perf_counter()
        await graph.ainvoke({"messages": [HumanMessage("hi")]}, config, durability=durability)
        if i >= 20:
            out.append((time.perf_counter() - start) * 1000)
    return out


@contextmanager
def sync_savers(redis_url: str | None, prefix: str) -> Iterator[list[tuple[str, Any]]]:
    """Yield (name, saver) for memory and, when Redis answers, our Redis saver."""
    out: list[tuple[str, Any]] = [("memory", InMemorySaver())]
    if redis_url is None:
        yield out
        return
    from checkpoint import RedisSaver

    with RedisSaver.from_conn_string(redis_url, prefix=prefix) as saver:
        yield [*out, ("redis", saver)]


async def async_rows(redis_url: str | None, prefix: str, turns: int,
                     report: Callable[[str, str, str, list[float]], None]) -> None:
    """Time the floor with ``ainvoke`` on memory and our async Redis saver."""
    savers: list[tuple[str, Any]] = [("memory", InMemorySaver())]
    if redis_url is not None:
        from checkpoint import AsyncRedisSaver

        async with AsyncRedisSaver.from_conn_string(redis_url, prefix=prefix) as saver:
            for name, s in [*savers, ("redis", saver)]:
                for durability in DURABILITIES:
                    report("ainvoke", name, durability, await time_async(floor_graph().compile(checkpointer=s),
                                                                        turns, durability))
        return
    for name, s in savers:
        for durability in DURABILITIES:
            report("ainvoke", name, durability, await time_async(floor_graph().compile(checkpointer=s),
                                                                turns, durability))


def real_overhead(saver, durability: str, turns: int, workdir: Path) -> list[float]:
    """Return the framework overhead (ms) of ``turns`` real fxdesk turns on ``saver``."""
    import graph_turns  # benchmarks/ is on sys.path when this file runs as a script

    from data.database import Database
    from graph.builder import build_graph
    from llm.config import load_models
    from tools.contract import offline_tables
    from tools.users import context_for

    db = Database.from_url(f"sqlite:///{workdir / 'desk.db'}")
    try:
        context = context_for(db, "trader_aruna")
        graph = build_graph(load_models({}, offline_tables=offline_tables()), db).compile(checkpointer=saver)
        graph_turns.DURABILITY["value"] = durability
        graph_turns.run_conversation(graph, context, f"warm-{uuid.uuid4().hex}", 8)
        per = len(graph_turns.CONVERSATION)
        samples = []
        for t in range(max(1, turns // per)):
            samples += graph_turns.run_conversation(graph, context, f"real-{t}-{uuid.uuid4().hex}", per)
        return [(total - model - tools) * 1000 for total, model, tools in samples]
    finally:
        db.engine.dispose()


def main() -> None:
    """Run the floor and the real graph's overhead and print markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=300, help="one-turn threads per floor row")
    parser.add_argument("--real-turns", type=int, default=48, help="real fxdesk turns per saver (0 to skip)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0", help="'' to skip Redis")
    args = parser.parse_args()
    redis_url = args.redis_url or None
    if redis_url:
        from server.runtime import redis_answers

        if not redis_answers(redis_url):
            print(f"(Redis at {redis_url} does not answer: skipping it)")
            redis_url = None
    prefix = f"fxdesk-bench:{uuid.uuid4().hex}:"
    floors: dict[tuple[str, str, str], float] = {}

    def report(mode: str, saver: str, durability: str, ms: list[float]) -> None:
        floors[(mode, saver, durability)] = pct(ms, .5)
        print(f"| {mode:7} | {saver:6} | {durability:5} | {pct(ms, .5):6.2f} | {pct(ms, .99):6.2f} | "
              f"{statistics.fmean(ms):6.2f} |")

    print(f"Floor: a one-desk turn of no-op nodes, {args.turns} turns per row; ms per turn.")
    print("| call    | saver  | dur.  | p50    | p99    | mean   |")
    print("|---------|--------|-------|--------|--------|--------|")
    try:
        with sync_savers(redis_url, prefix) as named:
            for name, saver in named:
                for durability in DURABILITIES:
                    report("invoke", name, durability, time_sync(floor_graph().compile(checkpointer=saver),
                                                                  args.turns, durability))
            asyncio.run(async_rows(redis_url, prefix, args.turns, report))

            print("\nOne superstep: the same turn when the desk ends it (no second supervisor step), invoke, async.")
            print("| saver  | full turn p50 | desk ends turn p50 | one step |")
            print("|--------|---------------|--------------------|----------|")
            for name, saver in named:
                short = pct(time_sync(floor_graph(desk_ends_turn=True).compile(checkpointer=saver),
                                      args.turns, "async"), .5)
                full = floors[("invoke", name, "async")]
                print(f"| {name:6} | {full:13.2f} | {short:18.2f} | {full - short:8.2f} |")

            if args.real_turns:
                print(f"\nReal fxdesk turns (offline model, demo data, {args.real_turns} turns per row, invoke): "
                      "framework overhead p50 against the floor.")
                print("| saver  | dur.  | real overhead p50 | floor p50 | ours (real - floor) | real / floor |")
                print("|--------|-------|-------------------|-----------|---------------------|--------------|")
                with tempfile.TemporaryDirectory(prefix="fxdesk-floor-") as tmp:
                    for name, saver in named:
                        for durability in ("async", "exit"):
                            real = pct(real_overhead(saver, durability, args.real_turns, Path(tmp)), .5)
                            floor = floors[("invoke", name, durability)]
                            print(f"| {name:6} | {durability:5} | {real:17.2f} | {floor:9.2f} | "
                                  f"{real - floor:19.2f} | {real / floor:12.2f} |")
    finally:
        if redis_url:
            delete_prefix(redis_url, prefix)


if __name__ == "__main__":
    main()
