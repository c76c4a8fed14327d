"""Row rules across columns and tables: references exist, exits are whole, rates are ordered, no duplicates.

`Known` holds the keys a row may reference: what the database held when the load began plus every
row accepted so far (files are read parents first, so a trade may name a book from books.csv of
the same load). A rule returns ``(column, reason)`` pairs; an empty list means the row is valid.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from data import schema

Problems = list[tuple[str, str]]


class Known:
    """Keys that exist for references, and the keys already loaded per table (duplicates)."""

    def __init__(self, conn: Connection):
        def keys(column) -> set[str]:
            return set(conn.execute(select(column)).scalars())

        self.books = keys(schema.books.c.book)
        self.pairs = keys(schema.pairs.c.pair)
        self.customers = keys(schema.customers.c.customer)
        self.users = keys(schema.users.c.user_id)
        self.seen: dict[str, dict[Any, int]] = {}          # table -> key -> packed (file number, line)
        self.files: list[str] = []
        self.trade_refs: dict[str, tuple[str, int]] = {}    # journal trade ids to look up in the database
        self.latest_event = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=1)

    def where(self, packed: int) -> str:
        """Return ``file:line`` of a packed location."""
        return f"{self.files[packed >> 32]}:{packed & 0xFFFFFFFF}"

    def add(self, table: str, values: dict[str, Any]) -> None:
        """Make an accepted row's key available to the rows that reference it."""
        if table == "books":
            self.books.add(values["book"])
        elif table == "pairs":
            self.pairs.add(values["pair"])
        elif table == "customers":
            self.customers.add(values["customer"])
        elif table == "users":
            self.users.add(values["user_id"])


def _ref(problems: Problems, known: set[str], column: str, value: Any, what: str) -> None:
    if value is not None and value not in known:
        problems.append((column, f"unknown {what} {value!r}: not in {what}s.csv nor in the database"))


def _future(problems: Problems, known: Known, column: str, value: Any) -> None:
    if value is not None and value > known.latest_event:
        problems.append((column, f"{value} is in the future"))


def _nop_limits(v: dict[str, Any], known: Known) -> Problems:
    p: Problems = []
    _ref(p, known.books, "book", v["book"], "book")
    if not (len(v["currency"]) == 3 and v["currency"].isalpha() and v["currency"].isupper()):
        p.append(("currency", f"{v['currency']!r} is not a 3-letter upper-case currency code"))
    return p


def _pairs(v: dict[str, Any], known: Known) -> Problems:
    p: Problems = []
    pair = v["pair"]
    if not (len(pair) == 6 and pair.isalpha() and pair.isupper()):
        p.append(("pair", f"{pair!r} is not 6 upper-case letters (base then quote, e.g. EURUSD)"))
    elif v["base"] != pair[:3] or v["quote"] != pair[3:]:
        p.append(("base", f"base/quote {v['base']}/{v['quote']} do not spell the pair {pair}"))
    _ref(p, known.books, "book", v["book"], "book")
    return p


def _customers(v: dict[str, Any], known: Known) -> Problems:
    p: Problems = []
    if v["kyc_reviewed_on"] and v["kyc_expires_on"] and v["kyc_expires_on"] < v["kyc_reviewed_on"]:
        p.append(("kyc_expires_on", f"expires {v['kyc_expires_on']} before the review {v['kyc_reviewed_on']}"))
    _future(p, known, "kyc_reviewed_on", v["kyc_reviewed_on"] and datetime.combine(v["kyc_reviewed_on"],
                                                                                   datetime.min.time()))
    return p


def _restricted(v: dict[str, Any], known: Known) -> Problems:
    if v["kind"] == "pair" and not (len(v["value"]) == 6 and v["value"].isalpha()):
        return [("value", f"{v['value']!r} is not a pair (6 letters)")]
    return []


def _user_books(v: dict[str, Any], known: Known) -> Problems:
    p: Problems = []
    _ref(p, known.users, "user_id", v["user_id"], "user")
    _ref(p, known.books, "book", v["book"], "book")
    return p


def _user_customers(v: dict[str, Any], known: Known) -> Problems:
    p: Problems = []
    _ref(p, known.users, "user_id", v["user_id"], "user")
    _ref(p, known.customers, "customer", v["customer"], "customer")
    return p


def _role_grants(v: dict[str, Any], known: Known) -> Problems:
    names = [t.strip() for t in v["tools"].split(",") if t.strip()]
    if not names:
        return [("tools", "name at least one tool, or '*' for every tool of the desk")]
    return []


def _rates(v: dict[str, Any], known: Known) -> Problems:
    p: Problems = []
    _ref(p, known.pairs, "pair", v["pair"], "pair")
    low, high = v["low"], v["high"]
    if low > high:
        p.append(("low", f"low {low:g} is above high {high:g}"))
    else:
        for column in ("open", "close"):
            if not low <= v[column] <= high:
                p.append((column, f"{column} {v[column]:g} is outside the day's range {low:g}-{high:g}"))
    if v["day"] > known.latest_event.date():
        p.append(("day", f"{v['day']} is in the future"))
    return p


def _forward_points(v: dict[str, Any], known: Known) -> Problems:
    p: Problems = []
    _ref(p, known.pairs, "pair", v.get("pair"), "pair")
    return p


def _trades(v: dict[str, Any], known: Known) -> Problems:
    p: Problems = []
    _ref(p, known.customers, "customer", v["customer"], "customer")
    _ref(p, known.books, "book", v["book"], "book")
    _ref(p, known.pairs, "pair", v["pair"], "pair")
    traded = v["trade_time"]
    if traded is None:
        return p
    if v["value_date"] is not None and v["value_date"] < traded.date():
        p.append(("value_date", f"value date {v['value_date']} is before the trade date {traded.date()}"))
    _future(p, known, "trade_time", traded)
    exit_rate, exit_time = v["exit_rate"], v["exit_time"]
    if exit_rate is not None and exit_time is None:
        p.append(("exit_time", "an exit (exit_rate) without an exit time"))
    elif exit_time is not None and exit_rate is None:
        p.append(("exit_rate", "an exit time without an exit_rate"))
    elif exit_time is not None and exit_time < traded:
        p.append(("exit_time", f"exit {exit_time} is before the trade {traded}"))
    return p


def _journal(v: dict[str, Any], known: Known) -> Problems:
    p: Problems = []
    _ref(p, known.users, "user_id", v["user_id"], "user")
    _ref(p, known.books, "book", v["book"], "book")
    _ref(p, known.pairs, "pair", v["pair"], "pair")
    if v["created_at"] and v["updated_at"] and v["updated_at"] < v["created_at"]:
        p.append(("updated_at", f"updated {v['updated_at']} before it was created {v['created_at']}"))
    return p


def _journal_trades(v: dict[str, Any], known: Known) -> Problems:
    p: Problems = []
    _ref(p, known.users, "user_id", v.get("user_id"), "user")
    _ref(p, known.books, "book", v.get("book"), "book")
    _ref(p, known.pairs, "pair", v.get("pair"), "pair")
    return p


RULES: dict[str, Callable[[dict[str, Any], Known], Problems]] = {
    "journal_trades": _journal_trades,
    "nop_limits": _nop_limits, "pairs": _pairs, "customers": _customers, "restricted": _restricted,
    "user_books": _user_books, "user_customers": _user_customers, "role_grants": _role_grants,
    "rates": _rates, "forward_points": _forward_points, "trades": _trades, "journal": _journal,
}
