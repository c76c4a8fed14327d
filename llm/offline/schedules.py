"""Schedule requests in trader words: "schedule the var report daily 7am", "send me the breaches every friday".

The specialist calls a desk's schedule tool when a message asks for a report on a schedule (and not to
see, stop or change schedules), and reads which report from what is left once the when-words are gone;
the supervisor keeps "schedule that weekly" on the desk that just answered.
"""

from __future__ import annotations

import re

__all__ = ["asks_to_schedule", "without_when_words"]

_DAYS = r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
# A request to send a report on a schedule ("schedule the var report daily 7am", "send me the breaches every
# friday", "set up limit utilisation every monday"), unless it asks to see, stop or change schedules.
_EVERY = (rf"\b(?:(?:every|each)\s+(?:morning|day|evening|night|weekday|week|month|hour|close|{_DAYS})"
          rf"|daily|weekly|monthly|on {_DAYS})\b")
_CLOCK = r"\b\d{1,2}(?::\d\d)?\s*(?:am|pm)\b|(?:\bat|@)\s*\d{1,2}(?::\d\d)?\b|\bat (?:the )?close\b"
_SCHEDULING = re.compile(
    rf"\bschedul(?:e|ing)\b|\b(?:send|email|mail|ping|push|deliver|set (?:\w+ )?up|set me up)\b.*{_EVERY}"
    rf"|{_EVERY}.*(?:{_CLOCK})|(?:{_CLOCK}).*{_EVERY}")
_NOT_SCHEDULING = re.compile(r"\b(?:cancel|stop|remove|delete|kill|drop|turn off|unsubscribe|list|which|what are|"
                             r"show (?:me )?(?:my|the) (?:schedules|scheduled))\b|\bscheduled\b")
# The words of a schedule request that say when, not what: blanked before reading which report it asks for.
_WHEN_WORDS = re.compile(
    rf"\bschedul\w*|\b(?:every|each)\s+\w+|\b(?:daily|weekly|monthly|report|reports|instead)\b"
    rf"|\bon {_DAYS}\b"
    rf"|\b(?:at|@)\s*\d{{1,2}}(?::\d\d)?\s*(?:am|pm)?|\b\d{{1,2}}(?::\d\d)?\s*(?:am|pm)\b"
    rf"|\b(?:send|email|mail|ping|push|set (?:\w+ )?up|set me up)(?: me)?\b"
    rf"|\b(?:london|new york|ny|tokyo|singapore|sydney|zurich|frankfurt|hong kong|utc|gmt)\b"
    rf"|\bat (?:the )?close\b|\b(?:morning|evening|night)\b")


def asks_to_schedule(text: str) -> bool:
    """Return True when a (lower-case) message asks for a report on a schedule."""
    return bool(_SCHEDULING.search(text)) and not _NOT_SCHEDULING.search(text)


def without_when_words(message: str) -> str:
    """Return the lower-cased message without the words that say when (times, days, cities, "every")."""
    return _WHEN_WORDS.sub(" ", message.lower())
