"""SQL schema of the desk dataset (SQLAlchemy Core): reference data, rates, trades, limits, journal, audit.

Conventions:
- Money columns ending in ``_usd`` are US dollars; ``notional`` is in the pair's base currency.
- ``side`` is ``BUY`` or ``SELL`` of the base currency (BUY 1m EURUSD = long EUR, short USD).
- Timestamps are naive UTC; dates are desk dates (business days).
- Every row that carries positions names its ``book`` (and ``customer`` where it has one) so that
  scope can be audited from a result alone.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)  # as_of, seed, generator version

pairs = Table(
    "pairs", metadata,
    Column("pair", String(6), primary_key=True),           # EURUSD
    Column("base", String(3), nullable=False),
    Column("quote", String(3), nullable=False),
    Column("region", String(8), nullable=False),            # G10 | EM
    Column("book", String(16), nullable=False),             # book that trades it: FX-G10 | FX-EM
    Column("decimals", Integer, nullable=False),            # quoting precision (5 for EURUSD, 3 for USDJPY)
)

rates = Table(
    "rates", metadata,
    Column("pair", String(6), ForeignKey("pairs.pair"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("open", Float, nullable=False),
    Column("high", Float, nullable=False),
    Column("low", Float, nullable=False),
    Column("close", Float, nullable=False),
)
Index("ix_rates_day", rates.c.day)  # as-of (latest complete day) and rate-day lists group by day

forward_points = Table(
    "forward_points", metadata,
    Column("day", Date, primary_key=True),
    Column("pair", String(6), ForeignKey("pairs.pair"), primary_key=True),
    Column("tenor", String(4), primary_key=True),           # 1W 1M 3M 6M 1Y
    Column("tenor_days", Integer, nullable=False),          # calendar days from the curve date
    Column("points", Float, nullable=False),                # rate units (not pips): forward = spot + points
)

books = Table(
    "books", metadata,
    Column("book", String(16), primary_key=True),
    Column("description", Text, nullable=False),
    Column("var_limit_usd", Float, nullable=False),        # 1-day 99% VaR limit
)

nop_limits = Table(
    "nop_limits", metadata,
    Column("book", String(16), ForeignKey("books.book"), primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("limit_usd", Float, nullable=False),            # absolute net open position limit
)

customers = Table(
    "customers", metadata,
    Column("customer", String(16), primary_key=True),       # Cust203
    Column("name", Text, nullable=False),
    Column("kyc_status", String(16), nullable=False),       # approved | pending | expired | rejected
    Column("kyc_reviewed_on", Date, nullable=True),
    Column("kyc_expires_on", Date, nullable=True),
    Column("credit_limit_usd", Float, nullable=False),
)

restricted = Table(
    "restricted", metadata,
    Column("kind", String(16), primary_key=True),           # customer | pair
    Column("value", String(16), primary_key=True),
    Column("reason", Text, nullable=False),
)

users = Table(
    "users", metadata,
    Column("user_id", String(32), primary_key=True),
    Column("name", Text, nullable=False),
    Column("role", String(16), nullable=False),
)

user_books = Table(
    "user_books", metadata,
    Column("user_id", String(32), ForeignKey("users.user_id"), primary_key=True),
    Column("book", String(16), ForeignKey("books.book"), primary_key=True),
)

user_customers = Table(
    "user_customers", metadata,
    Column("user_id", String(32), ForeignKey("users.user_id"), primary_key=True),
    Column("customer", String(16), ForeignKey("customers.customer"), primary_key=True),
)

role_grants = Table(
    "role_grants", metadata,
    Column("role", String(16), primary_key=True),
    Column("desk", String(32), primary_key=True),           # position_risk | trade_journal | psychology | compliance
    Column("tools", Text, nullable=False),                  # "*" or comma-separated tool names
)

trades = Table(
    "trades", metadata,
    Column("trade_id", String(16), primary_key=True),       # T000123
    Column("trader", String(32), nullable=False),
    Column("customer", String(16), ForeignKey("customers.customer"), nullable=False),
    Column("book", String(16), ForeignKey("books.book"), nullable=False),
    Column("pair", String(6), ForeignKey("pairs.pair"), nullable=False),
    Column("product", String(8), nullable=False),           # SPOT | FORWARD
    Column("side", String(4), nullable=False),              # BUY | SELL (of the base currency)
    Column("notional", Float, nullable=False),              # base currency units
    Column("rate", Float, nullable=False),                  # all-in rate, quote per base
    Column("trade_time", DateTime, nullable=False),
    Column("booking_time", DateTime, nullable=False),
    Column("value_date", Date, nullable=False),
    Column("exit_rate", Float, nullable=True),              # set when the trader closed the trade
    Column("exit_time", DateTime, nullable=True),
)
Index("ix_trades_book_time", trades.c.book, trades.c.trade_time)
Index("ix_trades_trader_time", trades.c.trader, trades.c.trade_time)
Index("ix_trades_value_date", trades.c.value_date)  # unsettled trades (credit exposure)

journal = Table(
    "journal", metadata,
    Column("entry_id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", String(32), nullable=False),
    Column("book", String(16), nullable=True),              # the linked trade's book, or the user's first book
    Column("trade_id", String(16), ForeignKey("trades.trade_id"), nullable=True),
    Column("pair", String(6), nullable=True),
    Column("setup_tags", Text, nullable=False, default=""),  # comma-separated, lower-case
    Column("emotions", Text, nullable=False, default=""),    # comma-separated, lower-case
    Column("notes", Text, nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)
Index("ix_journal_user", journal.c.user_id, journal.c.created_at)

journal_trades = Table(
    "journal_trades", metadata,
    # A trade as the trader wrote it in her journal ("long 5m cable 1.2710 stop 1.2650"): NOT a booked
    # trade, never in positions, P&L or limits.
    Column("record_id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", String(32), nullable=False),
    Column("book", String(16), nullable=False),              # the pair's book
    Column("pair", String(6), ForeignKey("pairs.pair"), nullable=False),
    Column("side", String(4), nullable=False),               # BUY | SELL (of the base currency)
    Column("size", Float, nullable=True),                    # base currency units
    Column("entry", Float, nullable=True),
    Column("stop", Float, nullable=True),
    Column("target", Float, nullable=True),
    Column("exit", Float, nullable=True),                    # set when the trader wrote how it ended
    Column("setup_tags", Text, nullable=False, default=""),  # comma-separated, lower-case
    Column("emotions", Text, nullable=False, default=""),    # comma-separated, lower-case
    Column("notes", Text, nullable=False, default=""),
    Column("source_text", Text, nullable=False, default=""),  # the shorthand it was parsed from, if any
    Column("created_at", DateTime, nullable=False),
)
Index("ix_journal_trades_user", journal_trades.c.user_id, journal_trades.c.created_at)

audit = Table(
    "audit", metadata,
    Column("audit_id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("user_id", String(32), nullable=False),
    Column("role", String(16), nullable=False),
    Column("tool", String(64), nullable=False),
    Column("args", Text, nullable=False),                    # JSON of the model-written arguments
    Column("decision", String(8), nullable=False),           # allowed | denied | error
    Column("detail", Text, nullable=False, default=""),
    Column("thread_id", String(64), nullable=True),
    Column("run_id", String(64), nullable=True),
)
Index("ix_audit_user_at", audit.c.user_id, audit.c.at)

pre_trade_log = Table(
    "pre_trade_log", metadata,
    Column("check_id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("user_id", String(32), nullable=False),
    Column("book", String(16), nullable=False),
    Column("customer", String(16), nullable=True),
    Column("pair", String(6), nullable=False),
    Column("side", String(4), nullable=False),
    Column("notional", Float, nullable=False),
    Column("rate", Float, nullable=True),
    Column("verdict", String(16), nullable=False),          # pass | breach | blocked
    Column("reasons", Text, nullable=False),                # JSON list of reasons
    Column("decision", String(16), nullable=False),         # recorded | confirmed | cancelled
    Column("thread_id", String(64), nullable=True),
)

# -- the position snapshot (issue 14: position tools at a million trades) -------------------------
# `data.position_snapshot`: the open lots at the as-of close per customer, summed when a load or the
# demo build commits, and used only while ``trades_version`` (bumped by triggers on every write to
# ``trades``) still equals the version the snapshot was built at.
trades_version = Table(
    "trades_version", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),   # always 1
    Column("version", Integer, nullable=False),
)

position_snapshot = Table(
    "position_snapshot", metadata,
    Column("book", String(16), nullable=False),
    Column("customer", String(16), nullable=False),
    Column("pair", String(6), nullable=False),
    Column("value_date", Date, nullable=True),               # a forward before its value date; None: spot
    Column("trades", Integer, nullable=False),
    Column("base", Float, nullable=False),                   # sum of s*N
    Column("dealt_quote", Float, nullable=False),            # sum of s*N*K
)
Index("ix_position_snapshot_book", position_snapshot.c.book, position_snapshot.c.customer)

position_snapshot_meta = Table(
    "position_snapshot_meta", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),   # always 1
    Column("day", Date, nullable=False),                     # the close the snapshot was taken at
    Column("version", Integer, nullable=False),              # trades_version when it was built
)
