"""What each model sees of the conversation: a desk's view of the thread and trimming to a token budget.

The thread holds every message of every desk. A specialist must not see the supervisor's hand-off
calls, nor another desk's tool calls from the current turn (a tool-calling model would take their
results for its own); earlier turns stay visible so follow-ups can carry entities over.
Trimming keeps the latest user message and everything after it, and fills the rest of the budget
with whole earlier turns, so a tool call is never separated from its result.
"""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.messages.utils import count_tokens_approximately, trim_messages

HANDOFF_PREFIX = "transfer_to_"


def latest_human_index(messages: Sequence[BaseMessage]) -> int:
    """Return the index of the latest HumanMessage, or -1 when there is none."""
    for i in range(len(messages) - 1, -1, -1):
        if isinstance(messages[i], HumanMessage):
            return i
    return -1


def is_handoff(message: BaseMessage) -> bool:
    """Return True for a supervisor AIMessage whose tool calls are hand-offs."""
    return isinstance(message, AIMessage) and any(
        tc["name"].startswith(HANDOFF_PREFIX) for tc in message.tool_calls
    )


def desk_view(messages: Sequence[BaseMessage], desk: str) -> list[BaseMessage]:
    """Return the messages a desk's model should see: no hand-offs, and this turn only its own work."""
    start = latest_human_index(messages)
    hidden_calls: set[str] = set()
    view: list[BaseMessage] = []
    for i, message in enumerate(messages):
        current_turn = i > start >= 0
        if isinstance(message, AIMessage):
            foreign = current_turn and message.name != desk
            if is_handoff(message) or foreign:
                hidden_calls.update(tc["id"] for tc in message.tool_calls if tc.get("id"))
                continue
        elif isinstance(message, ToolMessage) and message.tool_call_id in hidden_calls:
            continue
        view.append(message)
    return view


def supervisor_view(messages: Sequence[BaseMessage]) -> list[BaseMessage]:
    """Return what the supervisor sees: user turns, its own hand-offs and each desk's answers, no desk tool traffic."""
    hidden_calls: set[str] = set()
    view: list[BaseMessage] = []
    for message in messages:
        if isinstance(message, AIMessage) and message.tool_calls and not is_handoff(message):
            hidden_calls.update(tc["id"] for tc in message.tool_calls if tc.get("id"))
            continue
        if isinstance(message, ToolMessage) and message.tool_call_id in hidden_calls:
            continue
        view.append(message)
    return view


def trim_history(messages: Sequence[BaseMessage], max_tokens: int) -> list[BaseMessage]:
    """Keep the current turn whole and as many earlier whole turns as fit in ``max_tokens`` (approximate)."""
    start = latest_human_index(messages)
    if start <= 0:
        return list(messages)
    current = list(messages[start:])
    budget = max_tokens - count_tokens_approximately(current)
    if budget <= 0:
        return current
    # start_on="human" makes the kept history begin at a user turn, so no ToolMessage loses its call.
    earlier = trim_messages(
        list(messages[:start]), max_tokens=budget, token_counter=count_tokens_approximately,
        strategy="last", start_on="human", allow_partial=False,
    )
    return [*earlier, *current]
