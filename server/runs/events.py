"""Map `graph.astream` chunks to the API's SSE events, as `langgraph dev` names and shapes them.

``messages-tuple`` streams ``[message, metadata]`` pairs under the event ``messages``; the older
``messages`` mode accumulates chunks per message id and emits ``messages/metadata`` once then
``messages/partial`` (chunks) or ``messages/complete``. Subgraph events are suffixed with
``|ns1|ns2``. The graph is always asked for ``values`` too so ``runs.wait`` can answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from langchain_core.messages import BaseMessage, BaseMessageChunk, convert_to_messages, message_chunk_to_message

STREAM_MODES = frozenset({"values", "updates", "messages", "messages-tuple", "custom", "debug", "tasks",
                          "checkpoints"})


def graph_modes(requested: Iterable[str]) -> list[str]:
    """Return the stream modes to ask the graph for, given the client's modes."""
    modes = {("messages" if mode == "messages-tuple" else mode) for mode in requested}
    modes.add("values")
    return sorted(modes)


class EventMapper:
    """Turns ``(namespace, mode, chunk)`` from the graph into ``(event, payload)`` for the client."""

    def __init__(self, requested: Iterable[str]):
        self.requested = set(requested)
        self._messages: dict[str, BaseMessageChunk | BaseMessage] = {}

    def map(self, ns: tuple[str, ...], mode: str, chunk: Any) -> Iterator[tuple[str, Any]]:
        """Yield the client events for one graph chunk (none if the client did not ask for it)."""
        suffix = f"|{'|'.join(ns)}" if ns else ""
        if mode == "messages":
            if "messages-tuple" in self.requested:
                yield f"messages{suffix}", chunk
            elif "messages" in self.requested:
                yield from self._legacy_messages(chunk)
        elif mode in self.requested:
            yield f"{mode}{suffix}", chunk

    def _legacy_messages(self, chunk: Any) -> Iterator[tuple[str, Any]]:
        message, metadata = chunk
        if isinstance(message, dict):
            message = convert_to_messages([message])[0]
        if message.id in self._messages:
            self._messages[message.id] = self._messages[message.id] + message
        else:
            self._messages[message.id] = message
            yield "messages/metadata", {message.id: {"metadata": metadata}}
        current = self._messages[message.id]
        if isinstance(message, BaseMessageChunk):
            yield "messages/partial", [current]
        else:
            yield "messages/complete", [message_chunk_to_message(current)]
