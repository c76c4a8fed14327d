"""Compliance checks on the position-risk desk's NOP and VaR: limit breaches and the pre-trade check.

Positions, USD conversion and VaR come from the domain core and `tools.position_risk` so the
compliance and position-risk desks quote the same figures; only the compliance rules
(`tools.compliance.calc`) are added here. Both functions run inside `ScopeGate.run` on an entitled
scope. A limit is the book's: NOP and VaR are the whole book's position (every customer) whoever
asks, and only book-level figures leave this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Engine

from data.calendar import add_business_days
from data.queries import compliance as q
from data.queries import limits, positions, rates
from domain.credit import DEFAULT_ADDON
from tools.compliance import calc, credit
from tools.compliance.calc import DayRange
from tools.context import Context
from tools.errors import ToolInputError
from tools.pairs import normalise_pair
from tools.position_risk import calc as risk
from tools.position_risk import limits as lim
from tools.position_risk import var
from tools.scope import Scope, ScopeGate


def limit_breaches(engine: Engine, scope: Scope) -> dict[str, Any]:
    """Return the NOP and VaR (parametric) limits in breach or at 90 % or more, over the scope's positions."""
    day, market, days = _desk_market(engine, scope.as_of)
    exposures = risk.usd_exposures(_book_positions(engine, scope.books, day), market, day)
    by_book = var.var_by_group(exposures, market, days, "parametric")
    var_by_book = {book: by_book.get(book, {}).get("parametric", 0.0) for book in scope.books}
    nop_rows = lim.nop_utilisation(exposures, limits.nop_limits(engine, scope.books), scope.books)
    var_rows = lim.var_utilisation(var_by_book, limits.var_limits(engine, scope.books))
    found = calc.limit_findings(nop_rows, var_rows)
    return {"as_of": day, "scope": {"books": list(scope.books)}, "warning_pct": calc.WARNING_PCT,
            "var_method": "parametric", "basis": "book (every customer's position; a limit is the book's)",
            "limits_checked": sum(r["limit_usd"] is not None for r in nop_rows + var_rows),
            "breaches": [r for r in found if r.status == "breach"],
            "warnings": [r for r in found if r.status == "warning"]}


def pre_trade_check(gate: ScopeGate, scope: Scope, entitled: Context, *, pair: str, side: str, notional: float,
                    customer: str | None, book: str | None, rate: float | None,
                    addon: tuple[tuple[int, float], ...] = DEFAULT_ADDON) -> dict[str, Any]:
    """Run every pre-trade check of a proposed trade and return the verdict, reasons and figures.

    The gate narrows ``scope`` to the named customer and the pair's book. The NOP check uses the
    whole book's position (every customer: a limit is the book's), so every caller entitled to the
    book gets the same verdict; only book-level figures are returned. Credit reads the named
    customer's trades in the caller's entitled books.

    Raises:
        ToolInputError: ``bad_notional`` (not in (0, 5e9]), ``wrong_book``, ``bad_rate``,
            ``unknown_pair``, ``unknown_customer``.

    """
    engine = gate.db.engine
    if not (notional == notional and 0 < notional <= risk.MAX_NOTIONAL):  # NaN fails the self-comparison
        raise ToolInputError("bad_notional", f"Notional {notional!r} must be above 0 and at most 5,000,000,000 "
                                             "units of the base currency.")
    code = normalise_pair(pair, gate.universe())
    target = gate.pair_books()[code]
    if book and book.strip().upper() != target:
        raise ToolInputError("wrong_book", f"{code} is traded in {target}, not {book}.")
    if rate is not None and not rate > 0:
        raise ToolInputError("bad_rate", f"The rate {rate!r} must be positive.")
    day, market, _ = _desk_market(engine, scope.as_of, history=False)
    decimals = gate.universe().get(code).decimals
    new = risk.hypothetical_trade(code, side, notional, rate if rate is not None else market.close(code, day),
                                  target, day)
    reasons: list[calc.Reason] = []
    checks: dict[str, Any] = {"restricted": {"pair": q.restriction(engine, "pair", code), "customer": None},
                              "kyc": None, "credit": None, "rate": None}
    not_checked: list[str] = []
    if checks["restricted"]["pair"]:
        reasons.append(calc.Reason(code="restricted_pair", severity="blocked",
                                   message=f"{code} is on the restricted list: {checks['restricted']['pair']}"))
    # The book's NOP over every customer in it (a limit is the book's), before and after.
    checks["nop"], found = _nop_check(engine, new, market, day)
    reasons += found
    if customer:
        (code_c,) = scope.customers  # the gate narrowed the scope to the requested customer
        spot = replace(new, value_date=add_business_days(day, 2))  # the proposed trade is spot
        reasons += _customer_check(engine, replace(scope, books=entitled.books), checks, code_c,
                                   credit.new_trade_pse(spot, market, day, addon), addon)
    else:
        not_checked += ["restricted customer", "KYC", "credit"]
    if rate is not None:
        bar = rates.ohlc(engine, code, day, day)[day]
        band = DayRange(low=bar["low"], high=bar["high"])
        checks["rate"] = calc.rate_figures(code, rate, band, decimals)
        reasons += [r for r in [calc.rate_reason(code, rate, band, decimals)] if r]
    else:
        not_checked.append("rate (no rate proposed; NOP after uses the close)")
    return {"as_of": day, "scope": {"books": list(scope.books)},
            "trade": {"book": target, "customer": scope.customers[0] if customer else None, "pair": code,
                      "side": side.lower(), "notional": round(notional, 2), "rate": rate,
                      "close": round(market.close(code, day), decimals)},
            "verdict": calc.verdict(reasons), "reasons": reasons, "checks": checks, "not_checked": not_checked}


def _nop_check(engine: Engine, new: risk.Trade, market: risk.Market,
               day: date) -> tuple[list[dict[str, Any]], list[calc.Reason]]:
    book = new.book
    held = _book_positions(engine, [book], day)
    before = {ccy: usd for (b, ccy), usd in risk.usd_exposures(held, market, day).items() if b == book}
    after = {ccy: usd for (b, ccy), usd in risk.usd_exposures([*held, *risk.lots_of([new], day)], market, day).items()
             if b == book}
    touched = [ccy for ccy in (new.base, new.quote) if ccy != "USD"]
    nop_limits = {ccy: lim for (b, ccy), lim in limits.nop_limits(engine, [book]).items() if ccy in touched}
    return (calc.nop_figures(book, touched, before, after, nop_limits),
            calc.nop_reasons(book, before, after, nop_limits))


def _customer_check(engine: Engine, scope: Scope, checks: dict[str, Any], customer: str,
                    added_usd: float, addon: tuple[tuple[int, float], ...]) -> list[calc.Reason]:
    reasons = []
    profile = q.customer_profile(engine, customer)
    if profile is None:
        raise ToolInputError("unknown_customer", f"There is no customer {customer}.")
    restricted = checks["restricted"]["customer"] = profile["restricted_reason"]
    if restricted:
        reasons.append(calc.Reason(code="restricted_customer", severity="blocked",
                                   message=f"{customer} is on the restricted list: {restricted}"))
    status, expires = profile["kyc_status"], profile["kyc_expires_on"]
    checks["kyc"] = {"customer": customer, "kyc_status": status, "expires_on": expires}
    if not calc.kyc_ok(status, expires, scope.as_of):
        expired = f" (expired {expires})" if status == "approved" else ""
        # figures hold numbers and strings: a KYC expiry date crashed the check before (issue 13's property test)
        figures = {**checks["kyc"], "expires_on": expires.isoformat() if expires else None}
        reasons.append(calc.Reason(code="kyc_not_approved", severity="blocked", figures=figures,
                                   message=f"{customer} KYC is {status}{expired}."))
    (row,) = credit.credit_report(engine, [customer], scope.as_of, addon)
    before = row.exposure_usd
    limit = q.credit_limits(engine, [customer])[customer]
    checks["credit"] = calc.credit_figures(customer, before, added_usd, limit)
    reasons += [r for r in [calc.credit_reason(customer, before, added_usd, limit)] if r]
    return reasons


def _desk_market(engine: Engine, as_of: date, history: bool = True) -> tuple[date, risk.Market, list[date]]:
    """Return the desk day (last rate day by ``as_of``), its closes (with VaR history) and the days read."""
    days = rates.rate_days(engine, until=as_of, count=var.HISTORY + 1 if history else 1)
    if not days:
        raise ToolInputError("no_rates", f"No closing rates on or before {as_of}.")
    return days[-1], risk.Market(rates.closes(engine, days), rates.forward_points(engine, days[-1:])), days


def _book_positions(engine: Engine, books: Iterable[str], day: date) -> list[risk.Lot]:
    # Every customer's position of the books, summed in the database: book-level figures only.
    return positions.open_lots(engine, books, day=day)
