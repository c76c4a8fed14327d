"""Routing mode: the supervisor's model, with ``transfer_to_<desk>`` tools bound, picks the desks.

The intent model reads the latest message (`llm.offline.understand`): one ``transfer_to_<desk>``
call per desk its asks need, in the order asked; or a text answer for greetings, help, thanks,
goodbyes, out-of-domain questions and desks the caller's role may not use (their transfer tools are
not bound). A message with no desk words that leans on the previous turn ("and last week?", "in
cable?") goes to that turn's desks. Every decision carries its explanation (intent, confidence,
runners-up, strongest features) for ``response_metadata``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.messages import BaseMessage

from llm.offline.brain import brain_for, read_features
from llm.offline.entities import Entities
from llm.offline.followups import (
    TRANSFER_PREFIX,
    is_followup,
    latest_human_index,
    own_words,
    previous_desks,
    reads_as_new_ask,
    refers_back,
    strip_opener,
)
from llm.offline.reply import Reply, call_id, message_text
from llm.offline.schedules import asks_to_schedule
from llm.offline.schemas import fit_args, tool_parameters
from llm.offline.tables import SMALL_TALK, OfflineTables
from llm.offline.understand import CONFIDENT, Reading, read_message

__all__ = ["route", "routed_desks"]

# Below this, a desk intent with no desk word and no entity is not trusted: the message is out of domain.
_UNSURE = 0.35
# A desk intent this probable beats an "out of domain" verdict when the message holds a desk word.
_RUNNER_UP = 0.25
_CUSTOMER_DESK = "compliance"  # the one desk whose tools take a customer
# "limit is 40k btw" right after a discipline report gives that report its own daily loss limit; it asks
# nothing of the desks' limits.
_OWN_LIMIT_TOOL = "get_discipline_report"
_OWN_LIMIT = re.compile(r"\b(?:limit|stop|max loss|loss cap|cap)\b")


def route(messages: Sequence[BaseMessage], tools: Sequence[Mapping[str, Any]], tables: OfflineTables) -> Reply:
    """Return the routing decision for the latest user message.

    Args:
        messages: The conversation as the supervisor sees it.
        tools: The bound ``transfer_to_<desk>`` tools (OpenAI format).
        tables: What the model learnt from (intents, desk labels).

    """
    by_desk = {_name(t)[len(TRANSFER_PREFIX):]: t for t in tools}
    bound = list(by_desk)
    index = latest_human_index(messages)
    if index < 0:
        return Reply(_help(bound, tables), "routing")
    raw = message_text(messages[index])
    desks, small_talk, why = routed_desks(messages, raw, tables)
    if small_talk:
        return Reply(_SMALL_TALK.get(small_talk, _out_of_domain)(bound, tables), "routing", why=why)
    allowed = [d for d in desks if d in by_desk]
    refused = [d for d in desks if d not in by_desk]
    if not allowed:
        return Reply(_refusal(refused, bound, tables), "routing", why=why)
    calls = []
    for i, desk in enumerate(allowed):
        tool = by_desk[desk]
        args = fit_args({"reason": _reason(desk, raw, tables)}, tool_parameters(tool)) or {}
        calls.append({"name": _name(tool), "args": args, "id": call_id(len(messages), i, _name(tool)),
                      "type": "tool_call"})
    note = ""
    if refused:
        note = (f"Your role cannot use {_join(tables.desk(d).title for d in refused)}, so I'm asking "
                f"{_join(tables.desk(d).title for d in allowed)} only.")
    return Reply(note, "routing", calls, why=why)


def routed_desks(messages: Sequence[BaseMessage], raw: str,
                 tables: OfflineTables) -> tuple[list[str], str | None, dict[str, Any]]:
    """Return ``(desks, small-talk intent or None, explanation)`` for the latest message ``raw``.

    Args:
        messages: The conversation (earlier turns decide follow-ups).
        raw: The latest user message.
        tables: What the model learnt from.

    """
    brain = brain_for(tables)
    entities = read_features(raw, brain.lexicon)[2]  # read-only here; the cached read is shared with the intent model
    ask = strip_opener(raw)  # "ok cool, and ...": the acknowledgement is not part of the ask
    scored = brain.score(ask)
    desk_words = brain.has_desk_words(scored)
    earlier = previous_desks(messages)
    rest = own_words(entities.rest)
    asks = bool(earlier) and brain.asks_in(rest)
    readings = None
    if (earlier and asks_to_schedule(entities.text) and refers_back(entities.text)
            and (desk := _schedules_on(earlier, tables))):
        # "schedule that weekly": the report the desk just ran, on that desk.
        return [desk], None, {"intent": "follow_up", "desks": [desk], "schedules": True}
    if earlier and _gives_own_limit(earlier, entities, tables):
        return earlier, None, {"intent": "follow_up", "desks": earlier, "gives": "daily_loss_limit_usd"}
    if earlier and is_followup(entities.text, entities, has_desk_words=asks) and not _chat(brain, raw, asks, entities):
        readings = read_message(brain, ask, scored=scored) if asks or reads_as_new_ask(ask, entities) else None
        if entities.customers and _CUSTOMER_DESK not in earlier:
            # "would that be ok for Cust210" after a what-if: only compliance takes a customer.
            return [_CUSTOMER_DESK], None, {"intent": "follow_up", "desks": [_CUSTOMER_DESK], "over": earlier}
        if readings is None or _switches_desk(brain, scored, readings[0], earlier) is None:
            return earlier, None, {"intent": "follow_up", "desks": earlier}
    readings = readings or read_message(brain, ask, scored=scored)
    desks = list(dict.fromkeys(d for r in readings for d in r.desks))
    first = readings[0]
    why = first.explanation() | {"asks": [r.intent for r in readings]}
    if not desks and first.intent == "out_of_domain" and desk_words:
        # "Out of domain" only means no desk phrasing is close; a message that uses a desk's own word
        # ("what about kyc") is asked of that desk when the desk's intent is a real runner-up.
        runner = next(((name, p) for name, p in scored.ranked if brain.by_name[name].desks and p >= _RUNNER_UP),
                      None)
        if runner is not None:
            return list(brain.by_name[runner[0]].desks), None, why | {"intent": runner[0], "over": "out_of_domain"}
    if desks and not _unsure(first, desk_words, entities):
        return desks, None, why
    if first.intent == "out_of_domain" and earlier and is_followup(entities.text, entities,
                                                                    has_desk_words=desk_words):
        # Mid-conversation, "what about their kyc" leans on the last turn even when the model cannot place it.
        return earlier, None, why | {"intent": "follow_up", "desks": earlier}
    if first.small_talk and first.intent != "out_of_domain" and first.confidence >= _UNSURE:
        return [], first.intent, why
    fallback = _desks_by_entities(entities)
    if fallback:
        return fallback, None, why | {"intent": "entities"}
    return [], "out_of_domain", why


def _schedules_on(desks: list[str], tables: OfflineTables) -> str | None:
    """Return the first of ``desks`` that owns a schedule tool (``schedule_*``), or None."""
    owners = {desk for tool, desk in tables.tool_desks.items() if tool.startswith("schedule_")}
    return next((d for d in desks if d in owners), None)


def _gives_own_limit(earlier: list[str], entities: Entities, tables: OfflineTables) -> bool:
    """Return True for an amount named as a limit right after the discipline desk answered ("with a 60k limit").

    The supervisor sees desk answers, not desk tool calls: the previous turn's desk is the one that owns
    the discipline report (the specialist then re-runs that report with the trader's limit).
    """
    if not entities.notional or entities.pairs or entities.side or not _OWN_LIMIT.search(entities.text):
        return False
    return earlier == [tables.desk_of_tool(_OWN_LIMIT_TOOL)]


def _switches_desk(brain, scored, reading: Reading, earlier: list[str]) -> Reading | None:
    """Return the reading when a follow-up's own words confidently ask another desk, else None (keep the desks).

    "and the em book?" stays with the previous desks; "cool, and my win rate this week" after a P&L goes to
    the journal: its words ("win rate") are a desk ask of their own (the caller checked), the model puts most
    of its probability on that desk and little on the previous one.
    """
    if reading.small_talk or set(reading.desks) <= set(earlier):
        return None
    mass = _desk_mass(brain, scored)
    if sum(mass.get(d, 0.0) for d in reading.desks) < CONFIDENT:
        return None
    return reading if max(mass.get(d, 0.0) for d in earlier) < _RUNNER_UP else None


def _chat(brain, raw: str, asks: bool, entities: Entities) -> bool:
    """Return True for plain small talk that only looks like a follow-up ("hi there", "thanks for that")."""
    if asks or not entities.is_empty():
        return False
    whole = brain.score(raw)  # the whole message: its opener ("thanks") is the point here
    return whole.intent in SMALL_TALK and whole.intent != "out_of_domain" and whole.confidence >= CONFIDENT


def _desk_mass(brain, scored) -> dict[str, float]:
    """Return the probability the model puts on each desk (summed over its ranked intents)."""
    mass: dict[str, float] = {}
    for name, p in scored.ranked:
        for desk in brain.by_name[name].desks:
            mass[desk] = mass.get(desk, 0.0) + p
    return mass


def _unsure(reading: Reading, desk_words: bool, entities: Entities) -> bool:
    return reading.confidence < _UNSURE and not desk_words and entities.is_empty()


def _desks_by_entities(entities: Entities) -> list[str]:
    """Return the desk a message with no desk words most likely means (customer: compliance; pair: positions)."""
    if entities.customers or entities.kyc_status:
        return ["compliance"]
    if entities.pairs or entities.currencies or entities.books:
        return ["position_risk"]
    return []


def _name(tool: Mapping[str, Any]) -> str:
    return str(tool.get("function", tool).get("name", ""))


def _reason(desk: str, message: str, tables: OfflineTables) -> str:
    return f"The user asks a {tables.desk(desk).title} question: {message.strip()[:300]}"


def _join(items) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _can_do(bound: Sequence[str], tables: OfflineTables) -> str:
    if not bound:
        return "Your role has no desks available, so I can't look anything up for you."
    return "I can help with " + _join(tables.desk(d).label for d in bound) + "."


def _help(bound: Sequence[str], tables: OfflineTables) -> str:
    lines = [f"I'm the FX desk assistant. {_can_do(bound, tables)}"]
    examples = [", ".join(tables.desk(d).examples) for d in bound if tables.desk(d).examples]
    if examples:
        lines.append("For example: " + "; ".join(examples) + ".")
    return "\n".join(lines)


def _greeting(bound: Sequence[str], tables: OfflineTables) -> str:
    return f"Hello! {_can_do(bound, tables)} What would you like to look at?"


def _thanks(bound: Sequence[str], tables: OfflineTables) -> str:
    return "You're welcome. Anything else on positions, the journal, behaviour or compliance?"


def _goodbye(bound: Sequence[str], tables: OfflineTables) -> str:
    return "Goodbye, and good trading."


def _out_of_domain(bound: Sequence[str], tables: OfflineTables) -> str:
    return f"That's outside what this desk assistant covers. {_can_do(bound, tables)}"


def _refusal(refused: Sequence[str], bound: Sequence[str], tables: OfflineTables) -> str:
    return (f"Sorry, your role is not permitted to use {_join(tables.desk(d).title for d in refused)}. "
            f"{_can_do(bound, tables)}")


_SMALL_TALK = {"help": _help, "greeting": _greeting, "thanks": _thanks, "goodbye": _goodbye,
               "out_of_domain": _out_of_domain}
