"""Currency pairs as the desk spells them: normalise "eur/usd", "EUR-USD", "eurusd" to "EURUSD"."""

from __future__ import annotations

import re

from tools.errors import ToolInputError

# The demo universe (DESIGN §3). Order is market convention: base first.
G10_PAIRS = ("EURUSD", "GBPUSD", "USDJPY", "AUDUSD", "USDCHF", "USDCAD", "NZDUSD", "EURGBP", "EURJPY")
EM_PAIRS = ("USDMXN", "USDZAR", "USDTRY", "USDBRL", "USDINR")
RESTRICTED_PAIRS = ("USDRUB",)
ALL_PAIRS = G10_PAIRS + EM_PAIRS + RESTRICTED_PAIRS
CURRENCIES = tuple(sorted({p[:3] for p in ALL_PAIRS} | {p[3:] for p in ALL_PAIRS}))

_SEPARATORS = re.compile(r"[\s/\-_.:]+")


def normalise_pair(text: str) -> str:
    """Return the canonical pair code for a user spelling, or raise `ToolInputError`.

    Accepts any case and the separators ``/ - _ . :`` and spaces; an inverted pair
    ("USD/EUR") is answered with the market-convention pair.
    """
    code = _SEPARATORS.sub("", text or "").upper()
    if code in ALL_PAIRS:
        return code
    if len(code) == 6 and code[3:] + code[:3] in ALL_PAIRS:
        return code[3:] + code[:3]
    raise ToolInputError(
        "unknown_pair",
        f"Unknown currency pair {text!r}. Known pairs: {', '.join(ALL_PAIRS)}.",
    )


def normalise_currency(text: str) -> str:
    """Return the ISO code for a currency the desk trades, or raise `ToolInputError`."""
    code = (text or "").strip().upper()
    if code in CURRENCIES:
        return code
    raise ToolInputError(
        "unknown_currency",
        f"Unknown currency {text!r}. Known currencies: {', '.join(CURRENCIES)}.",
    )
