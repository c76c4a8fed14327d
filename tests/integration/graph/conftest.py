"""Graph fixtures: a checkpointer parametrised over memory and Redis, and the offline graph over the demo data."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from langchain_core.messages import HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

from graph.builder import build_graph
from llm.config import load_models
from tools.contract import offline_tables
from tools.users import context_for


@pytest.fixture(params=["memory", "redis"])
def checkpointer(request) -> Iterator:
    """An InMemorySaver, or our RedisSaver under this test's key prefix."""
    if request.param == "memory":
        yield InMemorySaver()
        return
    from checkpoint import RedisSaver

    url = request.getfixturevalue("redis_url")
    prefix = request.getfixturevalue("redis_prefix")
    with RedisSaver.from_conn_string(url, prefix=prefix) as saver:
        yield saver


@pytest.fixture(scope="session")
def offline_builder(desk_db):
    """The uncompiled supervisor graph with the offline model chain over the demo data."""
    return build_graph(load_models({}, offline_tables=offline_tables()), desk_db)


class Desk:
    """Drive the compiled graph turn by turn as one user in one thread."""

    def __init__(self, graph, db, user: str, thread: str = "t1"):
        self.graph, self.db = graph, db
        self.context = context_for(db, user)
        self.config = {"configurable": {"thread_id": thread}}

    def ask(self, text: str) -> dict:
        return self.graph.invoke({"messages": [HumanMessage(text)]}, self.config, context=self.context)

    def turn_tool_results(self, state: dict) -> list[tuple[str, dict]]:
        msgs = state["messages"]
        start = max(i for i, m in enumerate(msgs) if isinstance(m, HumanMessage))
        return [(m.name, json.loads(m.content)) for m in msgs[start + 1:]
                if isinstance(m, ToolMessage) and not m.name.startswith("transfer_to_")]


@pytest.fixture
def desk(offline_builder, checkpointer, desk_db):
    """A factory: ``desk(user, thread)`` returns a `Desk` on a graph compiled with the parametrised saver."""
    graph = offline_builder.compile(checkpointer=checkpointer)
    return lambda user="trader_aruna", thread="t1": Desk(graph, desk_db, user, thread)
