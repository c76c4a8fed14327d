"""The user store: users, their role and entitlements (books, customers) in the desk database.

Reads are per request (no cache), so a grant or revoke takes effect on the caller's next request.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, insert, select, update

from data import schema
from data.database import Database
from data.interchange.format import ROLES


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
    u, ub, uc = schema.users, schema.user_books, schema.user_customers
    with db.engine.connect() as conn:
        user = conn.execute(select(u).where(u.c.user_id == user_id)).mappings().first()
        if user is None:
            known = list(conn.execute(select(u.c.user_id).order_by(u.c.user_id)).scalars())
            raise UnknownUser(user_id, known)
        books = conn.execute(select(ub.c.book).where(ub.c.user_id == user_id).order_by(ub.c.book.desc())).scalars()
        books = tuple(books)
        customers = tuple(conn.execute(select(uc.c.customer).where(uc.c.user_id == user_id)).scalars())
    return UserRecord(user_id=user["user_id"], name=user["name"], role=user["role"], books=books,
                      customers=tuple(sorted(customers, key=customer_sort_key)))


class EntitlementError(ValueError):
    """A user change names an unknown role, book or customer, or a user that exists already."""


def add_user(db: Database, user_id: str, name: str, role: str) -> UserRecord:
    """Create a user with a role and no entitlements yet; raise `EntitlementError` if the id is taken."""
    _check_role(db, role)
    with db.engine.begin() as conn:
        if conn.execute(select(schema.users.c.user_id).where(schema.users.c.user_id == user_id)).first():
            raise EntitlementError(f"User {user_id!r} exists already; use `fxdesk users grant` to change it.")
        conn.execute(insert(schema.users).values(user_id=user_id, name=name, role=role))
    return load_user(db, user_id)


def set_role(db: Database, user_id: str, role: str) -> UserRecord:
    """Change a user's role."""
    _check_role(db, role)
    load_user(db, user_id)
    with db.engine.begin() as conn:
        conn.execute(update(schema.users).where(schema.users.c.user_id == user_id).values(role=role))
    return load_user(db, user_id)


def grant(db: Database, user_id: str, *, books: tuple[str, ...] = (), customers: tuple[str, ...] = ()) -> UserRecord:
    """Entitle a user to more books and customers (already granted ones are kept as they are).

    Raises:
        UnknownUser: no such user.
        EntitlementError: a book or customer does not exist.

    """
    record = load_user(db, user_id)
    _check_exist(db, books, customers)
    with db.engine.begin() as conn:
        new_books = [b for b in dict.fromkeys(books) if b not in record.books]
        new_customers = [c for c in dict.fromkeys(customers) if c not in record.customers]
        if new_books:
            conn.execute(insert(schema.user_books), [{"user_id": user_id, "book": b} for b in new_books])
        if new_customers:
            conn.execute(insert(schema.user_customers), [{"user_id": user_id, "customer": c} for c in new_customers])
    return load_user(db, user_id)


def revoke(db: Database, user_id: str, *, books: tuple[str, ...] = (), customers: tuple[str, ...] = ()) -> UserRecord:
    """Remove books and customers from a user's entitlements (ones not granted are ignored)."""
    load_user(db, user_id)
    ub, uc = schema.user_books, schema.user_customers
    with db.engine.begin() as conn:
        if books:
            conn.execute(delete(ub).where(ub.c.user_id == user_id, ub.c.book.in_(list(books))))
        if customers:
            conn.execute(delete(uc).where(uc.c.user_id == user_id, uc.c.customer.in_(list(customers))))
    return load_user(db, user_id)


def _check_role(db: Database, role: str) -> None:
    if role not in ROLES:
        raise EntitlementError(f"Unknown role {role!r}; expected one of {', '.join(ROLES)}.")


def _check_exist(db: Database, books: tuple[str, ...], customers: tuple[str, ...]) -> None:
    with db.engine.connect() as conn:
        known_books = set(conn.execute(select(schema.books.c.book)).scalars())
        known_customers = set(conn.execute(select(schema.customers.c.customer)
                                           .where(schema.customers.c.customer.in_(list(customers)))).scalars())
    missing = [f"book {b}" for b in books if b not in known_books]
    missing += [f"customer {c}" for c in customers if c not in known_customers]
    if missing:
        raise EntitlementError(f"Unknown {', '.join(missing)}. Known books: {', '.join(sorted(known_books))}.")


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
