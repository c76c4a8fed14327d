"""Answer templates of the position-risk desk: each tool's JSON result as short markdown (CONTRACTS.md §4)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from llm.offline.numbers import format_number
from llm.offline.render import money, signed_position, table, window_text
from tools.schedules import answers as schedule_answers

__all__ = ["TEMPLATES"]

_BULLETED_PAIRS = 5


def net_open_position(result: Mapping[str, Any]) -> str | None:
    """Write the net open position: each pair's legs and USD equivalent, then currencies and books."""
    pairs, currencies = result.get("pairs"), result.get("currencies")
    if pairs is None and currencies is None:
        return None
    focus = ", ".join(filter(None, [result.get("pair"), result.get("currency")]))
    title = f"**Net open position{' in ' + focus if focus else ''}** as of {result.get('as_of')}{_books(result)}"
    if not pairs and not currencies:
        return f"{title}: no open position."
    lines = [title + ":"]
    for row in pairs if pairs and len(pairs) <= _BULLETED_PAIRS else []:
        pair = row["pair"]
        parts = [f"{signed_position(row.get('net_base'), pair[:3])} against "
                 f"{signed_position(row.get('net_quote'), pair[3:])}"]
        if row.get("base_usd_equivalent") is not None:
            parts.append(f"USD equivalent {money(row['base_usd_equivalent'])}")
        if row.get("average_rate") is not None:
            parts.append(f"average rate {format_number(row['average_rate'])}, close {format_number(row.get('close'))}")
        if row.get("unrealised_pnl_usd") is not None:
            parts.append(f"unrealised P&L {money(row['unrealised_pnl_usd'])}")
        if row.get("open_trades") is not None:
            parts.append(f"{format_number(row['open_trades'])} open trades")
        lines.append(f"- **{pair}** ({row.get('book')}): " + "; ".join(parts) + ".")
    if pairs and len(pairs) > _BULLETED_PAIRS:
        # A table of every pair (not a slice), so its "N more rows" counts come from the result itself.
        lines.append(table(pairs, ["book", "pair", "net_base", "net_quote", "base_usd_equivalent",
                                   "unrealised_pnl_usd", "open_trades"]))
    if currencies:
        lines.append("\nBy currency:")
        lines.append(table(currencies, ["book", "currency", "position", "usd_equivalent"]))
    for row in result.get("books") or []:
        lines.append(f"\nBook {row.get('book')}: gross {money(row.get('gross_usd'))}, net {money(row.get('net_usd'))}.")
    return "\n".join(lines)


def pnl(result: Mapping[str, Any]) -> str | None:
    """Write the mark-to-market P&L over a window: total, per book, per pair."""
    if "total_pnl_usd" not in result and "by_book" not in result:
        return None
    focus = f" in {result['pair']}" if result.get("pair") else ""
    lines = [f"**P&L{focus}** for {window_text(result.get('window'))}{_books(result)}: "
             f"total {money(result.get('total_pnl_usd'))}"
             + (f" = price effect {money(result['total_price_effect_usd'])} + FX translation "
                f"{money(result.get('total_fx_translation_usd'))}" if "total_price_effect_usd" in result else "")
             + "."]
    for row in result.get("by_book") or []:
        lines.append(f"- {row.get('book')}: {money(row.get('pnl_usd'))} (price {money(row.get('price_effect_usd'))}, "
                     f"FX {money(row.get('fx_translation_usd'))}; realised on trades closed in the window "
                     f"{money(row.get('realised_usd'))})")
    by_pair = result.get("by_pair") or []
    if by_pair:
        lines.append("\nBy pair (USD):")
        lines.append(table(by_pair, ["pair", "book", "pnl_usd", "price_effect_usd", "fx_translation_usd",
                                     "realised_usd", "trades"]))
    return "\n".join(lines)


def value_at_risk(result: Mapping[str, Any]) -> str | None:
    """Write the VaR: total and per book for each method, then the exposures used."""
    total = result.get("total")
    if not isinstance(total, Mapping):
        return None
    horizon = f"{format_number(result['horizon_days'])}-day " if result.get("horizon_days") is not None else ""
    level = f"{format_number(result['confidence_pct'])}% " if result.get("confidence_pct") is not None else ""
    head = f"**{horizon}{level}VaR** as of {result.get('as_of')}{_books(result)}"
    lines = [head + ":", f"- Total: {_var_values(total)}"]
    for row in result.get("by_book") or []:
        lines.append(f"- {row.get('book')}: {_var_values(row)}")
    notes = []
    if result.get("ewma_lambda") is not None:
        notes.append(f"EWMA lambda {format_number(result['ewma_lambda'])}")
    if result.get("returns_used") is not None:
        notes.append(f"{format_number(result['returns_used'])} daily returns")
    if notes:
        lines.append(f"Method: {result.get('method')} ({', '.join(notes)}).")
    exposures = result.get("exposures") or []
    if exposures:
        lines.append("\nCurrency exposures used (USD):")
        lines.append(table(exposures, ["book", "currency", "usd"]))
    return "\n".join(lines)


def limit_utilisation(result: Mapping[str, Any]) -> str | None:
    """Write the limit utilisation: breach and warning counts, then NOP and VaR tables."""
    if "nop" not in result and "var" not in result:
        return None
    counts = [f"{format_number(result[k])} {k}" for k in ("breaches", "warnings") if result.get(k) is not None]
    lines = [f"**Limit utilisation** as of {result.get('as_of')}{_books(result)}"
             + (f": {', '.join(counts)}." if counts else ".")]
    if result.get("nop"):
        lines.append("\nNet open position limits (USD):")
        lines.append(table(result["nop"], ["book", "currency", "nop_usd", "limit_usd", "utilisation_pct",
                                           "headroom_usd", "status"]))
    if result.get("var"):
        lines.append("\nVaR limits (USD):")
        lines.append(table(result["var"], ["book", "var_usd", "limit_usd", "utilisation_pct", "headroom_usd",
                                           "status"]))
    return "\n".join(lines)


def what_if(result: Mapping[str, Any]) -> str | None:
    """Write the what-if: the trade, its legs, NOP and VaR before/after against limits, any breach."""
    trade = result.get("trade")
    if not isinstance(trade, Mapping):
        return None
    lines = [f"**What-if: {trade.get('side')} {format_number(trade.get('notional'))} {trade.get('pair')}** in "
             f"{trade.get('book')} at {format_number(trade.get('rate'))} (close {format_number(trade.get('close'))}); "
             "nothing is booked."]
    legs = trade.get("legs") or []
    if legs:
        lines.append("- Legs: " + "; ".join(f"{signed_position(leg.get('amount'), leg.get('currency'))} "
                                            f"({money(leg.get('usd_equivalent'))})" for leg in legs))
    for row in result.get("nop") or []:
        lines.append(f"- {row.get('currency')} NOP in {row.get('book')}: {money(row.get('nop_before_usd'))} before, "
                     f"{money(row.get('nop_after_usd'))} after{_against(row)}")
    var = result.get("var")
    if isinstance(var, Mapping):
        lines.append(f"- Parametric VaR: {money(var.get('parametric_before_usd'))} before, "
                     f"{money(var.get('parametric_after_usd'))} after{_against(var)}")
        if var.get("historical_after_usd") is not None:
            lines.append(f"- Historical VaR: {money(var.get('historical_before_usd'))} before, "
                         f"{money(var.get('historical_after_usd'))} after.")
    breaches = result.get("breaches_after") or []
    lines.append(f"**Limits breached after the trade: {', '.join(breaches)}.**" if breaches
                 else "No limit would be breached by this trade.")
    return "\n".join(lines)


def _against(row: Mapping[str, Any]) -> str:
    if row.get("limit_usd") is None:
        return " (no limit set)."
    text = f" against a limit of {money(row['limit_usd'])}"
    if row.get("utilisation_before_pct") is not None:
        text += (f", utilisation {format_number(row['utilisation_before_pct'])}% → "
                 f"{format_number(row.get('utilisation_after_pct'))}%")
    return text + f", status {row.get('status_after', 'n/a')}."


def _var_values(row: Mapping[str, Any]) -> str:
    parts = [f"{name.removesuffix('_var_usd')} {money(value)}" for name, value in row.items()
             if name.endswith("_var_usd") and value is not None]
    return ", ".join(parts) or "n/a"


def _books(result: Mapping[str, Any]) -> str:
    scope = result.get("scope")
    books = scope.get("books") if isinstance(scope, Mapping) else None
    return f" (books {', '.join(books)})" if books else ""


def var_backtest(result: Mapping[str, Any]) -> str | None:
    """Write the VaR backtest: exceptions against the expected number, the Basel zone, the exception days."""
    if "exceptions" not in result or "zone" not in result:
        return None
    confidence = f" {format_number(result['confidence_pct'])} %" if result.get("confidence_pct") else ""
    lines = [f"**VaR backtest** ({result.get('method')}{confidence}) as of {result.get('as_of')}{_books(result)}: "
             f"{format_number(result['exceptions'])} exceptions in {format_number(result.get('observations'))} days "
             f"(expected {format_number(result.get('expected_exceptions'))}) — Basel zone **{result['zone']}**."]
    days = result.get("exception_days") or []
    if days:
        lines.append(table(days, ["day", "pnl_usd", "var_usd"]))
    worst = result.get("worst_day")
    if worst:
        lines.append(f"Worst day {worst.get('day')}: P&L {money(worst.get('pnl_usd'))} against VaR "
                     f"{money(worst.get('var_usd'))}.")
    return "\n".join(lines)


def rate_history(result: Mapping[str, Any]) -> str | None:
    """Write a pair's daily candles: the window's first and last close, its high and low, then the table."""
    candles = result.get("candles")
    if candles is None:
        return None
    title = f"**{result.get('pair')} daily rates** for {window_text(result.get('window'))}"
    if not candles:
        return f"{title}: no closing rates in that window."
    high = max(candles, key=lambda row: row["high"])
    low = min(candles, key=lambda row: row["low"])
    first, last = candles[0], candles[-1]
    lines = [f"{title} ({format_number(len(candles))} business days, book {result.get('book')}):",
             f"- Close {format_number(first['close'])} on {first['day']} → {format_number(last['close'])} "
             f"on {last['day']}.",
             f"- High {format_number(high['high'])} on {high['day']}; low {format_number(low['low'])} on {low['day']}.",
             table(list(reversed(candles)), ["day", "open", "high", "low", "close"])]
    return "\n".join(lines)


TEMPLATES: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    "get_net_open_position": net_open_position,
    "get_pnl": pnl,
    "get_var": value_at_risk,
    "get_limit_utilisation": limit_utilisation,
    "what_if_trade": what_if,
    "get_rate_history": rate_history,
    "get_var_backtest": var_backtest,
    "schedule_risk_report": schedule_answers.TEMPLATES["schedule_risk_report"],
    "list_scheduled_reports": schedule_answers.TEMPLATES["list_scheduled_reports"],
    "cancel_scheduled_report": schedule_answers.TEMPLATES["cancel_scheduled_report"],
}
