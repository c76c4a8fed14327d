"""The user store: demo users, their role and entitlements (books, customers) from the desk database."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from data import schema
from data.database import Database


class UserRecord(BaseModel):
    """One desk user and what they are entitled to see."""

    model_config = ConfigDict(frozen=True)

    user_id: str
    name: str
    role: str
    books: tuple[str, ...] = ()
    customers: tuple[str, ...] = ()

    def context_fields(self, as_of: date | None = None) -> dict[str, Any]:
        """Return the fields of a `tools.context.Context` for this user (data must not import tools)."""
        return {"user_id": self.user_id, "role": self.role, "books": self.books,
                "customers": self.customers, "as_of": as_of}


class UnknownUser(LookupError):
    """No user with this id; the message lists the known users."""

    def __init__(self, user_id: str, known: list[str]):
        self.user_id = user_id
        self.known = known
        super().__init__(f"Unknown user {user_id!r}. Known users: {', '.join(known) or '(none)'}.")


def list_users(db: Database) -> list[UserRecord]:
    """Return every user with their books (FX-G10 before FX-EM) and customers, ordered by user id."""
    with db.engine.connect() as conn:
        users = conn.execute(select(schema.users).order_by(schema.users.c.user_id)).mappings().all()
        books = conn.execute(select(schema.user_books).order_by(schema.user_books.c.book.desc())).all()
        customers = conn.execute(select(schema.user_customers)).all()
    by_books: dict[str, list[str]] = {}
    for user_id, book in books:
        by_books.setdefault(user_id, []).append(book)
    by_customers: dict[str, list[str]] = {}
    for user_id, customer in customers:
        by_customers.setdefault(user_id, []).append(customer)
    return [
        UserRecord(user_id=u["user_id"], name=u["name"], role=u["role"],
                   books=tuple(by_books.get(u["user_id"], ())),
                   customers=tuple(sorted(by_customers.get(u["user_id"], ()), key=customer_sort_key)))
        for u in users
    ]


def load_user(db: Database, user_id: str) -> UserRecord:
    """Return one user's record; raise `UnknownUser` (listing the known users) if there is none."""
    users = list_users(db)
    for record in users:
        if record.user_id == user_id:
            return record
    raise UnknownUser(user_id, [u.user_id for u in users])


def customer_sort_key(customer: str) -> tuple[int, str]:
    """Sort ``Cust9`` before ``Cust10``: by the number in the code, then the code."""
    digits = "".join(ch for ch in customer if ch.isdigit())
    return (int(digits) if digits else 0, customer)


def role_grants(db: Database) -> dict[str, dict[str, str]]:
    """Return role -> desk -> granted tools (``*`` or a comma-separated list)."""
    with db.engine.connect() as conn:
        rows = conn.execute(select(schema.role_grants).order_by(schema.role_grants.c.role,
                                                                schema.role_grants.c.desk)).mappings().all()
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        out.setdefault(row["role"], {})[row["desk"]] = row["tools"]
    return out


def abbreviate_customers(customers: tuple[str, ...] | list[str]) -> str:
    """Return customer codes as ranges, e.g. ``Cust201-Cust215, Cust999 (16)``."""
    codes = sorted(customers, key=customer_sort_key)
    if not codes:
        return "-"
    runs: list[list[str]] = []
    for code in codes:
        if runs and customer_sort_key(code)[0] == customer_sort_key(runs[-1][-1])[0] + 1:
            runs[-1].append(code)
        else:
            runs.append([code])
    parts = [run[0] if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs]
    return f"{', '.join(parts)} ({len(codes)})"
