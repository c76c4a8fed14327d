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
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from llm.offline.entities import Entities, extract
from llm.offline.lexicon import DEMO, Lexicon

__all__ = [
    "CARRIED",
    "SCOPE",
    "carry_over",
    "earlier_turns",
    "is_followup",
    "latest_human_index",
    "own_words",
    "previous_desks",
    "reads_as_new_ask",
    "previous_questions",
    "previous_tool_calls",
    "previous_window_start",
    "referred_instruments",
    "refers_back",
    "strip_opener",
]

CARRIED = ("pair", "currency", "book", "customer", "window", "notional", "side", "rate", "trade_id", "entry_id",
           # filters a follow-up keeps ("and last week?" after "am i overtrading" still asks about overtrading)
           "method", "checks", "threshold_minutes", "tolerance_pct", "group_by", "by", "next_trades",
           "daily_loss_limit_usd", "tag")
# What a conversation is about on one desk, kept by its next ask there even without a follow-up word:
# "kyc on Cust208" then "credit?" is Cust208's credit; "hows my behaviour last 2 weeks" then "what time of
# day do i lose most" is over those two weeks.
SCOPE = ("window", "book", "customer", "method", "threshold_minutes", "tolerance_pct")
# Acknowledgements and corrections that open a turn ("ok", "cool, and", "no sorry, i meant") say nothing
# about what is asked; the ask is what follows them.
_OPENER = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|k|kk|cool|great|nice|sweet|perfect|thanks|thank you|thx|ty|cheers|ta|hmm+|hm+|"
    r"sure|got it|alright|fine|yeah|yep|yes|no|nope|nah|sorry|soz|oops|actually|wait|one more|another one|"
    r"and one more)\b[\s,.!:;-]*)+"
)
# "vs last month", "better or worse than last week?", "how does that compare": the same ask over another span.
_COMPARISON = re.compile(r"\b(?:(?:better|worse|more|less|higher|lower|bigger|smaller)"
                         r"(?: or (?:better|worse|more|less))? than|how does (?:that|it|this) compare|"
                         r"compared? (?:to|with)|vs\.?|versus)\b")
_CORRECTION = re.compile(r"\b(?:i meant|i mean|meant to say|make it|change (?:it|that) to|rather)\b")
TRANSFER_PREFIX = "transfer_to_"
_FOLLOWUP = re.compile(
    r"^\W*(?:and|what about|how about|what of|same|also|now|ok(?:ay)?,? (?:and|now|what about)|then|"
    r"and for|for|and in|in|repeat|again|do the same|likewise|as well|vs\.?|versus|compared (?:to|with)|"
    r"with|without|using|excluding|including)\b|"
    r"\b(?:instead|too|as well|only|then)\W*$"
)

# "that one", "the biggest": the instrument the previous answer named, when its call named none.
_ANSWER_REFERENCE = re.compile(r"\b(?:that|it|this|the (?:biggest|largest|top|first|main) (?:one|exposure|position)?|"
                               r"that (?:one|currency|pair|position)|the same one)\b")
_PRONOUN = re.compile(r"\b(?:it|its|it's|thats|that one|this one|them|their|they|they're|those|these|the same|"
                      r"that pair|[a-z]+ ones|"
                      r"both|(?:each|all) of (?:them|those)|"
                      r"(?:that|this|the same) (?:customer|client|counterparty|cpty)|that book|that trade|"
                      r"the ones|(?:in|on|from|over) there|same (?:period|window|time)|that period)\b|\bthere\W*$|"
                      r"(?<!is )(?<!are )(?<!was )\bthere\b(?!\s+(?:is|are|was|were|any|a|an)\b)|"
                      r"\b(?:on|for|in|of|about) (?:that|those)\b(?!\s+(?:customer|client|book|pair|trade))")
_MODIFIER_ONLY = re.compile(r"(?:(?:tighten|widen|loosen|raise|lower|change|make it|set it|bump it|drop it)\s*)?"
                            r"(?:over|under|above|below|beyond|within|at|only|just|instead|from|to|until|more than|"
                            r"less than|at least|at most|max|min)?")
_NEW_ASK_WORDS = 4
# "just the eurusd ones", "and for aussie only": the previous ask, narrowed.
_NARROWS = re.compile(r"^\s*(?:and|also|plus|what about|how about)\b|\b(?:only|just|ones|same|instead|too)\b")
_ELLIPTICAL_WORDS = 2  # "credit?", "kyc too": a bare word or two mid-conversation leans on it


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
    ask = strip_opener(text)
    if _FOLLOWUP.search(text) or _FOLLOWUP.search(ask) or _CORRECTION.search(ask) or _COMPARISON.search(ask):
        return True
    if _PRONOUN.search(text) and not (entities.pairs or entities.currencies or entities.customers or entities.books):
        return True
    if has_desk_words and len(ask.split()) <= _ELLIPTICAL_WORDS:
        return True
    if not entities.is_empty() and _MODIFIER_ONLY.fullmatch(own_words(entities.rest).strip(" ?!.,")):
        return True  # a value and a modifier: "over 20 mins", "at 1.2715", "only 5m", "above 2%"
    short = len(text.split()) <= 6
    return short and not has_desk_words and not entities.is_empty()


def reads_as_new_ask(ask: str, entities: Entities) -> bool:
    """Return True when a message without desk words may still be a new ask: a sentence naming an instrument or trade.

    "what's cable done since monday" after a journal entry, "what if i buy 10m here" after a check-in: the
    model reads them afresh (the supervisor moves desk when it is sure); "and cable?", "last 2 weeks",
    narrowings ("just the eurusd ones") and pointers back ("break it down for aussie") stay follow-ups.
    """
    names = entities.pairs or entities.currencies or entities.notional or entities.side
    return bool(names) and len(ask.split()) >= _NEW_ASK_WORDS and not _NARROWS.search(ask) and not _PRONOUN.search(ask)


def strip_opener(text: str) -> str:
    """Return ``text`` without a leading acknowledgement or correction ("ok cool, and ..." → "and ...").

    A message that is nothing but an opener ("thanks!") is returned as it is.
    """
    rest = _OPENER.sub("", text, count=1)
    return rest if rest.strip() else text


def own_words(rest: str) -> str:
    """Return what a message asks in its own words: ``rest`` (argument values blanked) without opener or comparison."""
    return _COMPARISON.sub(" ", strip_opener(rest))


_SEVERAL = re.compile(r"\b(?:both|(?:each|all) of (?:them|those|these)|those (?:two|three|pairs|customers|clients))\b")


def refers_back(text: str) -> bool:
    """Return True when a message points at what an earlier turn named ("of it", "on those", "that one")."""
    return bool(_PRONOUN.search(text) or _ANSWER_REFERENCE.search(text))


def referred_instruments(text: str, messages: Sequence[BaseMessage]) -> dict[str, list[str]]:
    """Return the pairs and customers the previous turn's calls named when ``text`` says "both" or "each of them".

    "where are we on aussie and kiwi" then "pnl on both this week" asks the P&L of each pair again.
    """
    if not _SEVERAL.search(text):
        return {}
    named: dict[str, list[str]] = {"pair": [], "customer": []}
    for call in previous_tool_calls(messages):
        for key, values in named.items():
            value = call["args"].get(key)
            if value and value not in values:
                values.append(value)
    return {key: values for key, values in named.items() if len(values) > 1}


def previous_window_start(messages: Sequence[BaseMessage]) -> date | None:
    """Return the first day of the window the most recent earlier tool result covered (None: no such result)."""
    for message in reversed(earlier_turns(messages)):
        if isinstance(message, ToolMessage):
            try:
                result = json.loads(_text(message))
                return date.fromisoformat(result["window"]["start"])
            except (ValueError, TypeError, KeyError):
                continue
    return None


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


def carry_over(current: Entities, messages: Sequence[BaseMessage], left_out: Collection[str] = (),
               lexicon: Lexicon = DEMO) -> dict[str, Any]:
    """Return the arguments earlier turns set that the current message does not override.

    Args:
        current: Entities of the latest message.
        messages: The whole conversation.
        left_out: Arguments the previous call could take and left out: older turns' values are not carried
            (an instrument the previous answer named still is, when the message points at it).
        lexicon: The desk's pair universe (earlier messages and answers are read in it).

    Returns:
        Argument name → value, most recent turn first, conflict-free with ``current``.

    """
    carried: dict[str, Any] = {}
    for source in _earlier_args(messages, lexicon):
        for key in CARRIED:
            if key in source and key not in carried and key not in left_out:
                carried[key] = source[key]
    now = current.as_args()
    if "pair" not in carried and "currency" not in carried and _ANSWER_REFERENCE.search(current.text):
        carried.update(_answer_instrument(messages, lexicon))
    if "pair" in now or "currency" in now:
        carried.pop("pair", None)
        carried.pop("currency", None)
    if "book" in now and carried.get("pair") and lexicon.book_of_pair.get(carried["pair"]) != now["book"]:
        carried.pop("pair", None)
    if "side" in now or "notional" in now:
        carried.pop("rate", None)
    return {key: value for key, value in carried.items() if key not in now}


def _earlier_args(messages: Sequence[BaseMessage], lexicon: Lexicon) -> list[dict[str, Any]]:
    sources: list[dict[str, Any]] = []
    for message in reversed(earlier_turns(messages)):
        if isinstance(message, AIMessage):
            for call in message.tool_calls:
                if not call["name"].startswith(TRANSFER_PREFIX):
                    sources.append(dict(call.get("args") or {}))
        elif isinstance(message, HumanMessage):
            sources.append(extract(_text(message), lexicon).as_args())
        elif isinstance(message, ToolMessage):
            sources.append(_result_ids(message))
    return sources


def _answer_instrument(messages: Sequence[BaseMessage], lexicon: Lexicon) -> dict[str, Any]:
    """Return the first pair or currency the previous turn's answer named ("what's the VaR on that one?")."""
    for message in reversed(earlier_turns(messages)):
        if isinstance(message, HumanMessage):
            return {}
        if isinstance(message, AIMessage) and not message.tool_calls and _text(message).strip():
            named = extract(_text(message), lexicon)
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
