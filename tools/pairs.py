"""Currency pairs as the desk spells them, checked against the pair universe read from the ``pairs`` table.

The universe is data (`domain.pairs.PairUniverse`, loaded by `data.queries.rates.pair_universe`
and cached by `tools.scope.ScopeGate.universe`); these helpers turn its `DomainError` into the
tools' typed `ToolInputError`.
"""

from __future__ import annotations

from domain.errors import DomainError
from domain.pairs import PairUniverse
from tools.errors import ToolInputError


def normalise_pair(text: str, universe: PairUniverse) -> str:
    """Return the canonical pair code for a user spelling, or raise `ToolInputError` ``unknown_pair``.

    Accepts any case and the separators ``/ - _ . :`` and spaces; an inverted pair
    ("USD/EUR") is answered with the market-convention pair.
    """
    try:
        return universe.normalise(text)
    except DomainError as exc:
        raise ToolInputError(exc.code, exc.message) from None


def normalise_currency(text: str, universe: PairUniverse) -> str:
    """Return the ISO code for a currency the desk trades, or raise `ToolInputError` ``unknown_currency``."""
    try:
        return universe.normalise_currency(text)
    except DomainError as exc:
        raise ToolInputError(exc.code, exc.message) from None
