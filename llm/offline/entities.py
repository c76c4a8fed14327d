"""Entity extraction: what a desk message names (pairs, books, customers, windows, notionals, sides...).

Each extractor consumes the span it read (blanks it) so a later one cannot read it again: the 203
of "Cust203" is never a notional, the 30 of "last 30 days" never a limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any

from llm.offline.lexicon import CURRENCY_NAMES, DEMO, Lexicon, repair_typos
from llm.offline.windows import find_window

__all__ = ["CUSTOMER", "EM", "ENTRY", "G10", "NOTIONAL", "TRADE", "Entities", "extract", "without_sides"]


@dataclass
class Entities:
    """Everything one message names, in the spelling the tools expect."""

    pairs: list[str] = field(default_factory=list)
    currencies: list[str] = field(default_factory=list)
    books: list[str] = field(default_factory=list)
    customers: list[str] = field(default_factory=list)
    window: str | None = None
    notional: float | None = None
    side: str | None = None
    rate: float | None = None
    trade_ids: list[str] = field(default_factory=list)
    entry_id: int | None = None
    tags: list[str] = field(default_factory=list)
    emotions: list[str] = field(default_factory=list)
    kyc_status: str | None = None
    var_method: str | None = None
    checks: list[str] = field(default_factory=list)
    group_by: str | None = None
    threshold_minutes: int | None = None
    tolerance_pct: float | None = None
    limit: int | None = None
    next_trades: int | None = None
    notes: str | None = None
    # ISO codes of currencies named by their name ("sterling"), each also read as its USD pair in ``pairs``.
    named_currencies: list[str] = field(default_factory=list)
    text: str = ""
    # The message once every span read as an argument value is blanked: what is left is what it asks for.
    rest: str = ""

    def as_args(self) -> dict[str, Any]:
        """Return candidate tool arguments keyed by the argument names the desk tools use."""
        candidates: dict[str, Any] = {
            "pair": _first(self.pairs), "currency": _first(self.currencies), "book": _first(self.books),
            "customer": _first(self.customers), "window": self.window, "notional": self.notional,
            "side": self.side, "rate": self.rate, "trade_id": _first(self.trade_ids),
            "entry_id": self.entry_id, "setup_tags": self.tags or None, "tag": _first(self.tags),
            "emotions": self.emotions or None, "status": self.kyc_status, "method": self.var_method,
            "checks": self.checks or None, "group_by": self.group_by,
            "threshold_minutes": self.threshold_minutes, "tolerance_pct": self.tolerance_pct,
            "limit": self.limit, "next_trades": self.next_trades, "notes": self.notes,
        }
        return {key: value for key, value in candidates.items() if value is not None}

    def kinds(self) -> list[str]:
        """Return the names of the entity kinds this message holds (``pairs``, ``side``, ``notional``...)."""
        kinds = [f.name for f in fields(self) if f.name not in _NOT_KINDS and getattr(self, f.name)]
        if self.side:
            kinds.append(f"side_{self.side}")
        return kinds

    def is_empty(self) -> bool:
        """Return True when the message named nothing the tools could use."""
        return not any(getattr(self, f.name) for f in fields(self) if f.name not in _NOT_KINDS)


_NOT_KINDS = ("text", "notes", "rest", "named_currencies")


_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "fifteen": 15, "twenty": 20, "twenty five": 25, "thirty": 30,
                 "forty": 40, "fifty": 50, "hundred": 100, "a": 1, "half a": 0.5}
_SCALE = {"k": 1e3, "thousand": 1e3, "grand": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "mio": 1e6,
          "mios": 1e6, "million": 1e6, "millions": 1e6, "mil": 1e6, "lakh": 1e5, "lakhs": 1e5,
          "crore": 1e7, "bn": 1e9, "b": 1e9, "billion": 1e9, "billions": 1e9, "yard": 1e9, "yards": 1e9,
          "yds": 1e9, "yd": 1e9, "bar": 1e6, "bars": 1e6, "bucks": 1e6, "buck": 1e6}
_SCALES = "|".join(sorted(map(re.escape, _SCALE), key=len, reverse=True))
_WORDNUM = "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True))
_NOTIONAL = re.compile(
    rf"(?<![\w.,])(\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:[.,]\d+)?)\s*({_SCALES})?\b(?!\s*%)"
    rf"|\b({_WORDNUM})\s+({_SCALES})\b"
)
_SIDES = [
    (re.compile(r"\b(?:buy|buys|buying|bought|purchase|purchasing|lift|lifting|lifted|pay|paying|paid|"
                r"go long|going long|long|mine)\b(?!\s+(?:my|me|us|the limit|attention))"), "buy"),
    (re.compile(r"\b(?:sell|sells|selling|sold|hit|hitting|give|giving|gave|go short|going short|short|"
                r"yours|dump|dumping|dumped|offload|offloading|unload|unloading|liquidate|liquidating)\b"
                r"(?!\s+(?:my|me|us|the limit|a limit|limits?))"), "sell"),
]
_NOT_SIDE = re.compile(r"\bhow (?:long|short)\b|\blong[\s-]term\b|\bshort[\s-]term\b|\bin short\b")
_CUSTOMER = re.compile(r"\b(?:cust(?:omer)?|client|counterparty|cpty|account)\s*[#-]?\s*(\d{1,5})\b")
_NOT_A_SIZE = (r"(?!\s*(?:m|k|mm|mn|mio|bucks?|yards?|yds?|bn|bars?|%|bps?|pips?|days?|weeks?|months?|min|mins"
               r"|minutes?))")
# A customer by its bare number where only a customer fits: "kyc on 999", "credit line for 212"...
_CUSTOMER_BY_WORD = re.compile(r"\b(?:kyc|credit(?:\s+line)?|screen(?:ing)?|restricted(?:\s+list)?|sanctions?)\s+"
                               rf"(?:check\s+|status\s+)?(?:on|for|of)?\s*(\d{{3}})\b{_NOT_A_SIZE}")
# ...and in a message naming no instrument: "do the same for 212", "back to 202".
_CUSTOMER_BY_TURN = re.compile(rf"\b(?:back to|same for|same on|and for|and|for|what about|how about|now|then)\s+"
                               rf"(\d{{3}})\b"
                               rf"{_NOT_A_SIZE}")
_TRADE = re.compile(r"\b(t\d{6}|t-\d{4,8})\b|\btrade\s*(?:id\s*|no\.?\s*|number\s*)?#?\s*(\d{1,6})\b")
_ENTRY = re.compile(r"\b(?:entry|note)\s*(?:id\s*|no\.?\s*|number\s*)?#?\s*(\d{1,6})\b|#(\d{1,6})\b")
_G10 = re.compile(r"\bfx[\s_-]?g10\b|\bg10\b|\bg-10\b|\bmajors book\b")
_EM = re.compile(r"\bfx[\s_-]?em\b|\bem\s+(?:book|desk|pairs|side)\b|\bemerging(?:[\s-]markets?)?\b"
                 r"|\b(?:on|in|for|of|the|about|and|vs|just|same|now|what|how)\s+em\b(?!\s+(?:run|go|be|have|up|out|in)\b)"
                 r"|^\W*em\b(?!\s*[,.\u2026-])(?!\s+(?:run|go|be|have|up|out|in|what|whats|how|hows|so|i|we)\b)"
                 r"|\bem\W*$")
# Written like a pair ("EURXYZ", "eur/xyz"): six capitals, or two three-letter codes with a separator.
_PAIR_LIKE = re.compile(r"\b([A-Z]{3})([A-Z]{3})\b|\b([A-Za-z]{3})\s*[/-]\s*([A-Za-z]{3})\b")
_NOT_REAL = re.compile(r"\breal(?=[\s-]+(?:money|time|quick|trade|trades|issue|problem|risk|question|"
                       r"concern|p&l|pnl|loss|losses))|\bfor real\b|\bthe real (?=\w)")
_RATE = re.compile(r"(?:@|\bat\b|\brate\s*(?:of\s*)?|\bprice\s*(?:of\s*)?)\s*(\d+\.\d+)")
_MINUTES = re.compile(r"\b(\d{1,5})\s*(?:min|mins|minutes)\b")
_HOURS = re.compile(r"\b(\d{1,3}|an|one|half an)\s*(?:h|hr|hrs|hours?)\b")
_TOLERANCE = re.compile(r"\b(\d+(?:\.\d+)?)\s*(?:%|percent\b|pct\b|per cent\b)")
_LIMIT = re.compile(r"\b(?:last|latest|top|recent|first)\s+(\d{1,3})\b(?!\s*(?:days?|weeks?|months?))"
                    r"|\b(\d{1,3})\s+(?:most\s+recent\s+|latest\s+|recent\s+)?(?:journal\s+)?(?:entries|notes)\b")
_NEXT_TRADES = re.compile(r"\b(?:next|the|first)\s+(\d{1,2})\s+(?:trades?|ones)\s+(?:after|following)\b"
                          r"|\bnext\s+(\d{1,2})\s+(?:trades?|ones)\b")
_KYC = re.compile(r"\b(approved|pending|expired|expiring|rejected|declined)\b")
_METHOD_WORD = r"(?:\s+(?:method|methodology|approach|model|version))?\b"  # "historical method": one value
_METHODS = [(re.compile(r"\b(?:parametric|ewma|variance[\s-]covariance|delta[\s-]normal)" + _METHOD_WORD),
             "parametric"),
            (re.compile(r"\b(?:historical|historic|hist(?:orical)?[\s-]sim|full reval\w*)" + _METHOD_WORD),
             "historical"),
            (re.compile(r"\b(?:both|all|either|the two) (?:methods|ways|measures|models|flavours|flavors)\b"), "both")]
_CHECKS = [
    (re.compile(r"\bover[\s-]?trad\w*|\btoo many trades\b|\btrading too much\b|\btrade too much\b"
                r"|\bhow many trades\b|\bthan usual\b|\bvs\.? (?:normal|usual)\b|\bbaseline\b"), "overtrading"),
    (re.compile(r"\brevenge\w*"), "revenge_trading"),
    (re.compile(r"\bchas\w*\s+(?:my\s+)?loss\w*|\bloss[\s-]chas\w*|\bdoubl\w* down\b"), "loss_chasing"),
    (re.compile(r"\btimes?[\s-]of[\s-](?:the[\s-])?day\b|\bwhat time\b|\bwhich hours?\b|\bhour of\b|\btime of the day\b"
                r"|\b(?:in the |during the )?(?:afternoons|mornings|evenings)\b|\bin the (?:afternoon|evening)\b"
                r"|\b(?:late|early) (?:session|in the day)\b"),
     "time_of_day"),
    (re.compile(r"\bstreak\w*|\bin a row\b"), "streaks"),
]
_GROUP = re.compile(r"\b(?:by|per|for each|broken down by|split by|which|what)\s+"
                    r"(tag|tags|setup|setups|pair|pairs|ccy pair|"
                    r"emotions?|feelings?|moods?)\b")
_TAG = re.compile(r"#([a-z][\w-]*)|\btag(?:s|ged)?\s+(?:as\s+|with\s+|to\s+)?['\"]?"
                  r"(?!(?:it|them|this|that|the|a|an|as|with|to|on|in|my|entry|entries|ones|one|trades)\b)([a-z][\w-]*)")
_SETUPS = ("breakout", "news", "range", "trend", "reversal", "carry", "momentum", "fade", "pullback",
           "scalp", "mean-reversion", "nfp", "fomc", "ecb", "boe", "boj", "cpi", "fix", "squeeze")
_EMOTIONS = ("fomo", "calm", "fear", "fearful", "greed", "greedy", "anxious", "confident", "frustrated",
             "bored", "tilt", "tilted", "impatient", "euphoric", "nervous", "angry", "disciplined",
             "overconfident", "hopeful", "stressed", "relaxed", "regret")
_NOTES = [re.compile(r"[:\u2014](?!\d)\s*(.{3,}?)\s*$"),
          re.compile(r"\b(?:note (?:that|down)|saying|noting)\s+(.{3,}?)\s*$")]
_QUOTED = re.compile(r"[\"\u201c']([^\"\u201d']{3,})[\"\u201d']")


def extract(message: str, lexicon: Lexicon = DEMO) -> Entities:
    """Return the entities a message names.

    Args:
        message: One user message in any case, typos allowed.
        lexicon: The pair universe to read pairs and currencies in (default: the demo's).

    Returns:
        The entities, each in tool spelling: pairs ``EURUSD``, books ``FX-G10``, customers
        ``Cust203``, windows in the tools' window grammar, notionals in units of base currency.

    """
    original = message or ""
    text = repair_typos(original)
    found = Entities(text=text)
    found.notes = _notes(original)
    found.window, text = find_window(text)
    text = _take_all(_CUSTOMER, text, lambda m: found.customers.append(f"Cust{int(m[1])}"))
    text = _take_number(_CUSTOMER_BY_WORD, text, lambda m: found.customers.append(f"Cust{int(m[1])}"))
    text = _take_all(_TRADE, text, lambda m: found.trade_ids.append(
        m[1].upper() if m[1] else f"T{int(m[2]):06d}"))
    text = _take_first(_ENTRY, text, lambda m: setattr(found, "entry_id", int(m[1] or m[2])))
    text = _take_all(_G10, text, lambda m: _add(found.books, "FX-G10"))
    if re.search(r"\bEM\b", original):
        _add(found.books, "FX-EM")
    text = _take_all(_EM, text, lambda m: _add(found.books, "FX-EM"))
    text = _take_all(lexicon.pair, text, lambda m: _add_pair(found, m, lexicon))
    for match in _PAIR_LIKE.finditer(original):
        _add_unknown_pair(found, match, lexicon)
    text = _take_all(_NOT_REAL, text, lambda m: None)
    text = _take_all(lexicon.nick, text, lambda m: _add_nickname(found, re.sub(r"[\s-]+", " ", m[1]), lexicon))
    text = _take_all(lexicon.currency, text, lambda m: _add_currency(found, m[1], original))
    text = _take_first(_RATE, text, lambda m: setattr(found, "rate", float(m[1])))
    text = _take_first(_MINUTES, text, lambda m: setattr(found, "threshold_minutes", int(m[1])))
    text = _take_first(_HOURS, text, lambda m: setattr(found, "threshold_minutes", _hours_in_minutes(m[1])))
    text = _take_first(_TOLERANCE, text, lambda m: setattr(found, "tolerance_pct", float(m[1])))
    text = _take_first(_NEXT_TRADES, text, lambda m: setattr(found, "next_trades", int(m[1] or m[2])))
    text = _take_first(_LIMIT, text, lambda m: setattr(found, "limit", int(m[1] or m[2])))
    if not (found.customers or found.pairs or found.currencies or found.side):
        text = _take_number(_CUSTOMER_BY_TURN, text, lambda m: found.customers.append(f"Cust{int(m[1])}"), count=1)
    found.notional, text = _notional(text)
    _read_words(found, text)
    found.rest = _blank_values(text)
    return found


def _read_words(found: Entities, text: str) -> None:
    if not _NOT_SIDE.search(text):
        hits = [(m.start(), side) for pattern, side in _SIDES for m in [pattern.search(text)] if m]
        found.side = min(hits)[1] if hits else None
    if match := _KYC.search(text):
        found.kyc_status = {"expiring": "expired", "declined": "rejected"}.get(match[1], match[1])
    for pattern, method in _METHODS:
        if pattern.search(text):
            found.var_method = "both" if found.var_method else method
    found.checks = [check for pattern, check in _CHECKS if pattern.search(text)]
    if match := _GROUP.search(text):
        found.group_by = "pair" if "pair" in match[1] else "tag" if match[1].startswith(("tag", "setup")) else "emotion"
    for match in _TAG.finditer(text):
        _add(found.tags, match[1] or match[2])
    for word in re.findall(r"[a-z][\w-]*", text):
        if setup := _stem(word, _SETUPS):
            _add(found.tags, setup)
        if word in _EMOTIONS:
            _add(found.emotions, word)


def without_sides(text: str) -> str:
    """Return ``text`` with its side words ("buying", "short") blanked: they are argument values, not an ask."""
    for pattern, _ in _SIDES:
        text = pattern.sub(lambda m: " " * (m.end() - m.start()), text)
    return text


def _hours_in_minutes(count: str) -> int:
    return 30 if count == "half an" else 60 if count in ("an", "one") else int(count) * 60


def _blank_values(text: str) -> str:
    """Return ``text`` with the argument-value phrases the extractors read in place blanked (method, status...)."""
    for pattern in (*(p for p, _ in _METHODS), _KYC, _GROUP, _TAG):
        text = pattern.sub(lambda m: " " * (m.end() - m.start()), text)
    # A setup word filters ("only the breakout ones"); it does not ask for anything of its own.
    return re.sub(r"[a-z][\w-]*", lambda m: " " * len(m[0]) if _stem(m[0], _SETUPS) else m[0], text)


def _stem(word: str, vocabulary: tuple[str, ...]) -> str | None:
    if word in vocabulary:
        return word
    for suffix in ("s", "d", "ed", "ing", "er", "ers"):
        if word.endswith(suffix) and word[: -len(suffix)] in vocabulary:
            return word[: -len(suffix)]
    return None


def _notional(text: str) -> tuple[float | None, str]:
    for match in _NOTIONAL.finditer(text):
        if match[3]:
            value, scale = float(_NUMBER_WORDS[match[3]]), _SCALE[match[4]]
        else:
            digits, scale_word = match[1], match[2]
            if re.fullmatch(r"\d+,\d{1,2}", digits):  # "2,5 mio": a decimal comma
                digits = digits.replace(",", ".")
            value, scale = float(digits.replace(",", "")), _SCALE.get(scale_word or "", 1.0)
            if scale == 1.0 and value < 1000:
                continue
        blank = " " * (match.end() - match.start())
        return round(value * scale, 2), text[: match.start()] + blank + text[match.end():]
    if re.search(r"\b(?:a|one)\s+yard\b", text):
        return 1e9, text
    return None, text


def _notes(message: str) -> str | None:
    if match := _QUOTED.search(message):
        return match[1].strip()
    for pattern in _NOTES:
        if match := pattern.search(message):
            note = match[1].strip().strip("\"'")
            return note if len(note) >= 3 else None
    return None


def _add_pair(found: Entities, match: re.Match[str], lexicon: Lexicon) -> bool:
    if match[1].upper() not in lexicon.currencies or match[2].upper() not in lexicon.currencies:
        return False
    pair = lexicon.canonical_pair(match[1] + match[2])
    if pair is None:
        # A pair of known currencies the desk does not trade, written as a pair ("AUD/NZD", "audnzd"),
        # goes to the tool as written so the person hears "unknown pair"; "GBP JPY" with a space is
        # two currencies, and "GBP GBP" is nothing.
        written_as_pair = not any(ch.isspace() for ch in match[0])
        if match[1].lower() == match[2].lower() or not written_as_pair:
            return False
        pair = (match[1] + match[2]).upper()
    _add(found.pairs, pair)
    return True


# ISO codes that are also English words ("try last month"): a currency only when written in capitals.
_WORD_CODES = frozenset({"try"})


def _add_currency(found: Entities, word: str, original: str) -> bool:
    if word in _WORD_CODES and not re.search(rf"\b{word.upper()}\b", original):
        return False
    _add(found.currencies, CURRENCY_NAMES.get(word, word.upper()))
    return True


def _add_nickname(found: Entities, name: str, lexicon: Lexicon) -> None:
    _add(found.pairs, lexicon.nicknames[name])
    if currency := lexicon.currency_named(name):
        _add(found.named_currencies, currency)


def _add_unknown_pair(found: Entities, match: re.Match[str], lexicon: Lexicon) -> None:
    base, quote = (match[1] or match[3]).upper(), (match[2] or match[4]).upper()
    if (base in lexicon.currencies) != (quote in lexicon.currencies):  # one real code and one not: "EURXYZ", "XYZ/USD"
        _add(found.pairs, base + quote)


def _take_all(pattern: re.Pattern[str], text: str, use) -> str:
    def replace(match: re.Match[str]) -> str:
        if use(match) is False:
            return match.group(0)
        return " " * (match.end() - match.start())

    return pattern.sub(replace, text)


def _take_number(pattern: re.Pattern[str], text: str, use, count: int = 0) -> str:
    """Like `_take_all`, but blank only the number (group 1): "kyc on 209" keeps "kyc" as the ask."""
    for taken, match in enumerate(list(pattern.finditer(text))):
        if count and taken >= count:
            break
        use(match)
        start, end = match.span(1)
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _take_first(pattern: re.Pattern[str], text: str, use) -> str:
    match = pattern.search(text)
    if not match:
        return text
    use(match)
    return text[: match.start()] + " " * (match.end() - match.start()) + text[match.end():]


def _add(items: list[str], item: str) -> None:
    if item and item not in items:
        items.append(item)


def _first(items: list[Any]) -> Any:
    return items[0] if items else None


# The spans the intent model masks (llm/offline/features.py) are the ones extraction reads; the pair,
# nickname and currency patterns are the lexicon's.
CUSTOMER, TRADE, ENTRY, G10, EM, NOTIONAL = _CUSTOMER, _TRADE, _ENTRY, _G10, _EM, _NOTIONAL
