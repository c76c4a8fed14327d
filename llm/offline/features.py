"""Features of a message for the intent model: masked words, word bigrams, character n-grams, entity kinds.

Entity spans (pairs and nicknames, currencies, customers, trade and entry ids, books, windows, sizes,
numbers) are replaced by placeholders such as ``<pair>`` before words are read, so "cable" and
"usdjpy" teach the model the same thing and a pair never decides the tool. Character n-grams of
each word (3 and 4 letters) make typos land near the word meant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from llm.offline import entities as ent
from llm.offline.lexicon import DEMO, Lexicon
from llm.offline.windows import find_window

__all__ = ["PLACEHOLDERS", "STOPWORDS", "featurise", "mask", "words"]

_MASKS_BEFORE: tuple[tuple[re.Pattern[str], str], ...] = (
    (ent.CUSTOMER, " <cust> "), (ent.TRADE, " <trade> "), (ent.ENTRY, " <entry> "), (ent.G10, " <book> "),
    (ent.EM, " <book> "),
)
PLACEHOLDERS = frozenset({"<cust>", "<trade>", "<entry>", "<book>", "<pair>", "<ccy>", "<num>", "<window>"})
_TOKEN = re.compile(r"<[a-z]+>|[a-z][a-z0-9&/'\-]*|\d+")
STOPWORDS = frozenset("""
a an the i me my mine we us our you your it its it's is are was were be been am do does did done have has had
what what's whats how how's hows who which when where where's why and or but if then so for of on in at to
from by with about as this that these those there here please pls plz can could would should will shall
just quick some any all get got give gimme show tell let let's lets need want see know same also too again
instead ok okay right now still one ones them their they he she his her hi hey hello yo morning up
looking every few times probably being myself kinda lol interesting really doing going like than vs versus
""".split())


# How much each feature group counts (each group is first scaled to unit length).
GROUP_WEIGHTS = {"w": 1.0, "b": 0.8, "c": 1.5, "e": 0.6}
_PNL = re.compile(r"\bp\s*(?:&|and|/|n)\s*l\b|\bp ?& ?ls?\b")


def mask(text: str, lexicon: Lexicon = DEMO) -> str:
    """Return lower-case ``text`` with entity spans replaced by placeholders (``<pair>``, ``<window>``...).

    Args:
        text: A typo-repaired, lower-case message.
        lexicon: The pair universe whose pairs, nicknames and currencies are masked.

    """
    text = _PNL.sub("pnl", text)
    for _ in range(3):
        label, blanked = find_window(text)
        if label is None:
            break
        text = _fill(blanked, text, " <window> ")
    for pattern, token in _masks(lexicon):
        text = pattern.sub(token, text)
    return re.sub(r"\d+(?:[.,]\d+)*", " <num> ", text)


@lru_cache(maxsize=16)
def _masks(lexicon: Lexicon) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Return the span patterns to mask, in order, with the lexicon's pairs, nicknames and currencies."""
    return (*_MASKS_BEFORE, (lexicon.pair, " <pair> "), (lexicon.nick, " <pair> "), (lexicon.currency, " <ccy> "),
            (ent.NOTIONAL, " <num> "))


def words(text: str) -> list[str]:
    """Return the tokens of a masked message."""
    return _TOKEN.findall(text)


def featurise(masked_words: list[str], entity_kinds: Iterable[str]) -> dict[str, float]:
    """Return the weighted features of one message (each group scaled to unit length, then weighted).

    Args:
        masked_words: `words` of the `mask`-ed message.
        entity_kinds: Names of the entity kinds the message holds (``pair``, ``side``, ``notional``...).

    """
    groups: dict[str, set[str]] = {"w": set(), "b": set(), "c": set(), "e": set()}
    for word in masked_words:
        groups["w"].add(word)
        if word not in PLACEHOLDERS and len(word) >= 3:
            padded = f"^{word}$"
            groups["c"].update(padded[i:i + n] for n in (3, 4) for i in range(len(padded) - n + 1))
    groups["b"].update(f"{a}_{b}" for a, b in zip(["^", *masked_words], [*masked_words, "$"], strict=True))
    groups["e"].update(entity_kinds)
    features: dict[str, float] = {}
    for group, items in groups.items():
        if items:
            value = GROUP_WEIGHTS[group] / len(items) ** 0.5
            features.update((f"{group}:{item}", value) for item in items)
    return features


def _fill(blanked: str, original: str, token: str) -> str:
    # find_window blanked the span it read with spaces: one placeholder goes where that span was.
    changed = [i for i, (a, b) in enumerate(zip(blanked, original, strict=True)) if a != b]
    if not changed:
        return blanked
    return blanked[:changed[0]] + token + blanked[changed[-1] + 1:]
