"""The intent model: a softmax linear classifier over message features, trained on the phrasing tables.

Training is deterministic (sorted vocabulary, zero initial weights, fixed full-batch Adam steps, no
randomness) and runs once per `OfflineTables` object at first use, in well under a second for the
desk contract's tables; nothing is downloaded or read from disk but the phrasings. A decision is a
sparse dot product, so thousands per second are cheap. `Brain.explain` names the features that
pushed a message toward an intent, which is how the model says why it routed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from llm.offline.entities import Entities, extract
from llm.offline.features import PLACEHOLDERS, STOPWORDS, featurise, mask, words
from llm.offline.lexicon import DEMO, Lexicon, lexicon_for
from llm.offline.tables import IntentTable, OfflineTables

__all__ = ["GENERIC_WORDS", "Brain", "Scored", "brain_for", "read_features"]

_EPOCHS, _RATE, _DECAY = 20, 0.3, 1e-4
_RANKED = 5  # intents a decision keeps (best first)
_DESK_WORD_USES = 2  # phrasings that must use a word before it marks a desk ask
_GREETINGS = ("hi ", "morning, ", "hey, ", "yo ", "hello, ")


@dataclass(frozen=True)
class Scored:
    """One message read by the model: probability per intent, best first."""

    ranked: tuple[tuple[str, float], ...]
    words: tuple[str, ...]
    features: dict[str, float]

    @property
    def intent(self) -> str:
        """Return the most probable intent."""
        return self.ranked[0][0]

    @property
    def confidence(self) -> float:
        """Return the most probable intent's probability."""
        return self.ranked[0][1]


class Brain:
    """A trained intent model over one set of tables."""

    def __init__(self, intents: Sequence[IntentTable], lexicon: Lexicon = DEMO) -> None:
        """Train on every intent's phrasings (plus greeting-prefixed copies of the desk ones).

        Args:
            intents: The intents with their phrasings; an intent without phrasings is never predicted.
            lexicon: The desk's pair universe, read in every message (default: the demo's).

        """
        self.lexicon = lexicon
        self.intents = tuple(i for i in intents if i.phrasings)
        self.by_name = {i.name: i for i in self.intents}
        reads = [(label, self.read(text)) for label, intent in enumerate(self.intents) for text in _augmented(intent)]
        examples = [(feats, label) for label, (_, feats) in reads]
        seen: dict[str, int] = {}
        for feats, _ in examples:
            for name in feats:
                seen[name] = seen.get(name, 0) + 1
        # A character n-gram seen once teaches nothing about unseen messages; words always count.
        vocabulary = sorted(n for n, count in seen.items() if count >= 2 or n.startswith(("w:", "e:")))
        self.index = {name: i for i, name in enumerate(vocabulary)}
        self.weights, self.bias = _train(examples, self.index, len(self.intents))
        self.desk_words = _desk_words([(self.intents[label], tokens) for label, (tokens, _) in reads])
        self.names = tuple(i.name for i in self.intents)
        self.label_of = {name: label for label, name in enumerate(self.names)}
        self._masks: dict[frozenset[str], np.ndarray] = {}

    def read(self, message: str) -> tuple[tuple[str, ...], dict[str, float]]:
        """Return a message's masked words and its features."""
        tokens, feats, _ = read_features(message, self.lexicon)
        return tokens, feats

    def score(self, message: str, allowed: Sequence[str] | None = None) -> Scored:
        """Return the intents ranked by probability for ``message``.

        Args:
            message: One user message (any case, typos allowed).
            allowed: Only these intents compete (e.g. those a desk's bound tools can answer).

        """
        tokens, feats = self.read(message)
        known = [(self.index[name], value) for name, value in feats.items() if name in self.index]
        logits = self.bias.astype(np.float64)
        if known:
            columns, values = zip(*known, strict=True)
            logits = logits + np.asarray(values) @ self.weights[list(columns)]
        if allowed is not None:
            keep = self._mask(allowed)
            if not keep.any():
                return Scored((), tokens, feats)
            logits = np.where(keep, logits, -np.inf)
        probs = np.exp(logits - logits.max())
        probs /= probs.sum()
        order = np.argsort(-probs, kind="stable")[:_RANKED]
        ranked = tuple((self.names[i], round(float(probs[i]), 4)) for i in order if probs[i] > 0)
        return Scored(ranked, tokens, feats)

    def _mask(self, allowed: Sequence[str]) -> np.ndarray:
        key = frozenset(allowed)
        if key not in self._masks:
            self._masks[key] = np.array([name in key for name in self.names])
        return self._masks[key]

    def explain(self, scored: Scored, intent: str | None = None, top: int = 5) -> list[tuple[str, float]]:
        """Return the features that pushed a message toward ``intent`` (default: the winner), strongest first."""
        intent = intent or scored.intent
        label = self.label_of[intent]
        pushes = [(name, value * float(self.weights[self.index[name], label]))
                  for name, value in scored.features.items() if name in self.index]
        return [(name, round(push, 3)) for name, push in sorted(pushes, key=lambda p: -p[1])[:top] if push > 0]

    def asks_in(self, text: str) -> bool:
        """Return True when ``text`` (a message with its argument values blanked) holds a desk word of its own."""
        return any(word in self.desk_words for word in words(mask(text, self.lexicon)))

    def has_desk_words(self, scored: Scored) -> bool:
        """Return True when the message holds a word that only desk phrasings use (not small talk, not filler)."""
        return any(word in self.desk_words for word in scored.words)


@lru_cache(maxsize=2048)
def read_features(message: str, lexicon: Lexicon = DEMO) -> tuple[tuple[str, ...], dict[str, float], Entities]:
    """Return a message's masked words, features and entities (cached: the supervisor and the desk read it).

    Callers must not mutate what it returns (`extract` gives a fresh, mutable `Entities`).
    """
    found = extract(message, lexicon)
    tokens = tuple(words(mask(found.text, lexicon)))
    return tokens, featurise(list(tokens), found.kinds()), found


@lru_cache(maxsize=8)
def brain_for(tables: OfflineTables) -> Brain:
    """Return the trained model of ``tables`` (trained on first use, then reused), reading their pair universe."""
    return Brain(tables.intents, lexicon_for(tables.pairs) if tables.pairs else DEMO)


def _augmented(intent: IntentTable) -> list[str]:
    texts = list(intent.phrasings)
    if intent.desks:
        # Desk staff open with a greeting as often as not: teach that it does not change the ask.
        texts += [_GREETINGS[i % len(_GREETINGS)] + text for i, text in enumerate(intent.phrasings) if i % 3 == 0]
    return texts


def _train(examples: list[tuple[dict[str, float], int]], index: dict[str, int],
           classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Fit softmax regression by per-example SGD with L2, in a fixed interleaved order (no randomness).

    Each example's gradient is scaled by (mean intent size / its intent's size), so every intent weighs
    the same however many phrasings its file holds: a desk that gains phrasings does not gain a prior.
    """
    counts = np.bincount([label for _, label in examples], minlength=classes).astype(float)
    scale = counts.mean() / np.maximum(counts, 1.0)
    rows = []
    for feats, label in examples:
        known = [(index[n], v) for n, v in feats.items() if n in index]
        columns, values = zip(*known, strict=True) if known else ((), ())
        rows.append((np.asarray(columns, dtype=np.int64), np.asarray(values), label))
    # Interleave the classes (round-robin over each class's examples) so no class comes in one block.
    by_class: dict[int, list[int]] = {}
    for position, (_, label) in enumerate(examples):
        by_class.setdefault(label, []).append(position)
    order = [queue[i] for i in range(max(map(len, by_class.values())))
             for queue in by_class.values() if i < len(queue)]
    weights, bias = np.zeros((len(index), classes)), np.zeros(classes)
    for epoch in range(_EPOCHS):
        rate = _RATE / (1 + 0.1 * epoch)
        for position in order:
            columns, values, label = rows[position]
            logits = values @ weights[columns] + bias
            probs = np.exp(logits - logits.max())
            probs /= probs.sum()
            probs[label] -= 1.0
            probs *= scale[label]
            weights[columns] -= rate * (np.outer(values, probs) + _DECAY * weights[columns])
            bias -= rate * probs
    return weights, bias


# Verbs every desk's asks use ("look at this month", "check", "pull up"): they mark no desk ask of their own.
GENERIC_WORDS = frozenset({"look", "looking", "check", "checks", "checking", "show", "run", "rerun", "pull", "give",
                           "see", "get", "tell", "do", "can", "could", "pls", "please", "just", "bring", "grab",
                           "fetch", "quick", "quickly", "again"})


def _desk_words(reads: list[tuple[IntentTable, tuple[str, ...]]]) -> frozenset[str]:
    """Return the words that mark a desk ask: used by two or more desk phrasings and by no small talk.

    A word only one phrasing uses ("racing", "first") says nothing about desks in general, and
    counting it would stop "first week of the month?" from being read as a follow-up.
    """
    uses: dict[str, int] = {}
    chat: set[str] = set()
    for intent, tokens in reads:
        if intent.desks:
            for word in set(tokens):
                uses[word] = uses.get(word, 0) + 1
        else:
            chat.update(tokens)
    desk = {word for word, count in uses.items() if count >= _DESK_WORD_USES}
    return frozenset(w for w in desk - chat - STOPWORDS - PLACEHOLDERS - GENERIC_WORDS if len(w) > 1)
