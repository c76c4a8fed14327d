"""Recognise what a trader asks the desk to remember, show or forget about them (deterministic, no model).

Three kinds of memory, each with a stable key so restating one replaces it:
- a preference stated about themself: "I only trade the London session", "I never hold over the weekend";
- a nickname for a pair: "call EURUSD fibre";
- a fact with a subject: "my daily loss limit is 50k", "remember that my desk head is Priya".
Questions ("what is my loss limit?") are never taken as something to remember; they go to the desks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Action = Literal["remember", "show", "forget"]

_PAIR = r"(?P<pair>[a-z]{3}/?[a-z]{3})"
_NICKNAME = re.compile(rf"^(?:please\s+)?(?:call|refer to)\s+{_PAIR}\s+(?:as\s+)?[\"']?(?P<name>[\w-]+)[\"']?$")
_PREFERENCE = re.compile(r"^(?:fyi,?\s+|note(?: that)?,?\s+)?i\s+(?:only|always|never|usually|mostly|prefer(?: to)?|"
                         r"don't|do not)\s+(?P<what>.+)$")
_FACT_SUBJECTS = ("limit", "stop", "target", "session", "timezone", "time zone", "style", "strategy", "budget",
                  "max", "hours", "desk head", "manager", "nickname", "name")
_FACT = re.compile(r"^(?:remember(?: that)?\s+)?my\s+(?P<subject>[\w\s'-]{2,40}?)\s+(?:is|are)\s+(?P<value>.+)$")
_NOTE = re.compile(r"^(?:please\s+)?remember(?: that)?\s+(?P<what>.+)$")
_SHOW = re.compile(r"(what do you (?:remember|know) about me|what have you remembered|"
                   r"(?:show|list|tell)(?: me)? (?:my|your) (?:preferences|memories|memory|notes about me)|"
                   r"what are my preferences)")
_FORGET_LAST = re.compile(r"^(?:please\s+)?forget (?:that|it|the last one)$")
_FORGET_ALL = re.compile(r"^(?:please\s+)?forget everything(?: about me)?(?: you know)?$")
_FORGET = re.compile(r"^(?:please\s+)?forget (?:about\s+)?(?:my\s+|the\s+|that\s+)?(?P<what>.+)$")
_QUESTION = re.compile(r"^(what|which|how|why|when|who|where|is|are|do|does|can|could|should|would)\b")
# "my daily loss limit is 20k, did i break it": a statement that sets up a question for the desks.
_TRAILING_QUESTION = re.compile(r"[,;]\s*(did|do|does|have|has|was|were|am|is|are|how|what|which|can|could|should|"
                                r"would|will)\b")


@dataclass(frozen=True)
class MemoryCommand:
    """One recognised request: remember ``key`` = ``value``, show all, or forget (``last``, ``all`` or ``words``)."""

    action: Action
    key: str = ""
    value: dict = field(default_factory=dict)
    words: tuple[str, ...] = ()
    last: bool = False
    everything: bool = False


def parse(message: str) -> MemoryCommand | None:
    """Return the memory command in ``message``, or ``None`` when it is a question for the desks."""
    text = " ".join(message.strip().rstrip(".!").split())
    lowered = text.lower()
    if not lowered:
        return None
    if _SHOW.search(lowered):
        return MemoryCommand("show")
    if lowered.endswith("?") or _QUESTION.match(lowered) or _TRAILING_QUESTION.search(lowered):
        return None
    if _FORGET_ALL.match(lowered):
        return MemoryCommand("forget", everything=True)
    if _FORGET_LAST.match(lowered):
        return MemoryCommand("forget", last=True)
    if found := _FORGET.match(lowered):
        return MemoryCommand("forget", words=tuple(re.findall(r"\w+", found["what"])))
    if found := _NICKNAME.match(lowered):
        pair = found["pair"].replace("/", "").upper()
        name = found["name"]
        return MemoryCommand("remember", f"nickname-{name}", {"kind": "nickname", "pair": pair, "name": name,
                                                               "text": f"'{name}' means {pair}"})
    if (found := _FACT.match(lowered)) and any(s in found["subject"] for s in _FACT_SUBJECTS):
        subject = found["subject"].strip()
        original = _restore_case(text, found["value"])
        return MemoryCommand("remember", f"fact-{_slug(subject)}",
                             {"kind": "fact", "subject": subject, "value": original,
                              "text": f"your {subject} is {original}"})
    if found := _PREFERENCE.match(lowered):
        statement = _restore_case(text, lowered[lowered.index(" ") + 1:] if lowered.startswith(("fyi", "note"))
                                  else lowered)
        statement = statement[0].upper() + statement[1:]
        return MemoryCommand("remember", f"preference-{_slug(found['what'])[:48]}",
                             {"kind": "preference", "text": statement})
    if found := _NOTE.match(lowered):
        what = _restore_case(text, found["what"])
        return MemoryCommand("remember", f"note-{_slug(found['what'])[:48]}", {"kind": "note", "text": what})
    return None


def _slug(text: str) -> str:
    return "-".join(re.findall(r"\w+", text.lower()))


def _restore_case(original: str, lowered_part: str) -> str:
    start = original.lower().find(lowered_part)
    return original[start:start + len(lowered_part)] if start >= 0 else lowered_part
