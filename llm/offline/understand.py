"""Reading a message into intents: the whole message first, then any clause that asks for something else.

"show my P&L and my journal stats" is one message and two asks: the message is split at
conjunctions and punctuation, each clause of two or more words is scored, and a clause whose best
intent is confident and differs from the whole message's adds its desks and tools in the order the
clauses came. A greeting clause ("hi, where are we") never outweighs a desk clause, and a clause that
names only argument values ("buying 50m cable") is part of the ask before it, not an ask of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from llm.offline.brain import Brain, Scored, read_features
from llm.offline.entities import without_sides
from llm.offline.tables import SMALL_TALK

__all__ = ["CONFIDENT", "Reading", "read_message"]

CONFIDENT = 0.55
# One message writes one journal record: a clause of it that reads as another write or as a feeling check-in
# ("long 5m cable 1.2710, felt fomo") describes that record, it is not a second ask.
_WRITES = frozenset({"log_journal_trade", "add_journal_entry", "update_journal_entry"})
_PART_OF_A_WRITE = _WRITES | {"check_in_feeling"}
_SPLIT = re.compile(r"\b(?:and|also|plus|then|as well as|oh and)\b|[;,?!]|\s[&+]\s|\s-\s")
_MIN_WORDS = 2
# "market" alone ("market's dead") asks for no off-market report in a clause of its own; elsewhere "off market"
# written apart still leans on it, so it stays a desk word (generic verbs are no desk words: `GENERIC_WORDS`).
_MARKET = re.compile(r"\bmarket(?:s|'s)?\b")


@dataclass(frozen=True)
class Reading:
    """One ask in a message: the intent, its desks and tools, how sure the model is, and why."""

    intent: str
    desks: tuple[str, ...]
    tools: tuple[str, ...]
    confidence: float
    ranked: tuple[tuple[str, float], ...] = ()
    why: Callable[[], list[tuple[str, float]]] = field(default=list, repr=False, compare=False)

    @property
    def small_talk(self) -> bool:
        """Return True for the supervisor's own intents (greeting, help, thanks, goodbye, out of domain)."""
        return self.intent in SMALL_TALK or not (self.desks or self.tools)

    def explanation(self) -> dict[str, object]:
        """Return a JSON-able account of the decision: intent, confidence, runners-up, strongest features."""
        return {"intent": self.intent, "confidence": self.confidence, "ranked": [list(r) for r in self.ranked[:3]],
                "features": [list(w) for w in self.why()]}


def read_message(brain: Brain, message: str, allowed: Sequence[str] | None = None,
                 scored: Scored | None = None) -> list[Reading]:
    """Return the asks in ``message``: the whole message's reading first, then other confident clauses.

    Args:
        brain: The trained intent model.
        message: The user's message.
        allowed: Only these intents compete (None: all).
        scored: The whole message already scored with the same ``allowed`` (saves scoring it twice).

    Returns:
        Readings in the order their asks appear (the whole message's at the clause that agrees with it).

    """
    whole = _reading(brain, scored or brain.score(message, allowed))
    clauses = [c.strip() for c in _SPLIT.split(message) if len(c.split()) >= _MIN_WORDS]
    if len(clauses) < 2:
        return [whole]
    found: list[tuple[int, Reading]] = []
    close: int | None = None  # the first clause that has the whole message's intent among its runners-up
    for position, clause in enumerate(clauses):
        reading = _reading(brain, brain.score(clause, allowed))
        if close is None and whole.intent in (name for name, _ in reading.ranked):
            close = position
        if (reading.confidence >= CONFIDENT and not reading.small_talk and not _describes(whole, reading)
                and _asks_something(brain, clause)):
            found.append((position, reading))
    if whole.small_talk and found:
        whole = found[0][1]
    agreeing = next((p for p, r in found if r.intent == whole.intent), None)
    if agreeing is None:
        agreeing = next((p for p, r in found if r.desks == whole.desks), close or 0)
    if set(whole.tools) & _WRITES:
        # What follows a journal write is what it writes ("add to journal: T-50117 ... got in late").
        found = [(p, r) for p, r in found if p <= agreeing]
    ordered = sorted([(agreeing, whole), *((p, r) for p, r in found if r.intent != whole.intent)],
                     key=lambda item: item[0])
    return [r for _, r in ordered]


def _asks_something(brain: Brain, clause: str) -> bool:
    """Return True when a clause holds a desk word beyond its argument values and side.

    "can you pretrade it, buying 50m cable" is one ask: its second clause only says what "it" is; "check
    this month" only says when.
    """
    return brain.asks_in(_MARKET.sub(" ", without_sides(read_features(clause, brain.lexicon)[2].rest)))


def _describes(whole: Reading, clause: Reading) -> bool:
    """Return True when ``clause`` only describes the journal record the whole message writes."""
    return bool(set(whole.tools) & _WRITES) and set(clause.tools) <= _PART_OF_A_WRITE


def _reading(brain: Brain, scored: Scored) -> Reading:
    if not scored.ranked:
        return Reading("out_of_domain", (), (), 0.0)
    intent = brain.by_name[scored.intent]
    return Reading(intent.name, intent.desks, intent.tools, scored.confidence, scored.ranked[:3],
                   lambda: brain.explain(scored))
