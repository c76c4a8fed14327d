"""The pair universe: which currency pairs and currencies the desk trades, built from rows of the ``pairs`` table.

The universe is data, not code: `data.queries.rates.pair_universe` reads it from the database and
the demo generator writes its own reference table. Spelling rules: any case, the separators
``/ - _ . :`` and spaces are ignored, and an inverted pair ("USD/EUR") names the market-convention
pair ("EURUSD").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from domain.errors import DomainError

_SEPARATORS = re.compile(r"[\s/\-_.:]+")


@dataclass(frozen=True)
class Pair:
    """One row of the ``pairs`` table: BASE/QUOTE, region, the book that trades it, quoting decimals."""

    pair: str
    base: str
    quote: str
    region: str
    book: str
    decimals: int

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Pair:
        """Build from a ``pairs`` row (extra columns are ignored)."""
        return cls(pair=row["pair"], base=row["base"], quote=row["quote"], region=row["region"],
                   book=row["book"], decimals=int(row["decimals"]))


@dataclass(frozen=True)
class PairUniverse:
    """Every pair the desk trades, in table order."""

    pairs: tuple[Pair, ...]

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]]) -> PairUniverse:
        """Build from ``pairs`` rows."""
        return cls(tuple(Pair.from_row(r) for r in rows))

    @property
    def codes(self) -> tuple[str, ...]:
        """Pair codes, e.g. ("EURUSD", ...)."""
        return tuple(p.pair for p in self.pairs)

    @property
    def currencies(self) -> tuple[str, ...]:
        """Every currency in some pair, sorted."""
        return tuple(sorted({p.base for p in self.pairs} | {p.quote for p in self.pairs}))

    def get(self, code: str) -> Pair:
        """Return the pair with this canonical code; raise `DomainError` ``unknown_pair`` otherwise."""
        for p in self.pairs:
            if p.pair == code:
                return p
        raise self._unknown(code)

    def book_of(self, code: str) -> str:
        """Return the book that trades the pair."""
        return self.get(code).book

    def decimals(self) -> dict[str, int]:
        """Return pair -> quoting decimals."""
        return {p.pair: p.decimals for p in self.pairs}

    def in_region(self, region: str) -> tuple[str, ...]:
        """Return the pair codes of one region (G10, EM)."""
        return tuple(p.pair for p in self.pairs if p.region == region)

    def normalise(self, text: str) -> str:
        """Return the canonical pair code for a user spelling; raise `DomainError` ``unknown_pair`` otherwise."""
        code = _SEPARATORS.sub("", text or "").upper()
        known = self.codes
        if code in known:
            return code
        if len(code) == 6 and code[3:] + code[:3] in known:
            return code[3:] + code[:3]
        raise self._unknown(text)

    def normalise_currency(self, text: str) -> str:
        """Return the ISO code of a currency the desk trades; raise `DomainError` ``unknown_currency`` otherwise."""
        code = (text or "").strip().upper()
        if code in self.currencies:
            return code
        raise DomainError("unknown_currency",
                          f"Unknown currency {text!r}. Known currencies: {', '.join(self.currencies)}.")

    def as_rows(self) -> list[dict[str, Any]]:
        """Return the universe as JSON-able rows (for the web desk)."""
        return [{"pair": p.pair, "base": p.base, "quote": p.quote, "region": p.region, "book": p.book,
                 "decimals": p.decimals} for p in self.pairs]

    def _unknown(self, text: str) -> DomainError:
        return DomainError("unknown_pair", f"Unknown currency pair {text!r}. Known pairs: {', '.join(self.codes)}.")
