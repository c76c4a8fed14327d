"""Compliance reference data and the pre-trade log: KYC, restricted list, credit limits, recorded checks.

Callers pass plain customer tuples (data never imports tools); an empty tuple selects nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Engine, insert, select

from data import schema
from data.database import Database

PreTradeDecision = Literal["recorded", "confirmed", "cancelled"]
PRE_TRADE_DECISIONS: tuple[PreTradeDecision, ...] = ("recorded", "confirmed", "cancelled")


def kyc_records(engine: Engine, customers: Iterable[str], status: str | None = None) -> list[dict[str, Any]]:
    """Return customer, name, KYC status and review/expiry dates for the given customers, by customer.

    Args:
        engine: the desk database engine.
        customers: customer codes to read (the caller's scope).
        status: only customers in this KYC status, when given.

    """
    c = schema.customers
    query = (select(c.c.customer, c.c.name, c.c.kyc_status, c.c.kyc_reviewed_on, c.c.kyc_expires_on)
             .where(c.c.customer.in_(list(customers))).order_by(c.c.customer))
    if status:
        query = query.where(c.c.kyc_status == status)
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def credit_limits(engine: Engine, customers: Iterable[str]) -> dict[str, float]:
    """Return the credit limit in USD of each given customer that exists."""
    c = schema.customers
    query = select(c.c.customer, c.c.credit_limit_usd).where(c.c.customer.in_(list(customers)))
    with engine.connect() as conn:
        return {customer: float(limit) for customer, limit in conn.execute(query)}


def restriction(engine: Engine, kind: Literal["customer", "pair"], value: str) -> str | None:
    """Return the reason ``value`` is on the restricted list as a ``kind``, or None if it is not."""
    r = schema.restricted
    query = select(r.c.reason).where(r.c.kind == kind, r.c.value == value)
    with engine.connect() as conn:
        return conn.execute(query).scalar()


def customer_profile(engine: Engine, customer: str) -> dict[str, Any] | None:
    """Return a customer's name, KYC fields and restricted-list reason (None if not restricted), or None."""
    c, r = schema.customers, schema.restricted
    query = (select(c.c.customer, c.c.name, c.c.kyc_status, c.c.kyc_reviewed_on, c.c.kyc_expires_on,
                    r.c.reason.label("restricted_reason"))
             .select_from(c.outerjoin(r, (r.c.kind == "customer") & (r.c.value == c.c.customer)))
             .where(c.c.customer == customer))
    with engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def record_pre_trade(db: Database, *, user_id: str, check_result: Mapping[str, Any],
                     decision: PreTradeDecision, thread_id: str | None) -> int:
    """Write one pre-trade check and the human decision on it to ``pre_trade_log``; return its id.

    Args:
        db: the desk database.
        user_id: who asked for the check.
        check_result: the ``pre_trade_check`` tool result (needs ``trade`` with book, pair, side,
            notional, and ``verdict`` and ``reasons``).
        decision: ``recorded`` (a pass, logged automatically), ``confirmed`` or ``cancelled`` (a
            person's answer to a breached check).
        thread_id: the conversation the check came from.

    Raises:
        ValueError: on an unknown decision or a result that is not a completed check.

    """
    if decision not in PRE_TRADE_DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(PRE_TRADE_DECISIONS)}, not {decision!r}")
    trade = check_result.get("trade")
    if check_result.get("status", "ok") != "ok" or not isinstance(trade, Mapping) or "verdict" not in check_result:
        raise ValueError("check_result is not a completed pre_trade_check result")
    values = {
        "at": datetime.now(UTC).replace(tzinfo=None),
        "user_id": user_id,
        "book": trade["book"],
        "customer": trade.get("customer"),
        "pair": trade["pair"],
        "side": str(trade["side"]).upper(),
        "notional": float(trade["notional"]),
        "rate": trade.get("rate"),
        "verdict": check_result["verdict"],
        "reasons": json.dumps(check_result.get("reasons", []), default=str),
        "decision": decision,
        "thread_id": thread_id,
    }
    with db.engine.begin() as conn:
        return int(conn.execute(insert(schema.pre_trade_log).values(**values)).inserted_primary_key[0])


def pre_trade_records(db: Database, user_id: str | None = None) -> list[dict[str, Any]]:
    """Return recorded pre-trade checks, oldest first (``reasons`` decoded), optionally for one user."""
    log = schema.pre_trade_log
    query = select(log).order_by(log.c.check_id)
    if user_id:
        query = query.where(log.c.user_id == user_id)
    with db.engine.connect() as conn:
        rows = [dict(row) for row in conn.execute(query).mappings()]
    for row in rows:
        row["reasons"] = json.loads(row["reasons"])
    return rows
