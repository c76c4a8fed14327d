"""Answer templates of the compliance desk: each tool's JSON result as short markdown (CONTRACTS.md §4)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from llm.offline.numbers import format_number
from llm.offline.render import money, table, window_text
from tools.schedules import answers as schedule_answers

__all__ = ["TEMPLATES"]


def limit_breaches(result: Mapping[str, Any]) -> str | None:
    """Write the limit breaches and warnings, one table each."""
    if "breaches" not in result:
        return None
    breaches, warnings = result.get("breaches") or [], result.get("warnings") or []
    head = f"**Limit breaches** as of {result.get('as_of')}"
    if result.get("limits_checked") is not None:
        head += f" ({format_number(result['limits_checked'])} limits checked"
        if result.get("warning_pct") is not None:
            head += f", warning at {format_number(result['warning_pct'])}%"
        head += ")"
    columns = ["kind", "book", "currency", "value_usd", "limit_usd", "excess_usd", "utilisation_pct"]
    lines = [head + (f": {format_number(len(breaches))} breaches." if breaches else ": no breaches.")]
    if breaches:
        lines.append(table(breaches, _present(breaches, columns)))
    if warnings:
        lines.append(f"\nWarnings ({format_number(len(warnings))}):")
        lines.append(table(warnings, _present(warnings, [c for c in columns if c != "excess_usd"] + ["headroom_usd"])))
    return "\n".join(lines)


def credit(result: Mapping[str, Any]) -> str | None:
    """Write the counterparty credit utilisation per customer."""
    rows = result.get("customers")
    if rows is None:
        return None
    if not rows:
        return f"**Credit utilisation** as of {result.get('as_of')}: no customers with exposure in scope."
    lines = [f"**Credit utilisation** as of {result.get('as_of')} ({format_number(len(rows))} customers):"]
    lines.append(table(rows, _present(rows, ["customer", "books", "exposure_usd", "limit_usd", "utilisation_pct",
                                             "headroom_usd", "status"])))
    if result.get("basis"):
        lines.append(f"Basis: {result['basis']}.")
    return "\n".join(lines)


def restricted(result: Mapping[str, Any]) -> str | None:
    """Write the restricted-list screening of a customer and/or a pair."""
    if "clear" not in result and "hits" not in result:
        return None
    lines = []
    customer, pair = result.get("customer"), result.get("pair")
    if isinstance(customer, Mapping):
        name = f" ({customer['name']})" if customer.get("name") else ""
        state = "is **restricted**" if customer.get("restricted") else "is not on the restricted list"
        reason = f": {customer['reason']}" if customer.get("restricted") and customer.get("reason") else ""
        kyc = f" KYC status: {customer['kyc_status']}." if customer.get("kyc_status") else ""
        lines.append(f"- Customer {customer.get('customer')}{name} {state}{reason}.{kyc}".replace("..", "."))
    if isinstance(pair, Mapping):
        state = "is **restricted**" if pair.get("restricted") else "is not restricted"
        reason = f": {pair['reason']}" if pair.get("restricted") and pair.get("reason") else ""
        lines.append(f"- Pair {pair.get('pair')} {state}{reason}.".replace("..", "."))
    verdict = "Clear: no restricted-list hits." if result.get("clear") else "Not clear: trading is prohibited."
    return "\n".join([f"**Restricted-list screening** as of {result.get('as_of')}. {verdict}", *lines])


def pre_trade(result: Mapping[str, Any]) -> str | None:
    """Write the pre-trade check: verdict, reasons, and the figures of each check."""
    trade = result.get("trade")
    if not isinstance(trade, Mapping) or "verdict" not in result:
        return None
    who = f" for {trade['customer']}" if trade.get("customer") else ""
    lines = [f"**Pre-trade check: {trade.get('side')} {format_number(trade.get('notional'))} {trade.get('pair')}**"
             f"{who} in {trade.get('book')}: verdict **{result['verdict']}**."]
    for reason in result.get("reasons") or []:
        if isinstance(reason, Mapping):
            lines.append(f"- {reason.get('severity', 'note')}: {reason.get('message', reason.get('code'))}")
    checks = result.get("checks") or {}
    for row in checks.get("nop") or []:
        lines.append(f"- {row.get('currency')} NOP in {row.get('book')}: {money(row.get('nop_before_usd'))} → "
                     f"{money(row.get('nop_after_usd'))} against {money(row.get('limit_usd'))} "
                     f"({format_number(row.get('utilisation_after_pct'))}% after).")
    kyc_check = checks.get("kyc")
    if isinstance(kyc_check, Mapping):
        lines.append(f"- KYC of {kyc_check.get('customer')}: {kyc_check.get('kyc_status')}"
                     + (f", expires {kyc_check['expires_on']}." if kyc_check.get("expires_on") else "."))
    credit_check = checks.get("credit")
    if isinstance(credit_check, Mapping):
        lines.append(f"- Credit of {credit_check.get('customer')}: {money(credit_check.get('credit_before_usd'))} → "
                     f"{money(credit_check.get('credit_after_usd'))} against {money(credit_check.get('limit_usd'))} "
                     f"({format_number(credit_check.get('utilisation_after_pct'))}% after).")
    if result.get("not_checked"):
        lines.append("Not checked: " + "; ".join(map(str, result["not_checked"])) + ".")
    if result.get("decision"):
        logged = f" in the pre-trade log (check {result['check_id']})" if result.get("check_id") is not None else ""
        lines.append(f"Decision: **{result['decision']}**{logged}.")
    return "\n".join(lines)


def off_market(result: Mapping[str, Any]) -> str | None:
    """Write the trades dealt outside the day's range."""
    rows = result.get("off_market")
    if rows is None:
        return None
    rule = f"tolerance {format_number(result.get('tolerance_pct'))}%"
    return _flagged_trades("Off-market trades", result, rows, rule,
                           ["trade_id", "book", "customer", "trader", "pair", "day", "rate", "day_low", "day_high",
                            "distance_pct"])


def late_bookings(result: Mapping[str, Any]) -> str | None:
    """Write the trades booked later than the threshold after execution."""
    rows = result.get("late_bookings")
    if rows is None:
        return None
    return _flagged_trades("Late bookings", result, rows,
                           f"threshold {format_number(result.get('threshold_minutes'))} minutes",
                           ["trade_id", "book", "customer", "trader", "pair", "trade_time", "booking_time",
                            "delay_minutes"])


def kyc(result: Mapping[str, Any]) -> str | None:
    """Write the KYC status per customer with the counts per status."""
    rows = result.get("customers")
    if rows is None:
        return None
    counts = result.get("counts") or {}
    summary = ", ".join(f"{format_number(n)} {status}" for status, n in counts.items())
    head = f"**KYC status** as of {result.get('as_of')}" + (f": {summary}." if summary else ".")
    if not rows:
        return head + " No customers match."
    if len(rows) == 1:
        row = rows[0]
        expiry = f", expires {row['expires_on']}" if row.get("expires_on") else ""
        days = (f" ({format_number(row['days_to_expiry'])} days to expiry)"
                if row.get("days_to_expiry") is not None else "")
        return f"{head}\n- {row.get('customer')} ({row.get('name')}): **{row.get('kyc_status')}**{expiry}{days}."
    return "\n".join([head, table(rows, _present(rows, ["customer", "name", "kyc_status", "expires_on",
                                                        "days_to_expiry"]))])


def _flagged_trades(title: str, result: Mapping[str, Any], rows: list, rule: str, columns: list[str]) -> str:
    checked = result.get("trades_checked")
    head = f"**{title}** for {window_text(result.get('window'))} ({rule}"
    head += f", {format_number(checked)} trades checked)" if checked is not None else ")"
    if not rows:
        return head + ": none."
    return "\n".join([head + f": {format_number(len(rows))} found.", table(rows, _present(rows, columns))])


def _present(rows: list, columns: list[str]) -> list[str]:
    return [c for c in columns if any(isinstance(r, Mapping) and c in r for r in rows)]


TEMPLATES: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    "get_limit_breaches": limit_breaches,
    "get_credit_utilisation": credit,
    "screen_restricted": restricted,
    "pre_trade_check": pre_trade,
    "get_off_market_trades": off_market,
    "get_late_bookings": late_bookings,
    "get_kyc_status": kyc,
    "schedule_compliance_report": schedule_answers.TEMPLATES["schedule_compliance_report"],
}
