"""The interchange format: one CSV file per table, its columns with types, units and examples.

A file is named after its table (``trades.csv``, ``trades.csv.gz``, ``trades-2026-11.csv``). Files are
loaded in `TABLE_ORDER` (parents before the rows that name them) whatever order they are given in.
Adding a table to the format is one `TableFormat` entry here (plus, when rows reference others,
a rule in `data.interchange.rules`). The README's column table is generated from `FORMATS`
(`format_markdown`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from sqlalchemy import Date, DateTime, Float, Integer, String, Table, Text

from data import schema

Kind = Literal["text", "code", "int", "float", "date", "datetime", "choice"]

ROLES = ("trader", "analyst", "risk_manager", "compliance", "onboarding")  # = tools.context.ROLES (tested)
DESKS = ("position_risk", "trade_journal", "psychology", "compliance")


@dataclass(frozen=True)
class Column:
    """One CSV column: how its text is parsed and checked, and how the README documents it."""

    name: str
    kind: Kind
    example: str
    description: str
    unit: str = ""
    required: bool = True            # False: the cell may be empty (NULL) and the column may be left out
    choices: tuple[str, ...] = ()    # for kind "choice"
    minimum: float | None = None     # numbers: smallest allowed value
    exclusive_minimum: bool = False  # numbers: the minimum itself is not allowed (notional > 0)
    max_length: int | None = None    # text: filled from the schema's VARCHAR length


@dataclass(frozen=True)
class TableFormat:
    """One table of the interchange format: its file name, SQL table and columns (in file order)."""

    name: str
    table: Table
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        """Return one column by name."""
        return next(c for c in self.columns if c.name == name)


def _fmt(table: Table, description: str, *columns: Column) -> TableFormat:
    names = [c.name for c in columns]
    if sorted(names) != sorted(table.c.keys()):
        raise AssertionError(f"format of {table.name} does not match the schema: {names} vs {table.c.keys()}")
    sized = tuple(
        replace(c, max_length=table.c[c.name].type.length)
        if isinstance(table.c[c.name].type, String) and table.c[c.name].type.length else c
        for c in columns
    )
    return TableFormat(table.name, table, description, sized, tuple(c.name for c in table.primary_key.columns))


def _money(name: str, example: str, description: str) -> Column:
    return Column(name, "float", example, description, unit="USD", minimum=0.0)


_RATE = dict(kind="float", unit="quote per base", minimum=0.0, exclusive_minimum=True)

FORMATS: tuple[TableFormat, ...] = (
    _fmt(schema.books, "Books (trading portfolios) and their VaR limit.",
         Column("book", "code", "FX-G10", "Book code."),
         Column("description", "text", "G10 spot and forwards", "What the book trades."),
         _money("var_limit_usd", "2500000", "1-day 99 % VaR limit.")),
    _fmt(schema.nop_limits, "Net open position limit per book and currency.",
         Column("book", "code", "FX-G10", "Book (in books.csv or the database)."),
         Column("currency", "code", "EUR", "ISO currency code, 3 letters."),
         _money("limit_usd", "40000000", "Absolute NOP limit.")),
    _fmt(schema.pairs, "Currency pairs the desk trades (market convention: base first).",
         Column("pair", "code", "EURUSD", "Base then quote currency, 6 letters."),
         Column("base", "code", "EUR", "First 3 letters of the pair."),
         Column("quote", "code", "USD", "Last 3 letters of the pair."),
         Column("region", "code", "G10", "Market group, e.g. G10 or EM."),
         Column("book", "code", "FX-G10", "Book that trades the pair."),
         Column("decimals", "int", "5", "Quoting precision (digits after the point).", minimum=0)),
    _fmt(schema.customers, "Customers (counterparties) with KYC status and credit limit.",
         Column("customer", "code", "Cust203", "Customer code."),
         Column("name", "text", "Harbour Trading Ltd", "Legal name."),
         Column("kyc_status", "choice", "approved", "KYC status.",
                choices=("approved", "pending", "expired", "rejected")),
         Column("kyc_reviewed_on", "date", "2025-06-30", "Last KYC review.", required=False),
         Column("kyc_expires_on", "date", "2027-06-30", "KYC expiry (not before the review).", required=False),
         _money("credit_limit_usd", "25000000", "Credit limit on unsettled trades.")),
    _fmt(schema.restricted, "The restricted list: customers and pairs that may not be traded.",
         Column("kind", "choice", "pair", "What is restricted.", choices=("customer", "pair")),
         Column("value", "code", "USDRUB", "The customer code or pair."),
         Column("reason", "text", "Sanctioned currency", "Why (shown to users).")),
    _fmt(schema.users, "Desk users and their role.",
         Column("user_id", "code", "trader_aruna", "Login id."),
         Column("name", "text", "Aruna Raman", "Display name."),
         Column("role", "choice", "trader", "Role; decides the desks and tools.", choices=ROLES)),
    _fmt(schema.user_books, "Entitlements: the books a user may see.",
         Column("user_id", "code", "trader_aruna", "User (in users.csv or the database)."),
         Column("book", "code", "FX-G10", "Book (in books.csv or the database).")),
    _fmt(schema.user_customers, "Entitlements: the customers a user may see.",
         Column("user_id", "code", "trader_aruna", "User (in users.csv or the database)."),
         Column("customer", "code", "Cust203", "Customer (in customers.csv or the database).")),
    _fmt(schema.role_grants, "Which desks and tools each role may use.",
         Column("role", "choice", "analyst", "Role.", choices=ROLES),
         Column("desk", "choice", "compliance", "Desk.", choices=DESKS),
         Column("tools", "text", "get_kyc_status,screen_restricted",
                "'*' (every tool) or tool names, comma-separated.")),
    _fmt(schema.rates, "Daily OHLC per pair; a load appends or corrects days.",
         Column("pair", "code", "EURUSD", "Pair (in pairs.csv or the database)."),
         Column("day", "date", "2026-11-20", "Business day of the close."),
         Column("open", example="1.08412", description="Opening rate.", **_RATE),
         Column("high", example="1.08790", description="High of the day (>= low, open, close).", **_RATE),
         Column("low", example="1.08155", description="Low of the day.", **_RATE),
         Column("close", example="1.08533", description="Closing rate (marks positions).", **_RATE)),
    _fmt(schema.trades, "Trades; a later file upserts by trade_id (an amendment is audited).",
         Column("trade_id", "code", "T000123", "Unique trade id."),
         Column("trader", "code", "trader_aruna", "Who dealt it."),
         Column("customer", "code", "Cust203", "Counterparty (in customers.csv or the database)."),
         Column("book", "code", "FX-G10", "Book (in books.csv or the database)."),
         Column("pair", "code", "EURUSD", "Pair (in pairs.csv or the database)."),
         Column("product", "choice", "SPOT", "Product.", choices=("SPOT", "FORWARD")),
         Column("side", "choice", "BUY", "BUY or SELL of the base currency.", choices=("BUY", "SELL")),
         Column("notional", "float", "1000000", "Amount of the base currency (> 0).", unit="base currency",
                minimum=0.0, exclusive_minimum=True),
         Column("rate", example="1.08412", description="All-in deal rate.", **_RATE),
         Column("trade_time", "datetime", "2026-11-20 09:15:02", "When it was dealt.", unit="UTC"),
         Column("booking_time", "datetime", "2026-11-20 09:16:40", "When it was booked.", unit="UTC"),
         Column("value_date", "date", "2026-11-24", "Settlement date (not before the trade date)."),
         Column("exit_rate", example="1.08650", description="Rate the trader closed at; empty while open.",
                required=False, **_RATE),
         Column("exit_time", "datetime", "2026-11-20 14:02:11", "When it was closed; needed with exit_rate.",
                unit="UTC", required=False)),
    _fmt(schema.journal, "Trade-journal entries written by users.",
         Column("entry_id", "int", "17", "Entry number.", minimum=1),
         Column("user_id", "code", "trader_aruna", "Author (in users.csv or the database)."),
         Column("book", "code", "FX-G10", "Book of the linked trade.", required=False),
         Column("trade_id", "code", "T000123", "Linked trade.", required=False),
         Column("pair", "code", "EURUSD", "Pair the entry is about.", required=False),
         Column("setup_tags", "text", "breakout,london-open", "Comma-separated, lower-case.", required=False),
         Column("emotions", "text", "calm", "Comma-separated, lower-case.", required=False),
         Column("notes", "text", "Clean break of the range.", "Free text.", required=False),
         Column("created_at", "datetime", "2026-11-20 10:00:00", "Written at.", unit="UTC"),
         Column("updated_at", "datetime", "2026-11-20 10:00:00", "Last changed at.", unit="UTC")),
)


def _auto(table: Table, description: str) -> TableFormat:
    """Return a format read straight from the schema (types and NULL-ability), for a table without a spec."""
    def kind(column) -> Kind:
        for sql_type, name in ((DateTime, "datetime"), (Date, "date"), (Float, "float"), (Integer, "int"),
                               (Text, "text"), (String, "code")):
            if isinstance(column.type, sql_type):
                return name  # type: ignore[return-value]
        return "text"

    # Free text may be empty (stored as ''); other columns are required unless NULL is allowed.
    examples = {"int": "1", "float": "1.25", "date": "2026-11-20", "datetime": "2026-11-20 10:00:00",
                "code": "X", "text": ""}
    return _fmt(table, description, *(Column(c.name, kind(c), examples[kind(c)], c.name,
                                             required=not c.nullable and kind(c) != "text")
                                      for c in table.columns))


_FORWARD_POINTS = (
    Column("day", "date", "2026-11-20", "Curve date."),
    Column("pair", "code", "EURUSD", "Pair (in pairs.csv or the database)."),
    Column("tenor", "code", "1M", "Tenor label, e.g. 1W 1M 3M 6M 1Y."),
    Column("tenor_days", "int", "30", "Calendar days of the tenor.", unit="days", minimum=0),
    Column("points", "float", "0.00215", "Forward minus spot.", unit="rate units (not pips)"),
)
if hasattr(schema, "forward_points"):  # the forward curve (CONTRACTS §2) once its table exists
    _curve = schema.forward_points
    _spec = (_fmt(_curve, "Forward points per pair, tenor and day.", *_FORWARD_POINTS)
             if sorted(_curve.c.keys()) == sorted(c.name for c in _FORWARD_POINTS)
             else _auto(_curve, "Forward points per pair, tenor and day."))
    FORMATS = (*FORMATS[:10], _spec, *FORMATS[10:])

_JOURNAL_TRADES = (
    Column("record_id", "int", "1", "Record number.", minimum=1),
    Column("user_id", "code", "trader_aruna", "Who wrote it (in users.csv or the database)."),
    Column("book", "code", "FX-G10", "Book of the pair."),
    Column("pair", "code", "GBPUSD", "Pair (in pairs.csv or the database)."),
    Column("side", "choice", "BUY", "BUY or SELL of the base currency.", choices=("BUY", "SELL")),
    Column("size", "float", "5000000", "Amount of the base currency.", unit="base currency", required=False,
           minimum=0, exclusive_minimum=True),
    Column("entry", "float", "1.2710", "Entry rate.", unit="quote per base", required=False),
    Column("stop", "float", "1.2650", "Stop rate.", unit="quote per base", required=False),
    Column("target", "float", "1.2830", "Target rate.", unit="quote per base", required=False),
    Column("exit", "float", "1.2790", "Exit rate, once the trader wrote how it ended.", unit="quote per base",
           required=False),
    Column("setup_tags", "text", "breakout", "Comma-separated, lower-case.", required=False),
    Column("emotions", "text", "fomo", "Comma-separated, lower-case.", required=False),
    Column("notes", "text", "Chased the break.", "Free text.", required=False),
    Column("source_text", "text", "long 5m cable 1.2710 stop 1.2650", "The shorthand it was read from, if any.",
           required=False),
    Column("created_at", "datetime", "2026-11-20 10:00:00", "Written at.", unit="UTC"),
)
if hasattr(schema, "journal_trades"):  # trades as traders wrote them in their journal (issue 17): not booked
    FORMATS = (*FORMATS, _fmt(schema.journal_trades,
                              "Journal trades: trades as traders wrote them in their journal (never booked).",
                              *_JOURNAL_TRADES))

BY_NAME: dict[str, TableFormat] = {f.name: f for f in FORMATS}
TABLE_ORDER: tuple[str, ...] = tuple(f.name for f in FORMATS)


def format_markdown() -> str:
    """Return the README's column table: one row per column of every file."""
    lines = ["| file | column | type | unit | required | example | meaning |", "|---|---|---|---|---|---|---|"]
    for fmt in FORMATS:
        for c in fmt.columns:
            kind = " \\| ".join(c.choices) if c.choices else c.kind
            key = " (key)" if c.name in fmt.key else ""
            lines.append(f"| {fmt.name}.csv | `{c.name}`{key} | {kind} | {c.unit} | "
                         f"{'yes' if c.required else 'no'} | `{c.example}` | {c.description} |")
    return "\n".join(lines)
