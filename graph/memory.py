"""Trader memory through ``runtime.store``: remember, show and forget what a trader says about how they work.

Items live under ``("users", <user_id>, "memories")``, the caller's own namespace (the same one the
``/store`` API lets them read), so they follow the trader across threads and no one else sees them.
`with_memory` wraps the supervisor node: a turn that is a memory command (`graph.memory_commands`)
is answered here, deterministically and without a model; every other turn goes to the supervisor.
A graph compiled without a store answers memory commands with a short explanation instead.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage
from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.store.base import BaseStore
from langgraph.types import Command

from graph.memory_commands import MemoryCommand, parse
from graph.state import SupervisorState
from tools.context import Context

MEMORY_AGENT = "memory"
NO_STORE = "I can't keep memories in this session: it runs without a store (use `fxdesk serve`)."
MAX_MEMORIES = 200


def memory_namespace(user_id: str) -> tuple[str, ...]:
    """Return the namespace of ``user_id``'s memories."""
    return ("users", user_id, "memories")


def with_memory(supervisor: Callable[..., Command]) -> Callable[..., Command]:
    """Return ``supervisor`` preceded by memory handling for turns that are memory commands."""

    @functools.wraps(supervisor)
    def node(state: SupervisorState, runtime: Runtime[Context]) -> Command:
        messages = state["messages"]
        ctx = runtime.context
        if ctx is not None and messages and isinstance(messages[-1], HumanMessage):
            command = parse(messages[-1].text if hasattr(messages[-1], "text") else str(messages[-1].content))
            if command is not None:
                answer = NO_STORE if runtime.store is None else handle(runtime.store, ctx.user_id, command)
                reply = AIMessage(content=answer, name="supervisor",
                                  response_metadata={"model_provider": "fxdesk", "model_name": MEMORY_AGENT,
                                                     "fxdesk_agent": MEMORY_AGENT})
                return Command(goto=END, update={"messages": [reply], "route": [], "pending": [], "hops": 0,
                                                 "active_desk": None})
        result = supervisor(state, runtime)
        if ctx is not None and runtime.store is not None:
            result = _with_nicknames(result, runtime.store, ctx.user_id)
        return result

    return node


def apply_nicknames(text: str, nicknames: list[dict[str, Any]]) -> str:
    """Return ``text`` with the first mention of each nicknamed pair said the trader's way: "fibre (EURUSD)".

    Only the first mention changes, so tables and figures stay as the tools wrote them; a pair the
    text already calls by its nickname is left alone.
    """
    for nickname in nicknames:
        pair, name = str(nickname.get("pair", "")), str(nickname.get("name", ""))
        if len(pair) != 6 or not name or re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
            continue
        spelled = rf"(?<![\w/]){pair[:3]}/?{pair[3:]}(?![\w/])"
        text = re.sub(spelled, lambda found, n=name: f"{n} ({found.group(0)})", text, count=1)
    return text


def _with_nicknames(result: Command, store: BaseStore, user_id: str) -> Command:
    """Say nicknamed pairs the trader's way in a turn's final answer (issue 15: "call EURUSD fibre")."""
    update = result.update if isinstance(result.update, dict) else None
    if result.goto != END or not update or not update.get("messages"):
        return result
    final = update["messages"][-1]
    if not isinstance(final, AIMessage) or not isinstance(final.content, str):
        return result
    nicknames = [item.value for item in store.search(memory_namespace(user_id), filter={"kind": "nickname"},
                                                     limit=MAX_MEMORIES)]
    content = apply_nicknames(final.content, nicknames) if nicknames else final.content
    if content == final.content:
        return result
    messages = [*update["messages"][:-1], final.model_copy(update={"content": content})]
    return Command(goto=result.goto, update={**update, "messages": messages}, graph=result.graph,
                   resume=result.resume)


def handle(store: BaseStore, user_id: str, command: MemoryCommand) -> str:
    """Apply ``command`` to ``user_id``'s memories in ``store`` and return the answer for the trader."""
    namespace = memory_namespace(user_id)
    if command.action == "remember":
        store.put(namespace, command.key, command.value)
        return f"Noted: I'll remember that {_as_second_person(command.value['text'])}."
    items = store.search(namespace, limit=MAX_MEMORIES)
    if command.action == "show":
        if not items:
            return "I don't have anything remembered about you yet."
        lines = [f"- {_as_second_person(item.value.get('text', ''))}" for item in _newest_first(items)]
        return "Here is what I remember about you:\n" + "\n".join(lines) + \
            "\n\nSay \"forget that\" or \"forget <what>\" to remove one."
    doomed = _to_forget(items, command)
    for item in doomed:
        store.delete(namespace, item.key)
    if not doomed:
        wanted = " ".join(command.words) or "that"
        return f"I had nothing remembered about {wanted} to forget."
    forgotten = "; ".join(_as_second_person(item.value.get("text", item.key)) for item in doomed)
    return f"Forgotten: {forgotten}."


def _newest_first(items: list[Any]) -> list[Any]:
    return sorted(items, key=lambda item: item.updated_at, reverse=True)


def _to_forget(items: list[Any], command: MemoryCommand) -> list[Any]:
    if command.everything:
        return list(items)
    if command.last:
        return _newest_first(items)[:1]
    words = {w for w in command.words if len(w) > 2}
    return [item for item in items
            if words and words <= set(re.findall(r"\w+", f"{item.key} {item.value.get('text', '')}".lower()))]


def _as_second_person(text: str) -> str:
    if text.startswith("I "):
        return "you " + text[2:]
    return text
