"""Customer credit over the domain core: pre-settlement exposure (checked against the limit) and settlement exposure.

Definitions in `domain.credit`: unsettled open trades only; PSE = max(0, MTM in USD) + add-on by
residual tenor (the configured table, `tools.position_risk.conventions`); settlement exposure = the
USD value the book pays on each value date. Runs inside `ScopeGate.run` on an entitled scope.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Engine

from data.queries import compliance as q
from data.queries import limits, rates
from domain import credit as dc
from domain.market import Market
from domain.trade import Trade
from tools.compliance import calc
from tools.errors import ToolInputError

CREDIT_BASIS = ("pre-settlement exposure = max(0, MTM in USD) + add-on x USD notional by residual tenor, over the "
                "customer's unsettled open trades (value date after the as-of date, not exited); checked against "
                "the credit limit. settlement_by_value_date: USD the book pays on each value date.")


def customer_credit(trades: Iterable[Trade], market: Market, day: date,
                    table: Sequence[tuple[int, float]]) -> dict[tuple[str, str], dict[str, Any]]:
    """Return (customer, book) -> {pse, mtm, addon, settlement, by_value_date} in USD for the trades that count."""
    out: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"pse": 0.0, "mtm": 0.0, "addon": 0.0, "settlement": 0.0, "by_value_date": defaultdict(float)})
    for trade in trades:
        if not dc.counts_for_credit(trade, day):
            continue
        assert trade.customer is not None and trade.value_date is not None
        mtm, addon = dc.pre_settlement_usd(trade, market, day, table)
        settle = dc.settlement_usd(trade, market, day)
        row = out[(trade.customer, trade.book)]
        row["pse"] += mtm + addon
        row["mtm"] += mtm
        row["addon"] += addon
        row["settlement"] += settle
        row["by_value_date"][trade.value_date.isoformat()] += settle
    return dict(out)


def credit_report(engine: Engine, customers: Sequence[str], as_of: date,
                  table: Sequence[tuple[int, float]]) -> list[calc.CreditRow]:
    """Return one credit row per customer: PSE against the limit, with its parts and settlement by value date.

    A credit limit is the customer's, so it is judged on the customer's unsettled trades in every book,
    whoever asks (the caller must be entitled to the customer; no trade is returned).
    """
    day = _desk_day(engine, as_of)
    trades = [Trade.from_row(r) for r in limits.unsettled_trades(engine, customers, day)]
    parts = customer_credit(trades, rates.market(engine, [day]), day, table)
    rows = calc.credit_rows({k: v["pse"] for k, v in parts.items()}, q.credit_limits(engine, customers))
    out = []
    for row in rows:
        mine = [v for (c, _), v in parts.items() if c == row.customer]
        by_date: dict[str, float] = defaultdict(float)
        for v in mine:
            for when, usd in v["by_value_date"].items():
                by_date[when] += usd
        out.append(row.model_copy(update={
            "mtm_usd": round(sum(v["mtm"] for v in mine), 2), "addon_usd": round(sum(v["addon"] for v in mine), 2),
            "settlement_usd": round(sum(v["settlement"] for v in mine), 2),
            "settlement_by_value_date": {k: round(v, 2) for k, v in sorted(by_date.items())}}))
    return out


def new_trade_pse(trade: Trade, market: Market, day: date, table: Sequence[tuple[int, float]]) -> float:
    """Return the PSE a proposed trade would add (its MTM at the close if positive, plus its add-on)."""
    mtm, addon = dc.pre_settlement_usd(trade, market, day, table)
    return mtm + addon


def _desk_day(engine: Engine, as_of: date) -> date:
    days = rates.rate_days(engine, until=as_of, count=1)
    if not days:
        raise ToolInputError("no_rates", f"No closing rates on or before {as_of}.")
    return days[-1]
