"""Scope enforcement and audit for every tool call: the runtime context decides, never the model.

A tool hands its model-written arguments to `ScopeGate.run`. The gate
1. checks the role may use the tool (``role_grants`` in the database),
2. checks every book, customer and pair the model asked for against the caller's context,
3. runs the computation on a `Scope` that already holds only entitled books and customers,
4. writes one audit record: allowed, denied or error.
A refusal is a result (``status: not_entitled``) with no data, never an exception.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import insert, select

from data import schema
from data.database import Database
from tools.context import Context
from tools.errors import NotEntitledError, ToolInputError
from tools.pairs import normalise_pair


@dataclass(frozen=True)
class Scope:
    """What one tool call may read: the caller's entitlements, possibly narrowed by arguments."""

    user_id: str
    role: str
    books: tuple[str, ...]
    customers: tuple[str, ...]
    as_of: date

    def allows(self, book: str, customer: str | None = None) -> bool:
        """Return True when a row of ``book`` (and ``customer``) is inside this scope."""
        return book in self.books and (customer is None or customer in self.customers)


@dataclass(frozen=True)
class Denied:
    """A refusal: the caller is not entitled to what the model asked for."""

    tool: str
    reason: str
    requested: dict[str, Any] = field(default_factory=dict)

    def as_result(self) -> dict[str, Any]:
        """Return the JSON a tool hands back: a clear refusal and no data."""
        return {"status": "not_entitled", "tool": self.tool, "message": self.reason, "requested": self.requested}


class ScopeGate:
    """Checks entitlements, runs a tool's computation and audits the call."""

    def __init__(self, db: Database):
        self.db = db
        self._pair_books: dict[str, str] | None = None
        self._grants: dict[tuple[str, str], frozenset[str]] | None = None

    # -- public -------------------------------------------------------------------------------
    def run(
        self,
        context: Context | dict | None,
        *,
        desk: str,
        tool: str,
        args: dict[str, Any],
        compute: Callable[[Scope], Any],
        books: Iterable[str | None] = (),
        customers: Iterable[str | None] = (),
        pairs: Iterable[str | None] = (),
        run_meta: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Resolve the scope for one call, run ``compute`` inside it and return a JSON-able result."""
        ctx = _coerce(context)
        if ctx is None:
            return self._deny(None, tool, args, "No caller context: tools need the user's identity and scope.",
                              run_meta)
        try:
            scope = self.resolve(ctx, desk=desk, tool=tool, books=books, customers=customers, pairs=pairs)
        except ToolInputError as exc:
            self._audit(ctx, tool, args, "error", exc.message, run_meta)
            return exc.as_result()
        if isinstance(scope, Denied):
            self._audit(ctx, tool, args, "denied", scope.reason, run_meta)
            return scope.as_result()
        try:
            result = compute(scope)
        except ToolInputError as exc:
            self._audit(ctx, tool, args, "error", exc.message, run_meta)
            return exc.as_result()
        except NotEntitledError as exc:
            self._audit(ctx, tool, args, "denied", exc.reason, run_meta)
            return Denied(tool, exc.reason, exc.requested).as_result()
        # Results cross to the model, the checkpoint and REST as JSON: dates, tuples and models become plain.
        result = to_jsonable_python(result)
        self._audit(ctx, tool, args, "allowed", "", run_meta)
        return {"status": "ok", **result} if isinstance(result, dict) else {"status": "ok", "result": result}

    def resolve(
        self,
        ctx: Context,
        *,
        desk: str,
        tool: str,
        books: Iterable[str | None] = (),
        customers: Iterable[str | None] = (),
        pairs: Iterable[str | None] = (),
    ) -> Scope | Denied:
        """Return the scope for this call, or why it is denied. Raises `ToolInputError` on a bad pair."""
        granted = self.grants().get((ctx.role, desk), frozenset())
        if "*" not in granted and tool not in granted:
            return Denied(tool, f"The {ctx.role} role may not use {tool} (desk {desk}).", {"desk": desk})
        want_books = {b.strip().upper() for b in books if b}
        want_customers = {_customer_code(c) for c in customers if c}
        pair_books = self.pair_books()
        for pair in pairs:
            if pair:
                want_books.add(pair_books[normalise_pair(pair)])
        denied_books = sorted(want_books - set(ctx.books))
        denied_customers = sorted(want_customers - set(ctx.customers))
        if denied_books or denied_customers:
            what = [f"book {b}" for b in denied_books] + [f"customer {c}" for c in denied_customers]
            return Denied(
                tool,
                f"Not entitled: {ctx.user_id} has no access to {', '.join(what)}. No data was returned.",
                {"books": denied_books, "customers": denied_customers},
            )
        return Scope(
            user_id=ctx.user_id,
            role=ctx.role,
            books=tuple(b for b in ctx.books if not want_books or b in want_books),
            customers=tuple(c for c in ctx.customers if not want_customers or c in want_customers),
            as_of=ctx.as_of or self.db.as_of,
        )

    def pair_books(self) -> dict[str, str]:
        """Map each pair to the book that trades it."""
        if self._pair_books is None:
            with self.db.engine.connect() as conn:
                rows = conn.execute(select(schema.pairs.c.pair, schema.pairs.c.book)).all()
            self._pair_books = {pair: book for pair, book in rows}
        return self._pair_books

    def grants(self) -> dict[tuple[str, str], frozenset[str]]:
        """Map (role, desk) to the tools the role may call there ("*" = all)."""
        if self._grants is None:
            with self.db.engine.connect() as conn:
                rows = conn.execute(select(schema.role_grants)).mappings().all()
            self._grants = {
                (r["role"], r["desk"]): frozenset(t.strip() for t in r["tools"].split(",") if t.strip())
                for r in rows
            }
        return self._grants

    # -- private ------------------------------------------------------------------------------
    def _deny(self, ctx, tool, args, reason, run_meta) -> dict[str, Any]:
        self._audit(ctx, tool, args, "denied", reason, run_meta)
        return Denied(tool, reason).as_result()

    def _audit(self, ctx: Context | None, tool: str, args: dict, decision: str, detail: str,
               run_meta: dict[str, Any] | None) -> None:
        run_meta = run_meta or {}
        with self.db.engine.begin() as conn:
            conn.execute(insert(schema.audit).values(
                at=datetime.now(UTC).replace(tzinfo=None),
                user_id=ctx.user_id if ctx else "<none>",
                role=ctx.role if ctx else "<none>",
                tool=tool,
                args=json.dumps(args, default=str, sort_keys=True),
                decision=decision,
                detail=detail,
                thread_id=run_meta.get("thread_id"),
                run_id=run_meta.get("run_id"),
            ))


def _coerce(context: Context | dict | None) -> Context | None:
    if context is None or isinstance(context, Context):
        return context
    if isinstance(context, dict):
        return Context(**context)
    return None


def _customer_code(text: str) -> str:
    # "cust203", "CUST 203", "Cust203" all name the same customer.
    digits = "".join(ch for ch in text if ch.isdigit())
    return f"Cust{digits}" if digits else text.strip()
