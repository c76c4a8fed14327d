"""The desk vocabulary the offline model reads: pairs, nicknames, currencies, books and typo repair.

The pair universe is the desk's ``pairs`` table: the composition root hands its rows to the model
(`OfflineTables.pairs`) and `lexicon_for` builds a `Lexicon` of them, so a loaded book's USDSGD is
read in "usdsgd", "usd sgd" and "sgd exposure". The llm package may not import tools/ (dependency
direction), so the demo universe is restated here as the default (`DEMO`) for a model built without
tables; `tests/unit/llm/offline` checks it against the demo's ``pairs`` rows.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "ALL_PAIRS",
    "BOOK_OF_PAIR",
    "CURRENCIES",
    "CURRENCY_NAMES",
    "CURRENCY_WORDS",
    "DEMO",
    "NICKNAMES",
    "Lexicon",
    "lexicon_for",
    "repair_typos",
]

G10_PAIRS = ("EURUSD", "GBPUSD", "USDJPY", "AUDUSD", "USDCHF", "USDCAD", "NZDUSD", "EURGBP", "EURJPY")
EM_PAIRS = ("USDMXN", "USDZAR", "USDTRY", "USDBRL", "USDINR", "USDRUB")
ALL_PAIRS = G10_PAIRS + EM_PAIRS
BOOK_OF_PAIR = {**{p: "FX-G10" for p in G10_PAIRS}, **{p: "FX-EM" for p in EM_PAIRS}}
CURRENCIES = tuple(sorted({p[:3] for p in ALL_PAIRS} | {p[3:] for p in ALL_PAIRS}))

# Longest phrases first so "euro yen" wins over "euro" and "yen".
_ALL_NICKNAMES: dict[str, str] = dict(
    sorted(
        {
            "euro dollar": "EURUSD", "euro-dollar": "EURUSD", "euro yen": "EURJPY", "euro-yen": "EURJPY",
            "euro sterling": "EURGBP", "euro-sterling": "EURGBP", "euro swiss": "EURCHF",
            "dollar yen": "USDJPY", "dollar-yen": "USDJPY", "dollar swiss": "USDCHF",
            "dollar cad": "USDCAD", "dollar peso": "USDMXN", "dollar rand": "USDZAR", "dollar lira": "USDTRY",
            "dollar real": "USDBRL", "dollar rupee": "USDINR", "dollar ruble": "USDRUB",
            "dollar rouble": "USDRUB", "brazilian real": "USDBRL", "mexican peso": "USDMXN",
            "south african rand": "USDZAR", "turkish lira": "USDTRY", "indian rupee": "USDINR",
            "russian ruble": "USDRUB", "russian rouble": "USDRUB", "swiss franc": "USDCHF",
            "canadian dollar": "USDCAD", "aussie dollar": "AUDUSD", "australian dollar": "AUDUSD",
            "kiwi dollar": "NZDUSD", "new zealand dollar": "NZDUSD", "japanese yen": "USDJPY",
            "cable": "GBPUSD", "fiber": "EURUSD", "fibre": "EURUSD", "loonie": "USDCAD", "loony": "USDCAD",
            "aussie": "AUDUSD", "ozzie": "AUDUSD", "kiwi": "NZDUSD", "swissie": "USDCHF", "swissy": "USDCHF",
            "yen": "USDJPY", "euro": "EURUSD", "euros": "EURUSD", "chunnel": "EURGBP", "peso": "USDMXN",
            "pesos": "USDMXN", "rand": "USDZAR", "lira": "USDTRY", "real": "USDBRL", "reais": "USDBRL",
            "rupee": "USDINR", "rupees": "USDINR", "ruble": "USDRUB", "rouble": "USDRUB", "rubles": "USDRUB",
            "roubles": "USDRUB", "sterling": "GBPUSD", "pound": "GBPUSD", "pounds": "GBPUSD",
            "quid": "GBPUSD", "franc": "USDCHF", "swiss": "USDCHF",
        }.items(),
        key=lambda item: -len(item[0]),
    )
)
# A nickname only counts as a pair when the pair is in the universe (EURCHF is not traded here).
NICKNAMES = {word: pair for word, pair in _ALL_NICKNAMES.items() if pair in ALL_PAIRS}

# Nicknames that name one currency, not a pair ("how much sterling are we long" asks about GBP): the
# currency is the nickname's pair's leg other than USD (`currency_named`).
CURRENCY_WORDS = frozenset({
    "sterling", "pound", "pounds", "quid", "euro", "euros", "yen", "japanese yen", "rand", "south african rand",
    "lira", "turkish lira", "peso", "pesos", "mexican peso", "real", "reais", "brazilian real", "rupee",
    "rupees", "indian rupee", "ruble", "rouble", "rubles", "roubles", "russian ruble", "russian rouble",
    "franc", "swiss franc", "canadian dollar", "aussie dollar", "australian dollar", "kiwi dollar",
    "new zealand dollar",
})
CURRENCY_NAMES = {"dollar": "USD", "dollars": "USD", "greenback": "USD", "buck": "USD", "bucks": "USD"}

# Words the intent rules key on; misspellings of these (one or two letters off) are repaired.
_VOCABULARY = (
    "exposure", "position", "positions", "risk", "value", "limit", "limits", "utilisation", "utilization",
    "headroom", "breach", "breaches", "breached", "breaching", "compliance", "restricted", "sanctions",
    "screen", "screening", "counterparty", "credit", "booking", "bookings", "journal", "entries",
    "entry", "expectancy", "factor", "average", "behaviour", "behavior", "overtrading", "revenge",
    "psychology", "discipline", "streak", "streaks", "hypothetical", "historical", "parametric",
    "yesterday", "today", "week", "month", "monday", "tuesday", "wednesday", "thursday", "friday",
    "customer", "client", "trades", "trading", "market", "emotions", "pre-trade", "onboarding",
    "exposed", "statistics", "stats", "cable", "loonie", "swissie", "chunnel", "aussie", "rupee",
    "ruble", "rouble", "sterling", "hello", "thanks", "latest", "update", "off-market", "winrate", "status",
)
# Desk shorthand and short misspellings difflib cannot repair safely (too few letters).
_SHORTHAND = {"wek": "week", "wk": "week", "wks": "weeks", "mnth": "month", "mth": "month", "mths": "months",
              "tdy": "today", "tday": "today", "yday": "yesterday", "yest": "yesterday", "yst": "yesterday",
              "pos": "position", "posn": "position", "posns": "positions", "expo": "exposure", "ccy": "currency",
              "cpty": "counterparty", "cust": "cust", "pls": "please", "thx": "thanks", "ty": "thanks"}
# Ordinary words near a vocabulary word that must stay as written ("months" is not "month").
_KEEP = frozenset((
    "months", "weeks", "hours", "minutes", "trade", "trader", "traders", "traded", "position",
    "limited", "values", "valued", "credits", "market", "markets", "marked", "screens", "streaky",
    "booked", "customers", "clients", "entered", "average", "averages", "factors", "statistic",
    "riskier", "risks", "dollar", "dollars", "tradings", "stated", "states", "status", "latest",
    "where", "which", "there", "their", "these", "those", "about", "would", "could", "should",
    # issue 17: words of the journal and psychology skills that sit near a vocabulary word
    "rules", "string", "strings", "journaled", "journalled", "logged", "tilted", "fuming", "stressed",
    # sides: "selling" is not a misspelt "sterling"
    "selling", "seller", "sellers", "settle", "settled", "buying",
    # "start" is not a misspelt "stats"
    "start", "starts", "started", "starting", "state",
    # schedules and currency names: "weekly" is not a misspelt "week", "swiss" not "swissie"
    "weekly", "monthly", "hourly", "yearly", "swiss",
    # "staring at screens" is not a misspelt "sterling"
    "staring", "stare", "stared", "stirring",
))
_WORD = re.compile(r"[a-z][a-z\-']+")
_PRE_TRADE = re.compile(r"\bpre[\s_]+trade\b")  # "pre trade check" is the pre-trade check


@lru_cache(maxsize=4096)
def _repair_word(word: str) -> str:
    if word in _SHORTHAND:
        return _SHORTHAND[word]
    if len(word) < 5 or word in _VOCABULARY_SET or word in _KEEP:
        return word
    # A typo keeps the first letter and about the length ("racing" is not a misspelt "breaching").
    near = [v for v in _VOCABULARY if v[0] == word[0] and abs(len(v) - len(word)) <= 2]
    close = difflib.get_close_matches(word, near, n=1, cutoff=0.8)
    return close[0] if close else word


_VOCABULARY_SET = frozenset(_VOCABULARY)


def repair_typos(text: str) -> str:
    """Return lower-cased ``text`` with misspelt desk words replaced by the word meant.

    Args:
        text: A user message.

    Returns:
        The message in lower case, e.g. ``"my exposre"`` becomes ``"my exposure"``.

    """
    text = _PRE_TRADE.sub("pre-trade", text.lower())
    return _WORD.sub(lambda m: _repair_word(m.group(0)), text)


@dataclass(frozen=True, eq=False)
class Lexicon:
    """One pair universe as the offline model reads it: codes, nicknames, books and the patterns that find them.

    Build it with `lexicon_for` (one object per universe, so the model's caches key on it).
    """

    book_of_pair: Mapping[str, str]
    currencies: tuple[str, ...]
    nicknames: Mapping[str, str]
    pair: re.Pattern[str]
    nick: re.Pattern[str]
    currency: re.Pattern[str]

    def canonical_pair(self, code: str) -> str | None:
        """Return the market-convention pair for six letters (either order), or None when unknown.

        Args:
            code: Six letters such as ``"eurusd"`` or ``"USDEUR"``.

        """
        code = code.upper()
        if code in self.book_of_pair:
            return code
        flipped = code[3:] + code[:3]
        return flipped if flipped in self.book_of_pair else None

    def currency_named(self, name: str) -> str | None:
        """Return the currency a currency-naming nickname names ("sterling" → GBP), or None for a pair's nickname."""
        pair = self.nicknames.get(name) if name in CURRENCY_WORDS else None
        return None if pair is None else (pair[:3] if pair[3:] == "USD" else pair[3:])

    def pair_for_currency(self, currency: str) -> str | None:
        """Return the pair that trades ``currency`` against USD (``GBP`` → ``GBPUSD``), or None.

        Args:
            currency: An ISO code.

        """
        for pair in self.book_of_pair:
            if currency in (pair[:3], pair[3:]) and "USD" in (pair[:3], pair[3:]) and currency != "USD":
                return pair
        return None


@lru_cache(maxsize=16)
def lexicon_for(pairs: tuple[tuple[str, str], ...]) -> Lexicon:
    """Return the lexicon of a pair universe (cached: one object per universe).

    Args:
        pairs: ``(pair, book)`` rows of the desk's ``pairs`` table, e.g. ``(("EURUSD", "FX-G10"), ...)``.

    """
    book_of_pair = {pair.upper(): book for pair, book in pairs}
    currencies = tuple(sorted({p[:3] for p in book_of_pair} | {p[3:] for p in book_of_pair}))
    nicknames = {word: pair for word, pair in _ALL_NICKNAMES.items() if pair in book_of_pair}
    codes = "|".join(c.lower() for c in currencies)
    # "30 bucks" is a size (30 million), not the dollar: after a number "buck(s)" is left to the notional.
    names = "|".join(n if not n.startswith("buck") else rf"(?<![\d.])(?<![\d.]\s){n}" for n in CURRENCY_NAMES)
    nick = "|".join(re.escape(n).replace(r"\ ", r"[\s-]+") for n in nicknames) or r"(?!x)x"
    return Lexicon(
        book_of_pair=book_of_pair,
        currencies=currencies,
        nicknames=nicknames,
        pair=re.compile(rf"\b({codes})\s*[/\-_.:]?\s*({codes})\b"),
        nick=re.compile(rf"\b({nick})\b"),
        currency=re.compile(rf"\b({codes}|{names})\b"),
    )


# The demo universe: what a model built without tables reads.
DEMO = lexicon_for(tuple(BOOK_OF_PAIR.items()))
