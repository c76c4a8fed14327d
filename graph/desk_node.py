"""A desk as a supervisor node: its subgraph checkpoints only when it pauses and returns only its new messages.

Added as a plain compiled subgraph, each desk would write a checkpoint (its whole message history)
after every one of its steps, besides the supervisor's own: about twice the checkpoint writes of a
turn, and its output (the whole history) would be stored again as the supervisor task's write.
`desk_node` runs the same compiled desk, in the same namespace (``<desk>:<task id>``), so Studio
still finds it (``get_graph(xray=True)``, ``get_state(subgraphs=True)``) and streams its steps, but:

- with the caller's durability ``async`` or ``exit`` the desk runs with ``durability="exit"``: it
  writes nothing while it runs and one checkpoint with its pending writes when it is interrupted
  (the compliance pause), from which the resume continues exactly; ``sync`` stays ``sync``;
- it returns only the messages the desk added or changed, so the supervisor's task write is this
  turn's desk work, not the thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.messages import BaseMessage
from langchain_core.runnables import RunnableConfig
from langgraph._internal._constants import CONFIG_KEY_CHECKPOINTER, CONFIG_KEY_DURABILITY
from langgraph._internal._runnable import RunnableCallable
from langgraph.graph.state import CompiledStateGraph


def new_messages(before: Sequence[BaseMessage], after: Sequence[BaseMessage]) -> list[BaseMessage]:
    """Return the messages of ``after`` that are not in ``before`` unchanged (matched by id)."""
    known = {m.id: m for m in before if m.id is not None}
    out = []
    for message in after:
        old = known.get(message.id) if message.id is not None else None
        if old is None or (old is not message and old != message):
            out.append(message)
    return out


def desk_durability(config: RunnableConfig | None) -> str | None:
    """Return the durability a desk runs with: ``sync`` when the caller asked for it, else ``exit``.

    None when the run has no checkpointer (nothing to persist, and LangGraph warns about the setting).
    """
    configurable = (config or {}).get("configurable") or {}
    if configurable.get(CONFIG_KEY_CHECKPOINTER) is None:
        return None
    return "sync" if configurable.get(CONFIG_KEY_DURABILITY) == "sync" else "exit"


def desk_node(desk: str, agent: CompiledStateGraph) -> RunnableCallable:
    """Return the supervisor's node that runs the compiled ``agent`` for ``desk`` (sync and async)."""

    def run_desk(state: dict[str, Any], config: RunnableConfig) -> dict[str, Any]:
        before = state["messages"]
        out = agent.invoke({"messages": before}, config, durability=desk_durability(config))
        return {"messages": new_messages(before, out["messages"])}

    async def arun_desk(state: dict[str, Any], config: RunnableConfig) -> dict[str, Any]:
        before = state["messages"]
        out = await agent.ainvoke({"messages": before}, config, durability=desk_durability(config))
        return {"messages": new_messages(before, out["messages"])}

    return RunnableCallable(run_desk, arun_desk, name=desk, trace=False)
