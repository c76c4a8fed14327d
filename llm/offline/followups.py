"""Carry-over from earlier turns: which desks and tools the last turn used and what it was about.

Everything is read from the message history (the graph keeps no other memory a follow-up could
use): earlier HumanMessages, earlier ``transfer_to_<desk>`` tool calls (routing) and earlier desk
tool calls with their arguments (specialist). "and GBP?" swaps the instrument and keeps the rest;
"what about last week?" swaps the window; "same for the EM book" swaps the book and drops a pair
that is not traded in that book.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from llm.offline.entities import Entities, extract
from llm.offline.lexicon import BOOK_OF_PAIR

__all__ = [
    "CARRIED",
    "carry_over",
    "earlier_turns",
    "is_followup",
    "latest_human_index",
    "previous_desks",
    "previous_questions",
    "previous_tool_calls",
]

CARRIED = ("pair", "currency", "book", "customer", "window", "notional", "side", "rate", "trade_id", "entry_id")
TRANSFER_PREFIX = "transfer_to_"
_FOLLOWUP = re.compile(
    r"^\W*(?:and|what about|how about|what of|same|also|now|ok(?:ay)?,? (?:and|now|what about)|then|"
    r"and for|for|and in|in|repeat|again|do the same|likewise|as well|vs\.?|versus|compared (?:to|with))\b|"
    r"\b(?:instead|too|as well|only)\W*$"
)

# "that one", "the biggest": the instrument the previous answer named, when its call named none.
_ANSWER_REFERENCE = re.compile(r"\b(?:that|it|this|the (?:biggest|largest|top|first|main) (?:one|exposure|position)?|"
                               r"that (?:one|currency|pair|position)|the same one)\b")
_PRONOUN = re.compile(r"\b(?:it|its|it's|that one|this one|them|their|those|these|the same|that pair|"
                      r"(?:that|this|the same) (?:customer|client|counterparty|cpty)|that book|that trade)\b")


def latest_human_index(messages: Sequence[BaseMessage]) -> int:
    """Return the index of the latest HumanMessage (-1 when there is none)."""
    for index in range(len(messages) - 1, -1, -1):
        if isinstance(messages[index], HumanMessage):
            return index
    return -1


def is_followup(text: str, entities: Entities, *, has_desk_words: bool) -> bool:
    """Return True when a message leans on the previous turn ("and GBP?", "what about last week?").

    Args:
        text: The typo-repaired, lower-case message.
        entities: What it names.
        has_desk_words: Whether any desk's keywords appear in it.

    """
    if _FOLLOWUP.search(text):
        return True
    if _PRONOUN.search(text) and not (entities.pairs or entities.currencies or entities.customers or entities.books):
        return True
    short = len(text.split()) <= 6
    return short and not has_desk_words and not entities.is_empty()


def previous_desks(messages: Sequence[BaseMessage]) -> list[str]:
    """Return the desks the most recent earlier turn was routed to (from its transfer tool calls)."""
    for message in reversed(earlier_turns(messages)):
        if isinstance(message, AIMessage):
            desks = [call["name"][len(TRANSFER_PREFIX):] for call in message.tool_calls
                     if call["name"].startswith(TRANSFER_PREFIX)]
            if desks:
                return list(dict.fromkeys(desks))
    return []


def previous_tool_calls(messages: Sequence[BaseMessage]) -> list[dict[str, Any]]:
    """Return the desk tool calls (name, args) of the most recent earlier turn that made any."""
    for message in reversed(earlier_turns(messages)):
        if isinstance(message, AIMessage):
            calls = [call for call in message.tool_calls if not call["name"].startswith(TRANSFER_PREFIX)]
            if calls:
                return [{"name": call["name"], "args": dict(call.get("args") or {})} for call in calls]
    return []


def previous_questions(messages: Sequence[BaseMessage]) -> list[str]:
    """Return the earlier HumanMessages' texts, most recent first."""
    return [_text(m) for m in reversed(earlier_turns(messages)) if isinstance(m, HumanMessage)]


def earlier_turns(messages: Sequence[BaseMessage]) -> list[BaseMessage]:
    """Return the messages before the latest HumanMessage."""
    index = latest_human_index(messages)
    return list(messages[: max(index, 0)])


def carry_over(current: Entities, messages: Sequence[BaseMessage]) -> dict[str, Any]:
    """Return the arguments earlier turns set that the current message does not override.

    Args:
        current: Entities of the latest message.
        messages: The whole conversation.

    Returns:
        Argument name → value, most recent turn first, conflict-free with ``current``.

    """
    carried: dict[str, Any] = {}
    for source in _earlier_args(messages):
        for key in CARRIED:
            if key in source and key not in carried:
                carried[key] = source[key]
    now = current.as_args()
    if "pair" not in carried and "currency" not in carried and _ANSWER_REFERENCE.search(current.text):
        carried.update(_answer_instrument(messages))
    if "pair" in now or "currency" in now:
        carried.pop("pair", None)
        carried.pop("currency", None)
    if "book" in now and carried.get("pair") and BOOK_OF_PAIR.get(carried["pair"]) != now["book"]:
        carried.pop("pair", None)
    if "side" in now or "notional" in now:
        carried.pop("rate", None)
    return {key: value for key, value in carried.items() if key not in now}


def _earlier_args(messages: Sequence[BaseMessage]) -> list[dict[str, Any]]:
    sources: list[dict[str, Any]] = []
    for message in reversed(earlier_turns(messages)):
        if isinstance(message, AIMessage):
            for call in message.tool_calls:
                if not call["name"].startswith(TRANSFER_PREFIX):
                    sources.append(dict(call.get("args") or {}))
        elif isinstance(message, HumanMessage):
            sources.append(extract(_text(message)).as_args())
        elif isinstance(message, ToolMessage):
            sources.append(_result_ids(message))
    return sources


def _answer_instrument(messages: Sequence[BaseMessage]) -> dict[str, Any]:
    """Return the first pair or currency the previous turn's answer named ("what's the VaR on that one?")."""
    for message in reversed(earlier_turns(messages)):
        if isinstance(message, HumanMessage):
            return {}
        if isinstance(message, AIMessage) and not message.tool_calls and _text(message).strip():
            named = extract(_text(message))
            if named.pairs:
                return {"pair": named.pairs[0]}
            currencies = [c for c in named.currencies if c != "USD"]
            return {"currency": currencies[0]} if currencies else {}
    return {}


def _result_ids(message: ToolMessage) -> dict[str, Any]:
    """Return the ids a tool result introduced that a follow-up may refer to ("tag it as news")."""
    try:
        result = json.loads(_text(message))
    except ValueError:
        return {}
    entry = result.get("entry") if isinstance(result, dict) else None
    if isinstance(entry, dict) and isinstance(entry.get("entry_id"), int):
        return {"entry_id": entry["entry_id"]}
    return {}


def _text(message: BaseMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    return " ".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
