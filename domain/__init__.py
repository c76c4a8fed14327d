"""The FX domain core shared by every desk: pairs, trades, market and USD conversion, valuation, limit status.

Pure Python (no SQL, no LangChain, no project imports); it sits at the bottom of the dependency
order ``server -> graph -> agents -> tools -> data -> domain``. `data` builds these objects from
rows; the desks compute with them.
"""

from domain.errors import DomainError
from domain.limits import LimitStatus, limit_status, utilisation_pct
from domain.market import Market, usd_value
from domain.pairs import Pair, PairUniverse
from domain.trade import Trade, side_sign

__all__ = [
    "DomainError",
    "LimitStatus",
    "Market",
    "Pair",
    "PairUniverse",
    "Trade",
    "limit_status",
    "side_sign",
    "usd_value",
    "utilisation_pct",
]
