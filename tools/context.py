"""The runtime `Context`: who is asking and what they may see, set by the caller only."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

Role = Literal["trader", "analyst", "risk_manager", "compliance", "onboarding"]
ROLES: tuple[Role, ...] = ("trader", "analyst", "risk_manager", "compliance", "onboarding")


class Context(BaseModel):
    """Who is asking and what they may see. Set by the caller, never by the model.

    LangGraph coerces a dict context (REST body, Studio) with ``Context(**ctx)``; the model
    is frozen so a node or tool cannot widen it, and JSON lists become tuples.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    user_id: str
    role: Role
    books: tuple[str, ...] = ()
    customers: tuple[str, ...] = ()
    as_of: date | None = None

    @field_validator("books", "customers", mode="before")
    @classmethod
    def _split_csv(cls, value: object) -> object:
        # CLI flags and query strings arrive as "FX-G10,FX-EM".
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    def narrowed(self, books: tuple[str, ...] | None = None,
                 customers: tuple[str, ...] | None = None) -> Context:
        """Return a copy limited to the given subsets; raise `ScopeWidening` if they are not subsets."""
        new_books = self.books if books is None else tuple(books)
        new_customers = self.customers if customers is None else tuple(customers)
        extra_books = set(new_books) - set(self.books)
        extra_customers = set(new_customers) - set(self.customers)
        if extra_books or extra_customers:
            raise ScopeWidening(sorted(extra_books), sorted(extra_customers))
        return self.model_copy(update={"books": new_books, "customers": new_customers})


class ScopeWidening(ValueError):
    """A caller asked for books or customers beyond the user's entitlements."""

    def __init__(self, books: list[str], customers: list[str]):
        self.books = books
        self.customers = customers
        parts = []
        if books:
            parts.append(f"books {', '.join(books)}")
        if customers:
            parts.append(f"customers {', '.join(customers)}")
        super().__init__(f"not entitled to {' and '.join(parts)}: a request may narrow scope, never widen it")
