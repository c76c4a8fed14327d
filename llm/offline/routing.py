"""Routing mode: the supervisor's model, with ``transfer_to_<desk>`` tools bound, picks the desks.

One ``transfer_to_<desk>`` call per desk needed, in run order; or a text answer for greetings, help,
out-of-domain questions and desks the caller's role may not use (their transfer tools are not
bound). A message with no desk words that leans on the previous turn goes to that turn's desks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.messages import BaseMessage

from llm.offline.entities import extract
from llm.offline.followups import TRANSFER_PREFIX, is_followup, latest_human_index, previous_desks
from llm.offline.intents import DESK_LABELS, desks_by_entities, desks_for, mentions_desk, supervisor_intent
from llm.offline.reply import Reply, call_id, message_text
from llm.offline.schemas import fit_args, tool_parameters

__all__ = ["route"]

_DESK_SHORT = {"position_risk": "position risk", "trade_journal": "trade journal", "psychology": "psychology",
               "compliance": "compliance"}


def route(messages: Sequence[BaseMessage], tools: Sequence[Mapping[str, Any]]) -> Reply:
    """Return the routing decision for the latest user message.

    Args:
        messages: The conversation as the supervisor sees it.
        tools: The bound ``transfer_to_<desk>`` tools (OpenAI format).

    """
    by_desk = {_name(t)[len(TRANSFER_PREFIX):]: t for t in tools}
    bound = list(by_desk)
    index = latest_human_index(messages)
    if index < 0:
        return Reply(_help(bound), "routing")
    raw = message_text(messages[index])
    entities = extract(raw)
    text = entities.text
    desks = desks_for(text, entities)
    if not desks:
        intent = supervisor_intent(text)
        if intent:
            return Reply(_SMALL_TALK[intent](bound), "routing")
        earlier = previous_desks(messages)
        if earlier and is_followup(text, entities, has_desk_words=mentions_desk(text)):
            desks = earlier
        else:
            desks = desks_by_entities(entities)
    if not desks:
        return Reply(_out_of_domain(bound), "routing")
    allowed = [d for d in desks if d in by_desk]
    refused = [d for d in desks if d not in by_desk]
    if not allowed:
        return Reply(_refusal(refused, bound), "routing")
    calls = []
    for i, desk in enumerate(allowed):
        tool = by_desk[desk]
        args = fit_args({"reason": _reason(desk, raw)}, tool_parameters(tool)) or {}
        calls.append({"name": _name(tool), "args": args, "id": call_id(len(messages), i, _name(tool)),
                      "type": "tool_call"})
    note = ""
    if refused:
        note = (f"Your role cannot use {_join(_DESK_SHORT[d] for d in refused)}, so I'm asking "
                f"{_join(_DESK_SHORT[d] for d in allowed)} only.")
    return Reply(note, "routing", calls)


def _name(tool: Mapping[str, Any]) -> str:
    return str(tool.get("function", tool).get("name", ""))


def _reason(desk: str, message: str) -> str:
    return f"The user asks a {_DESK_SHORT.get(desk, desk)} question: {message.strip()[:300]}"


def _join(items) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _can_do(bound: Sequence[str]) -> str:
    if not bound:
        return "Your role has no desks available, so I can't look anything up for you."
    return "I can help with " + _join(DESK_LABELS.get(d, d) for d in bound) + "."


def _help(bound: Sequence[str]) -> str:
    examples = {
        "position_risk": "\"What's my EUR/USD exposure today?\", \"VaR for the G10 book\", "
                         "\"what if I buy twenty million cable?\"",
        "trade_journal": "\"show my journal entries this week\", \"win rate by tag\"",
        "psychology": "\"am I overtrading?\", \"any revenge trading last week?\"",
        "compliance": "\"any limit breaches?\", \"is Cust999 restricted?\", \"KYC status of Cust203\"",
    }
    lines = [f"I'm the FX desk assistant. {_can_do(bound)}"]
    if bound:
        lines.append("For example: " + "; ".join(examples[d] for d in bound if d in examples) + ".")
    return "\n".join(lines)


def _greeting(bound: Sequence[str]) -> str:
    return f"Hello! {_can_do(bound)} What would you like to look at?"


def _thanks(bound: Sequence[str]) -> str:
    return "You're welcome. Anything else on positions, the journal, behaviour or compliance?"


def _goodbye(bound: Sequence[str]) -> str:
    return "Goodbye, and good trading."


def _out_of_domain(bound: Sequence[str]) -> str:
    return f"That's outside what this desk assistant covers. {_can_do(bound)}"


def _refusal(refused: Sequence[str], bound: Sequence[str]) -> str:
    return (f"Sorry, your role is not permitted to use {_join(_DESK_SHORT.get(d, d) for d in refused)}. "
            f"{_can_do(bound)}")


_SMALL_TALK = {"help": _help, "greeting": _greeting, "thanks": _thanks, "goodbye": _goodbye}
