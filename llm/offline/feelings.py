"""A feeling the trader states ("I'm so anxious", "feeling fomo", "mood: tired"): the argument of an emotional check-in.

Read in order of certainty: a first-person statement ("i'm really nervous"), a labelled one ("mood:
tired", "check in - frustrated"), any feeling word the trader wrote ("feel great today, super
confident" is confident, not a guess from "great"), then a turn of phrase that names a state
without its word ("heart racing" → anxious). The check-in tool is only called once the intent
model chose it, so the last, loosest reading only has to name the feeling, not detect a check-in.
"""

from __future__ import annotations

import re

__all__ = ["feeling_in"]

_FEELING_WORDS = (r"anxious|nervous|nervy|jittery|worried|angry|mad|furious|fuming|frustrated|annoyed|irritable|"
                  r"tired|exhausted|knackered|stressed|overwhelmed|scared|afraid|fearful|tilted|greedy|bored|"
                  r"euphoric|overconfident|confident|calm|focused|fomo|impatient|shaky|gutted|upset|demotivated|"
                  r"distracted|burnt out|burned out|on edge|wound up|fried|drained|rattled|panicky|panicking|"
                  r"sick of|fed up|flat|unmotivated|restless|buzzing|excited|sad|happy|relaxed|lonely|guilty|ashamed|"
                  r"embarrassed|hopeful|optimistic|pessimistic|defeated|shaken|numb|paranoid|jumpy")
_INTENSIFIERS = (r"so|really|very|a bit|bit|a little|kinda|kind of|super|pretty|quite|totally|bloody|way|too|"
                 r"absolutely|proper|mentally|feeling")
_FEELING = re.compile(r"\b(?:i'?m|i am|im|feeling|i feel|i'?ve been feeling|been feeling|i'?m feeling|got)\s+"
                      rf"(?:(?:{_INTENSIFIERS})\s+)*({_FEELING_WORDS})\b|\b(?:anxiety|fomo) (?:is|today|right now)\b")
_LABELLED = re.compile(rf"\b(?:mood|feeling|feelings|check[\s-]?in|emotion|state)\b[^a-z]*(?:today\s+)?(?:is\s+)?"
                       rf"(?:(?:{_INTENSIFIERS})\s+)*({_FEELING_WORDS})\b")
_ANY = re.compile(rf"\b({_FEELING_WORDS})\b")
# Turns of phrase that name a state without its word, and the word a journal tags it with.
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    # Rumination over a loss: the trader is upset, whatever else they say.
    (re.compile(r"\b(?:can'?t|cannot|couldn'?t) stop thinking\b|\bkeep (?:replaying|thinking about|going over)\b"
                r"|\beating (?:me|at me)\b|\bcan'?t let (?:it|that) go\b|\bstill (?:thinking|stewing) about\b"),
     "upset"),
    (re.compile(r"\b(?:can'?t|cannot|couldn'?t) sleep\b|\bdidn'?t sleep\b"), "tired"),
    (re.compile(r"\bchest (?:is )?tight\b"), "anxious"),
    (re.compile(r"\bheart (?:is )?(?:racing|pounding)\b|\bhands (?:are )?shaking\b|\bpanic\b"), "anxious"),
    (re.compile(r"\b(?:can'?t|cannot) (?:focus|concentrate)\b|\ball over the place\b"), "distracted"),
    (re.compile(r"\bconfidence (?:is )?(?:shot|gone)\b"), "shaken"),
    (re.compile(r"\bthrow(?:ing)? (?:the|my) (?:screen|keyboard|phone)\b|\bpissed off\b|\braging\b"), "angry"),
    (re.compile(r"\bno sleep\b|\b\d+ hours? (?:of )?sleep\b|\bbarely slept\b"), "tired"),
    (re.compile(r"\bnot feeling it\b|\bno energy\b"), "flat"),
    (re.compile(r"\bfreaking out\b|\bnervous wreck\b"), "anxious"),
    (re.compile(r"\blosing my (?:cool|temper|rag)\b"), "angry"),
    (re.compile(r"\bfeel(?:ing)? (?:like )?(?:crap|rubbish|awful|terrible)\b|\brough day\b|\ba wreck\b"), "down"),
    (re.compile(r"\bfeel(?:ing)? (?:great|amazing|unstoppable|like a genius)\b"), "euphoric"),
    (re.compile(r"\b(?:bad|wrong|poor|weird|dark|messy|not (?:in )?a good) headspace\b"
                r"|\bheadspace is (?:off|bad|wrong)\b"),
     "off"),
    (re.compile(r"\bgood headspace\b|\bclear[\s-]headed\b|\bin the zone\b"), "calm"),
    (re.compile(r"\bi'?m beat\b"), "tired"),
    (re.compile(r"\bfear\b"), "fearful"),
)


def feeling_in(text: str) -> str | None:
    """Return the feeling a message names ("i'm so anxious" → anxious, "mood: tired" → tired), or None.

    Args:
        text: The typo-repaired, lower-case message.

    """
    match = _FEELING.search(text)
    if match:
        return (match.group(1) or ("anxious" if "anxiety" in match.group(0) else "fomo")).strip()
    match = _LABELLED.search(text)
    if match:
        return match.group(1).strip()
    match = _ANY.search(text)
    if match:
        return match.group(1).strip()
    for pattern, feeling in _PHRASES:
        if pattern.search(text):
            return feeling
    return None
