"""Run one user turn on the compiled graph and describe it as the ``fxdesk ask --json`` record.

A thread paused by the compliance confirmation (an interrupt) takes the next message as the
answer to it: ``Command(resume=<text>)`` instead of a new user message. A message that is no yes/no
answer ("and for kiwi?") declines the pending check (recorded as cancelled, as an unclear answer
always was) and is then taken as a new ask, so it is not lost.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, ToolMessage
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from agents.compliance import CONFIRMATION, answers_confirmation
from agents.history import latest_human_index
from tools.context import Context
from tools.desks import DESKS


@dataclass
class TurnResult:
    """One turn as the CLI and ``POST /chat`` report it."""

    thread_id: str
    user_id: str
    route: list[str]
    tool_calls: list[dict[str, Any]]
    answer: str
    model: str
    interrupt: dict[str, Any] | None = field(default=None, repr=False)

    def as_json(self) -> dict[str, Any]:
        """Return exactly the documented fields: thread_id, user_id, route, tool_calls, answer, model."""
        record = asdict(self)
        record.pop("interrupt")
        return record


def turn_inputs(graph: CompiledStateGraph, config: dict, message: str) -> list[dict | Command]:
    """Return the graph inputs for ``message``, run in order (see `inputs_for`)."""
    return inputs_for(message, pending_interrupt(graph, config))


async def aturn_inputs(graph: CompiledStateGraph, config: dict, message: str) -> list[dict | Command]:
    """Async `turn_inputs`."""
    return inputs_for(message, await apending_interrupt(graph, config))


def inputs_for(message: str, interrupt: dict[str, Any] | None) -> list[dict | Command]:
    """Return the inputs that carry ``message`` into a thread paused on ``interrupt`` (or not paused).

    Not paused: the message. Paused on the compliance confirmation with a message that is no yes/no
    answer: decline the check, then the message as a new ask. Otherwise: ``Command(resume=message)``.
    """
    fresh = {"messages": [HumanMessage(content=message)]}
    if interrupt is None:
        return [fresh]
    if interrupt.get("type") == CONFIRMATION and not answers_confirmation(message):
        return [Command(resume={"confirm": False}), fresh]
    return [Command(resume=message)]


def pending_interrupt(graph: CompiledStateGraph, config: dict) -> dict[str, Any] | None:
    """Return the value of the interrupt the thread is paused on, or None."""
    return interrupt_in(graph.get_state(config, subgraphs=True))


async def apending_interrupt(graph: CompiledStateGraph, config: dict) -> dict[str, Any] | None:
    """Async `pending_interrupt`."""
    return interrupt_in(await graph.aget_state(config, subgraphs=True))


def interrupt_in(snapshot: Any) -> dict[str, Any] | None:
    """Return the first pending interrupt's value in a ``subgraphs=True`` state snapshot, or None."""
    for task in _all_tasks(snapshot):
        for intr in task.interrupts:
            return intr.value if isinstance(intr.value, dict) else {"question": str(intr.value)}
    return None


def run_config(context: Context, thread_id: str, metadata: dict | None = None) -> dict:
    """Return the run config: the thread, and metadata (user, prompt versions) recorded with the run."""
    return {"configurable": {"thread_id": thread_id}, "metadata": {**(metadata or {}), "user_id": context.user_id}}


def run_turn(graph: CompiledStateGraph, context: Context, thread_id: str, message: str,
             metadata: dict | None = None, durability: str | None = None) -> TurnResult:
    """Run one turn to completion (or to a confirmation pause) and describe it."""
    config = run_config(context, thread_id, metadata)
    for graph_input in turn_inputs(graph, config, message):
        graph.invoke(graph_input, config, context=context, durability=durability)
    return describe_turn(graph, config, context)


def stream_turn(graph: CompiledStateGraph, context: Context, thread_id: str, message: str,
                metadata: dict | None = None, durability: str | None = None) -> Iterator[tuple[str, str]]:
    """Yield ``(agent, text)`` chunks of model output as the turn runs."""
    config = run_config(context, thread_id, metadata)
    for graph_input in turn_inputs(graph, config, message):
        for _ns, (chunk, meta) in graph.stream(graph_input, config, context=context, stream_mode="messages",
                                               subgraphs=True, durability=durability):
            if isinstance(chunk, AIMessageChunk | AIMessage) and isinstance(chunk.content, str) and chunk.content:
                yield (_agent_of(meta), chunk.content)


def describe_turn(graph: CompiledStateGraph, config: dict, context: Context) -> TurnResult:
    """Build the turn record from the thread's checkpointed state."""
    return turn_from_snapshot(graph.get_state(config, subgraphs=True), config["configurable"]["thread_id"],
                              context.user_id)


async def adescribe_turn(graph: CompiledStateGraph, config: dict, context: Context) -> TurnResult:
    """Async `describe_turn` (one ``aget_state`` read)."""
    return turn_from_snapshot(await graph.aget_state(config, subgraphs=True), config["configurable"]["thread_id"],
                              context.user_id)


def turn_from_snapshot(snapshot: Any, thread_id: str, user_id: str) -> TurnResult:
    """Build the turn record from a ``subgraphs=True`` state snapshot of the thread."""
    values = snapshot.values
    messages: Sequence[BaseMessage] = values.get("messages", [])
    interrupt = interrupt_in(snapshot)
    turn = messages[latest_human_index(messages) + 1:]
    if interrupt is not None:
        # The paused desk's work is in the subgraph's state, not yet in the parent's messages.
        sub = _paused_messages(snapshot)
        turn = [*turn, *sub[latest_human_index(sub) + 1:]] if sub else turn
    final = next((m for m in reversed(turn) if isinstance(m, AIMessage) and not m.tool_calls), None)
    if interrupt is not None:
        answer = _interrupt_text(interrupt)
    else:
        answer = final.content if final is not None and isinstance(final.content, str) else ""
    meta = final.response_metadata if final is not None else {}
    provider = meta.get("model_provider") or "unknown"
    model = f"{provider}:{meta['model_name']}" if meta.get("model_name") else str(provider)
    return TurnResult(thread_id=thread_id, user_id=user_id, route=list(values.get("route") or []),
                      tool_calls=tool_call_records(turn), answer=answer, model=model, interrupt=interrupt)


def tool_call_records(messages: Sequence[BaseMessage]) -> list[dict[str, Any]]:
    """Return ``{agent, name, args, result}`` for each desk tool call in ``messages`` (no hand-offs)."""
    results = {m.tool_call_id: m for m in messages if isinstance(m, ToolMessage)}
    records = []
    seen: set[str] = set()
    for message in messages:
        if not isinstance(message, AIMessage) or message.name not in DESKS:
            continue
        for call in message.tool_calls:
            if call["id"] in seen:
                continue
            seen.add(call["id"])
            reply = results.get(call["id"])
            records.append({"agent": message.name, "name": call["name"], "args": call["args"],
                            "result": _parse(reply.content) if reply is not None else None})
    return records


def _parse(content: Any) -> Any:
    if isinstance(content, str):
        try:
            return json.loads(content)
        except json.JSONDecodeError:
            return content
    return content


def _interrupt_text(value: dict[str, Any]) -> str:
    question = value.get("question") or "Confirmation needed."
    check = value.get("check") or {}
    reasons = check.get("reasons") or []
    lines = [f"- {r.get('message', r) if isinstance(r, dict) else r}" for r in reasons]
    return "\n".join([f"Pre-trade check verdict: {check.get('verdict', 'unknown')}.", *lines, question])


def _all_tasks(snapshot) -> Iterator[Any]:
    for task in snapshot.tasks:
        yield task
        if task.state is not None and hasattr(task.state, "tasks"):
            yield from _all_tasks(task.state)


def _paused_messages(snapshot: Any) -> list[BaseMessage]:
    for task in _all_tasks(snapshot):
        if task.interrupts and task.state is not None and hasattr(task.state, "values"):
            return list(task.state.values.get("messages", []))
        if task.state is not None and hasattr(task.state, "values") and any(
                t.interrupts for t in _all_tasks(task.state)):
            return list(task.state.values.get("messages", []))
    return []


def _agent_of(meta: dict[str, Any]) -> str:
    ns = str(meta.get("langgraph_checkpoint_ns") or "")
    top = ns.split("|")[0].split(":")[0] if ns else ""
    return top if top in DESKS else "supervisor"
