"""Build a caller's runtime `Context` from the user store (the CLI and server use this)."""

from __future__ import annotations

from datetime import date

from data.database import Database
from data.users import load_user
from tools.context import Context


def context_for(db: Database, user_id: str, as_of: date | None = None) -> Context:
    """Return the `Context` of a known user; raise `data.users.UnknownUser` otherwise.

    Args:
        db: the desk database.
        user_id: e.g. ``trader_aruna``.
        as_of: desk date override; None means the dataset's as-of date (resolved by the tools).

    """
    return Context(**load_user(db, user_id).context_fields(as_of))
