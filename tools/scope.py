"""Scope enforcement and audit for every tool call: the runtime context decides, never the model.

A tool hands its model-written arguments to `ScopeGate.run`. The gate
1. checks the role may use the tool (``role_grants`` in the database),
2. checks every book, customer and pair the model asked for against the caller's context,
3. runs the computation on a `Scope` that already holds only entitled books and customers,
4. writes one audit record: allowed, denied or error.
A refusal is a result (``status: not_entitled``) with no data, never an exception.

Role grants and the pair -> book map are read from the database on every call (two small tables),
so ``fxdesk users``/``fxdesk data load`` changes take effect on the next request without a restart
(issue 14); `LiveGrants` gives the supervisor the same live view. Within one call each is read once:
the scope check, the rate warnings and the tool's own computation share that read (issue 16).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import insert, select

from data import schema
from data.database import Database
from data.queries.rates import pair_universe
from domain.errors import DomainError
from domain.pairs import PairUniverse
from tools.context import Context
from tools.errors import NotEntitledError, ToolInputError
from tools.pairs import normalise_pair
from tools.rate_warnings import MARKET_DATA_TOOLS, rate_warnings

ID_COLUMN = 64  # audit.thread_id / audit.run_id are VARCHAR(64)


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


@dataclass
class _CallReads:
    """The reference tables one gate call has read so far (each at most once per call)."""

    grants: dict[tuple[str, str], frozenset[str]] | None = None
    universe: PairUniverse | None = None


# Built once: a statement object reused keeps SQLAlchemy's per-statement work (column lists, result
# metadata) memoised, about 30 µs of each of a turn's reads (issue 16).
_GRANTS = select(schema.role_grants)

_CALL_READS: ContextVar[_CallReads | None] = ContextVar("fxdesk_gate_call_reads", default=None)


class ScopeGate:
    """Checks entitlements, runs a tool's computation and audits the call."""

    def __init__(self, db: Database):
        self.db = db

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
        token = _CALL_READS.set(_CallReads())
        try:
            return self._run(context, desk=desk, tool=tool, args=args, compute=compute, books=books,
                             customers=customers, pairs=pairs, run_meta=run_meta)
        finally:
            _CALL_READS.reset(token)

    def _run(self, context, *, desk, tool, args, compute, books, customers, pairs, run_meta) -> dict[str, Any]:
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
        warnings = (rate_warnings(self.db, self.pair_books(), scope.books, scope.as_of)
                    if tool in MARKET_DATA_TOOLS and scope.books else [])
        try:
            result = compute(scope)
        except ToolInputError as exc:
            self._audit(ctx, tool, args, "error", exc.message, run_meta)
            return exc.as_result()
        except DomainError as exc:
            self._audit(ctx, tool, args, "error", exc.message, run_meta)
            return ToolInputError(exc.code, exc.message).as_result()
        except (LookupError, ZeroDivisionError, ValueError) as exc:
            missing = [w for w in warnings if w.code == "missing_rates"]
            if not missing:
                raise
            error = ToolInputError("missing_rates", " ".join(w.message for w in missing))
            self._audit(ctx, tool, args, "error", f"{error.message} ({type(exc).__name__})", run_meta)
            return error.as_result()
        except NotEntitledError as exc:
            self._audit(ctx, tool, args, "denied", exc.reason, run_meta)
            return Denied(tool, exc.reason, exc.requested).as_result()
        # Results cross to the model, the checkpoint and REST as JSON: dates, tuples and models become plain.
        result = to_jsonable_python(result)
        self._audit(ctx, tool, args, "allowed", "", run_meta)
        out = {"status": "ok", **result} if isinstance(result, dict) else {"status": "ok", "result": result}
        if warnings:
            out["rate_warnings"] = [w.model_dump(mode="json") for w in warnings]
        return out

    def check_desk(self, context: Context | dict | None, desk: str,
                   run_meta: dict[str, Any] | None = None) -> Denied | None:
        """Return ``None`` when the caller's role may use ``desk``; else audit the refusal and return it.

        The desk gate of the graph (issue 12): it holds however a desk is entered, by the supervisor's
        plan or by a client's ``Command(goto=desk)``.
        """
        ctx = _coerce(context)
        tool = f"desk:{desk}"
        if ctx is None:
            reason = "Not entitled: there is no caller context, so no desk may run. Nothing was run."
        elif self.grants().get((ctx.role, desk)):
            return None
        else:
            reason = f"Not entitled: the {ctx.role} role may not use the {desk} desk. Nothing was run."
        self._audit(ctx, tool, {"desk": desk}, "denied", reason, run_meta)
        return Denied(tool, reason, {"desk": desk})

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
                want_books.add(pair_books[normalise_pair(pair, self.universe())])
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

    def universe(self) -> PairUniverse:
        """Return the pair universe of the desk database, read now from the ``pairs`` table (a load may add pairs)."""
        reads = _CALL_READS.get()
        if reads is None:
            return pair_universe(self.db.engine)
        if reads.universe is None:
            reads.universe = pair_universe(self.db.engine)
        return reads.universe

    def pair_books(self) -> dict[str, str]:
        """Map each pair to the book that trades it (read now: a load may add pairs)."""
        return {p.pair: p.book for p in self.universe().pairs}

    def grants(self) -> dict[tuple[str, str], frozenset[str]]:
        """Map (role, desk) to the tools the role may call there ("*" = all), as the database says now."""
        reads = _CALL_READS.get()
        if reads is None:
            return self._read_grants()
        if reads.grants is None:
            reads.grants = self._read_grants()
        return reads.grants

    def _read_grants(self) -> dict[tuple[str, str], frozenset[str]]:
        with self.db.engine.connect() as conn:
            rows = conn.execute(_GRANTS).mappings().all()
        return {
            (r["role"], r["desk"]): frozenset(t.strip() for t in r["tools"].split(",") if t.strip())
            for r in rows
        }

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
                thread_id=_id_column(run_meta.get("thread_id")),
                run_id=_id_column(run_meta.get("run_id")),
            ))


class LiveGrants(Mapping[tuple[str, str], frozenset[str]]):
    """The role grants as a mapping that reads the database on each lookup (for the supervisor's routing)."""

    def __init__(self, gate: ScopeGate):
        self._gate = gate

    def __getitem__(self, key: tuple[str, str]) -> frozenset[str]:
        return self._gate.grants()[key]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._gate.grants())

    def __len__(self) -> int:
        return len(self._gate.grants())

    def snapshot(self) -> dict[tuple[str, str], frozenset[str]]:
        """Return every grant as the database says now, in one read (the supervisor reads once per turn)."""
        return self._gate.grants()


def _id_column(value: Any) -> str | None:
    # The audit's id columns are VARCHAR(64) (PostgreSQL refuses longer); the API only admits ids that
    # fit, but a CLI or Studio thread id may not: keep a readable head and a digest of the whole (issue 12).
    if value is None:
        return None
    text = str(value)
    if len(text) <= ID_COLUMN:
        return text
    return f"{text[:ID_COLUMN - 17]}~{hashlib.sha256(text.encode()).hexdigest()[:16]}"


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
