"""Trader shorthand → a journal trade record: "long 5m cable 1.2710 stop 1.2650 breakout, felt fomo".

Deterministic, no model. The grammar, in the order it is read (each match is removed before the next):
- levels after a keyword: stop (``stop``, ``sl``, ``s/l``, ``stp``, ``stop loss``), target (``target``,
  ``tp``, ``t/p``, ``tgt``, ``take profit``, ``obj``), exit (``exit``, ``exited``, ``out``, ``closed``,
  ``covered``), entry (``@``, ``at``, ``entry``, ``in at``, ``filled``, ``px``);
- size: a number with a unit: ``k`` 1e3; ``m``, ``mm``, ``mio``, ``mln``, ``million``, ``bar``, ``bucks`` 1e6;
  ``yard``/``yd``/``bn`` 1e9; also "a bar", "half a bar", "a yard"; and a bare number of at most three
  digits between the side and the pair ("short 10 fiber", "long 2.5 cable"), in millions as desks quote;
- side: ``long``/``buy``/``bought``/``bot``/``lifted``/``paid`` → BUY, ``short``/``sell``/``sold``/
  ``hit the bid``/``given`` → SELL; a lone ``l``/``s``/``b`` as the first word (or the first after a colon);
- pair: a code ("EURUSD", "eur/usd", inverted spellings), a desk nickname (``llm.offline.lexicon``)
  or a two-letter majors code (EU, GU, UJ, AU, NU, UC, EJ, EG);
- the entry, when no keyword named it: the first number left;
- tags: ``#hashtags``, ``setup:``/``tags:`` lists and known setup words ("mean reversion" →
  ``mean-reversion``); emotions: words after ``felt``/``feeling``/``emotions:`` and known feeling words.
What is left (minus filler words) is the note. Nothing is guessed: a field not written stays None.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from pydantic import BaseModel, Field

from data.demo_market import pair_rows
from llm.offline.lexicon import NICKNAMES

__all__ = ["EMOTION_WORDS", "SETUP_WORDS", "ParsedTrade", "parse_shorthand"]

_NUM = r"(\d+(?:\.\d+)?|\.\d+)"
_UNITS = {"k": 1e3, "m": 1e6, "mm": 1e6, "mio": 1e6, "mln": 1e6, "mn": 1e6, "mil": 1e6, "million": 1e6,
          "millions": 1e6, "bar": 1e6, "bars": 1e6, "buck": 1e6, "bucks": 1e6, "yard": 1e9, "yards": 1e9, "yd": 1e9,
          "yds": 1e9, "bn": 1e9, "billion": 1e9}
_SLANG = {"eu": "EURUSD", "gu": "GBPUSD", "uj": "USDJPY", "au": "AUDUSD", "nu": "NZDUSD", "uc": "USDCAD",
          "ucad": "USDCAD", "uchf": "USDCHF", "ej": "EURJPY", "eg": "EURGBP"}
SETUP_WORDS = {
    "mean reversion": "mean-reversion", "mean-reversion": "mean-reversion", "london open": "london-open",
    "ny open": "ny-open", "asian range": "asian-range", "double top": "double-top",
    "double bottom": "double-bottom", "head and shoulders": "head-and-shoulders", "breakout": "breakout",
    "break out": "breakout", "pullback": "pullback", "retest": "retest", "range": "range", "trend": "trend",
    "reversal": "reversal", "fading": "fade", "news": "news", "nfp": "nfp", "cpi": "cpi", "fomc": "fomc", "ecb": "ecb",
    "boe": "boe", "carry": "carry", "momentum": "momentum", "fade": "fade", "scalp": "scalp",
    "support": "support", "resistance": "resistance", "swing": "swing",
}
EMOTION_WORDS = {
    "fomo": "fomo", "calm": "calm", "anxious": "anxious", "nervous": "anxious", "angry": "angry", "mad": "angry",
    "frustrated": "frustrated", "confident": "confident", "overconfident": "overconfident", "greedy": "greedy",
    "fearful": "fearful", "scared": "fearful", "impatient": "impatient", "bored": "bored", "tired": "tired",
    "stressed": "stressed", "euphoric": "euphoric", "hesitant": "hesitant", "excited": "excited",
    "revenge": "revenge", "tilted": "tilted", "patient": "patient", "focused": "focused",
}
_FILLER = {"of", "at", "in", "on", "a", "an", "the", "and", "with", "for", "my", "i", "was", "trade", "idea",
           "felt", "feeling", "feel", "went", "going", "setup", "tags", "tag", "emotions", "emotion", "reason",
           "because", "to"}


class ParsedTrade(BaseModel):
    """What a line of shorthand says about a trade; None where it says nothing."""

    side: str | None = Field(None, description="BUY or SELL of the base currency.")
    pair: str | None = None
    size: float | None = Field(None, description="Base currency units.")
    entry: float | None = None
    stop: float | None = None
    target: float | None = None
    exit: float | None = None
    setup_tags: list[str] = Field(default_factory=list)
    emotions: list[str] = Field(default_factory=list)
    notes: str = ""


def _level(keywords: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w/])(?:{keywords})\s*(?:at|@|:|=|-)?\s*{_NUM}(?![\w.])")


_STOP = _level(r"stop[\s-]?loss|stop|stp|s/l|sl")
_TARGET = _level(r"take[\s-]?profit|target|tgt|t/p|tp|obj(?:ective)?")
_EXIT = _level(r"exited|exit|out|closed|close|covered")
_ENTRY = _level(r"in at|entry|filled|fill|px|@|at")
_SIZE = re.compile(rf"(?<![\w.]){_NUM}\s*({'|'.join(sorted(_UNITS, key=len, reverse=True))})\b")
_WORD_SIZE = re.compile(r"\b(half a|a|one)\s+(bar|yard|million)\b")
_SIDE_WORDS = r"long|buy|bought|bot|lifted|paid|short|shorted|sell|sold|given"
# "short 10 fiber", "long 2.5 cable": a bare number between the side and a word (the pair) is the size in millions.
_BARE_SIZE = re.compile(rf"\b(?:{_SIDE_WORDS})\s+(\d{{1,3}}(?:\.\d+)?)(?=\s+[a-z])")
_BUY = re.compile(r"\b(?:long|buy|bought|bot|lifted|paid)\b")
_SELL = re.compile(r"\b(?:short|shorted|sell|sold|hit the bid|hit bid|given)\b")
# first word, or first after a label ("journal it:", "log b 2m kiwi")
_LONE_SIDE = re.compile(r"(?:^|:|\blog(?:ged)?\b|\bjournal\b)\s*([lsb])\b(?!/)")
_CODE = re.compile(r"(?=\b([a-z]{3})\s*[/\-_.:]?\s*([a-z]{3})\b)")
_HASHTAG = re.compile(r"#([a-z][\w-]*)")
_LISTED = re.compile(r"\b(setup|tags?|emotions?)\s*:\s*([a-z ,\-]+?)(?=$|[.;]|\b(?:felt|feeling|stop|sl|tp|target)\b)")
_FELT = re.compile(r"\b(?:felt|feeling|feel)\s+(?:a bit |very |really |quite |so |pretty )?([a-z][a-z\-]*)")
_NUMBER = re.compile(rf"(?<![\w.]){_NUM}(?![\w.])")


def parse_shorthand(text: str, pairs: Collection[str] | None = None) -> ParsedTrade:
    """Parse one line of trader shorthand (see the module docstring for the grammar).

    ``pairs`` is the pair universe (the tools pass the ``pairs`` table's codes); without it, the demo's
    reference table.
    """
    known = frozenset(pairs) if pairs is not None else frozenset(r["pair"] for r in pair_rows())
    rest = " " + " ".join((text or "").lower().replace("’", "'").split()) + " "
    found: dict[str, object] = {}
    for key, pattern in (("stop", _STOP), ("target", _TARGET), ("exit", _EXIT)):
        rest = _take(pattern, rest, lambda m, k=key: found.setdefault(k, float(m[1])))
    rest = _take(_SIZE, rest, lambda m: found.setdefault("size", float(m[1]) * _UNITS[m[2]]))
    if "size" not in found and (bare := _BARE_SIZE.search(rest)):
        found["size"] = float(bare[1]) * 1e6
        rest = rest[:bare.start(1)] + " " * len(bare[1]) + rest[bare.end(1):]
    rest = _take(_WORD_SIZE, rest, lambda m: found.setdefault(
        "size", (0.5 if m[1] == "half a" else 1.0) * {"bar": 1e6, "million": 1e6, "yard": 1e9}[m[2]]))
    rest = _take(_ENTRY, rest, lambda m: found.setdefault("entry", float(m[1])))
    tags: list[str] = []
    emotions: list[str] = []
    rest = _take(_HASHTAG, rest, lambda m: tags.append(m[1]))
    rest = _take(_LISTED, rest, lambda m: (emotions if m[1].startswith("emotion") else tags).extend(
        p.strip().replace(" ", "-") for p in m[2].split(",") if p.strip()))
    rest = _take(_FELT, rest, lambda m: emotions.append(EMOTION_WORDS.get(m[1], m[1])))
    rest = _take(_LONE_SIDE, rest, lambda m: found.setdefault("side", "SELL" if m[1] == "s" else "BUY"))
    for side, pattern in (("BUY", _BUY), ("SELL", _SELL)):
        match = pattern.search(rest)
        if match and ("side" not in found or match.start() < found.get("_side_at", 10**6)):
            found["side"], found["_side_at"] = side, match.start()
    rest = _BUY.sub(" ", _SELL.sub(" ", rest))
    rest = _take_pair(rest, found, known)
    for phrase, tag in sorted(SETUP_WORDS.items(), key=lambda item: -len(item[0])):
        rest = _take(re.compile(rf"\b{re.escape(phrase)}\b"), rest, lambda m, t=tag: tags.append(t))
    for word, emotion in EMOTION_WORDS.items():
        rest = _take(re.compile(rf"\b{word}\b"), rest, lambda m, e=emotion: emotions.append(e))
    if "entry" not in found:
        rest = _take(_NUMBER, rest, lambda m: found.setdefault("entry", float(m[1])), count=1)
    words = [w for w in re.split(r"[\s,;]+", re.sub(r"[()\[\]@/]", " ", rest)) if w and w not in _FILLER]
    return ParsedTrade(side=found.get("side"), pair=found.get("pair"), size=found.get("size"),
                       entry=found.get("entry"), stop=found.get("stop"), target=found.get("target"),
                       exit=found.get("exit"), setup_tags=list(dict.fromkeys(tags)),
                       emotions=list(dict.fromkeys(emotions)), notes=" ".join(words).strip(" .-"))


def _take(pattern: re.Pattern[str], text: str, use, count: int = 0) -> str:
    def replace(match: re.Match[str]) -> str:
        use(match)
        return " "

    return pattern.sub(replace, text, count=count)


def _take_pair(text: str, found: dict[str, object], known: frozenset[str]) -> str:
    for match in _CODE.finditer(text):
        code = (match[1] + match[2]).upper()
        pair = code if code in known else code[3:] + code[:3] if code[3:] + code[:3] in known else None
        if pair:
            found["pair"] = pair
            return text[:match.start()] + " " + text[match.end(2):]
    for word, pair in NICKNAMES.items():  # longest first
        match = re.search(rf"\b{re.escape(word)}\b", text)
        if match:
            found["pair"] = pair
            return text[:match.start()] + " " + text[match.end():]
    for word, pair in _SLANG.items():
        match = re.search(rf"\b{word}\b", text)
        if match:
            found["pair"] = pair
            return text[:match.start()] + " " + text[match.end():]
    return text
