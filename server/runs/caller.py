"""Who is calling, and the run context they may use: their entitlements narrowed by the request.

A request body's ``context`` may name the caller's own ``user_id`` and ``role``, a subset of their
books and customers, and an ``as_of`` date. Naming another user, another role or anything outside
their scope is `Forbidden` (403); the graph then runs with the narrowed `Context`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from tools.context import Context, ScopeWidening


class Forbidden(Exception):
    """The caller asked for something outside their entitlements; ``detail`` is safe to show."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class InvalidContext(ValueError):
    """The request's ``context`` does not fit the `Context` schema (422)."""


@dataclass(frozen=True)
class Caller:
    """An authenticated user and their full entitlements from the user store."""

    user_id: str
    entitlements: Context


def run_context(caller: Caller, requested: dict[str, Any] | None) -> Context:
    """Return the caller's `Context` narrowed by ``requested``; raise `Forbidden` on any widening."""
    base = caller.entitlements
    requested = dict(requested or {})
    user_id = requested.pop("user_id", base.user_id)
    if user_id != base.user_id:
        raise Forbidden(f"context.user_id {user_id!r} is not the authenticated user {base.user_id!r}")
    role = requested.pop("role", base.role)
    if role != base.role:
        raise Forbidden(f"context.role {role!r} is not the role of user {base.user_id!r} ({base.role!r})")
    books = requested.pop("books", None)
    customers = requested.pop("customers", None)
    try:
        narrowed = base.narrowed(books=_tuple(books), customers=_tuple(customers))
    except ScopeWidening as exc:
        raise Forbidden(str(exc)) from None
    if not requested:
        return narrowed
    try:
        return Context.model_validate({**narrowed.model_dump(), **requested})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise InvalidContext(f"Invalid context: {problems}") from None


def _tuple(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise InvalidContext("Invalid context: books and customers must be lists of names")  # not a 500 (issue 12)
    return tuple(value)
