"""LangChain tools of the compliance desk: thin wrappers that run the compliance checks inside the caller's scope.

Each tool hands the model's arguments to `ScopeGate.run` (role grant, scope check, audit) and
computes over `data.queries` and `tools.compliance.calc`; the tool docstrings are prompt text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from langchain_core.tools import BaseTool, tool
from langgraph.prebuilt import ToolRuntime

from data.queries import compliance as q
from data.queries import limits, rates, trades
from tools.compliance import args as a
from tools.compliance import calc
from tools.compliance.calc import DayRange, TradeRow
from tools.context import Context
from tools.errors import ToolInputError
from tools.pairs import normalise_pair
from tools.position_risk import calc as risk
from tools.position_risk import var
from tools.scope import Scope, ScopeGate
from tools.windows import Window, resolve_window

DESK = "compliance"
CREDIT_BASIS = ("USD notional of unsettled trades (value date after the as-of date) at the as-of close, "
                "summed per customer over the books in scope; no netting")


def build_tools(gate: ScopeGate) -> list[BaseTool]:
    """Return the compliance desk's tools, in catalogue order, all running through ``gate``."""
    engine = gate.db.engine

    def call(runtime: ToolRuntime[Context], name: str, args: dict[str, Any], compute: Callable[[Scope], Any],
             *, books: Iterable[str | None] = (), customers: Iterable[str | None] = (),
             pairs: Iterable[str | None] = ()) -> dict[str, Any]:
        return gate.run(runtime.context, desk=DESK, tool=name, args=args, compute=compute, books=books,
                        customers=customers, pairs=pairs, run_meta=_run_meta(runtime))

    @tool("get_limit_breaches", args_schema=a.LimitBreachesArgs)
    def get_limit_breaches(book: str | None = None, *, runtime: ToolRuntime[Context]) -> dict:
        """List net open position (NOP) and VaR limits in breach, and warnings at 90 % or more of a limit.

        NOP rows: |NOP in USD| per book and currency against its limit; VaR rows: 1-day 99 %
        parametric VaR per book against its VaR limit. Each row: kind, book, currency, value_usd,
        limit_usd, excess_usd (amount over the limit), headroom_usd, utilisation_pct, status.
        """
        return call(runtime, "get_limit_breaches", {"book": book},
                    lambda scope: _limit_breaches(engine, scope), books=[book])

    @tool("get_credit_utilisation", args_schema=a.CreditUtilisationArgs)
    def get_credit_utilisation(customer: str | None = None, *, runtime: ToolRuntime[Context]) -> dict:
        """Return each customer's counterparty credit exposure against its credit limit, highest use first.

        Exposure is the USD notional of the customer's unsettled trades (value date after today)
        at today's close, per book and in total; with limit_usd, utilisation_pct, headroom_usd
        (negative when over) and status (breach over the limit, warning from 90 %).
        """
        return call(runtime, "get_credit_utilisation", {"customer": customer},
                    lambda scope: _credit(engine, scope), customers=[customer])

    @tool("screen_restricted", args_schema=a.RestrictedScreenArgs)
    def screen_restricted(customer: str | None = None, pair: str | None = None, *,
                          runtime: ToolRuntime[Context]) -> dict:
        """Screen a customer and/or a currency pair against the restricted list, with the customer's KYC status.

        Use before dealing with a customer or in a pair you are unsure about. `hits` lists every
        restricted-list match with its reason; `clear` is true only when nothing is restricted and
        the screened customer's KYC is approved and unexpired.
        """
        # The pair is reference data, not a position: it is not scope-checked, so onboarding (no
        # books) can screen pairs too. The customer is checked against the caller's customers.
        return call(runtime, "screen_restricted", {"customer": customer, "pair": pair},
                    lambda scope: _screen(engine, scope, customer, pair), customers=[customer])

    @tool("pre_trade_check", args_schema=a.PreTradeCheckArgs)
    def pre_trade_check(pair: str, side: str, notional: float, customer: str | None = None, book: str | None = None,
                        rate: float | None = None, *, runtime: ToolRuntime[Context]) -> dict:
        """Check a proposed trade before dealing; verdict pass, breach or blocked, with every reason and figure.

        blocked: restricted customer or pair, or customer KYC not approved. breach: the book's NOP
        limit would be exceeded (and the trade grows the position), the customer's credit limit would
        be exceeded, or the rate is more than 0.1 % outside today's range. `checks` holds NOP
        before/after per currency, credit before/after and the rate range. Nothing is booked or
        recorded by this tool; a breach needs a person's explicit confirmation.
        """
        args = {"pair": pair, "side": side, "notional": notional, "customer": customer, "book": book, "rate": rate}
        return call(runtime, "pre_trade_check", args,
                    lambda scope: _pre_trade(gate, scope, _entitled(runtime), pair, side, notional, customer, book,
                                             rate),
                    books=[book], customers=[customer], pairs=[pair])

    @tool("get_off_market_trades", args_schema=a.OffMarketArgs)
    def get_off_market_trades(window: str = "last 30 days", book: str | None = None, tolerance_pct: float = 0.1,
                              *, runtime: ToolRuntime[Context]) -> dict:
        """List trades dealt at a rate outside that day's low-high range for the pair by more than tolerance_pct.

        Each row gives trade_id, book, customer, trader, pair, rate, the day's low and high and
        distance_pct (how far outside the range, in % of the crossed bound), worst first.
        """
        return call(runtime, "get_off_market_trades", {"window": window, "book": book, "tolerance_pct": tolerance_pct},
                    lambda scope: _off_market(engine, scope, window, tolerance_pct), books=[book])

    @tool("get_late_bookings", args_schema=a.LateBookingsArgs)
    def get_late_bookings(window: str = "last 30 days", book: str | None = None, threshold_minutes: int = 30,
                          *, runtime: ToolRuntime[Context]) -> dict:
        """List trades booked more than threshold_minutes after they were dealt, longest delay first.

        Each row gives trade_id, book, customer, trader, pair, trade_time, booking_time and
        delay_minutes.
        """
        return call(runtime, "get_late_bookings",
                    {"window": window, "book": book, "threshold_minutes": threshold_minutes},
                    lambda scope: _late(engine, scope, window, threshold_minutes), books=[book])

    @tool("get_kyc_status", args_schema=a.KycStatusArgs)
    def get_kyc_status(customer: str | None = None, status: str | None = None, *,
                       runtime: ToolRuntime[Context]) -> dict:
        """Return customers' KYC status (approved, pending, expired, rejected) with review and expiry dates.

        Use for onboarding questions: which customers are pending or expired, when a customer's KYC
        expires (days_to_expiry is negative once past). Holds no positions or trades.
        """
        return call(runtime, "get_kyc_status", {"customer": customer, "status": status},
                    lambda scope: _kyc(engine, scope, status), customers=[customer])

    return [get_limit_breaches, get_credit_utilisation, screen_restricted, pre_trade_check, get_off_market_trades,
            get_late_bookings, get_kyc_status]


# -- computations (run inside the gate, on an already-entitled scope) ---------------------------------
def _screen(engine, scope: Scope, customer: str | None, pair: str | None) -> dict[str, Any]:
    if not customer and not pair:
        raise ToolInputError("nothing_to_screen", "Give a customer, a currency pair, or both, to screen.")
    result: dict[str, Any] = {"as_of": scope.as_of, "customer": None, "pair": None, "hits": []}
    kyc_ok = True
    if customer:
        (code,) = scope.customers  # the gate narrowed the scope to the one requested customer
        records = q.kyc_records(engine, [code])
        if not records:
            raise ToolInputError("unknown_customer", f"There is no customer {code}.")
        kyc = records[0]
        reason = q.restriction(engine, "customer", code)
        kyc_ok = calc.kyc_ok(kyc["kyc_status"], kyc["kyc_expires_on"], scope.as_of)
        result["customer"] = {"customer": code, "name": kyc["name"], "restricted": reason is not None,
                              "reason": reason, "kyc_status": kyc["kyc_status"],
                              "kyc_expires_on": kyc["kyc_expires_on"], "kyc_ok": kyc_ok}
        if reason:
            result["hits"].append({"kind": "customer", "value": code, "reason": reason})
    if pair:
        code = normalise_pair(pair)
        reason = q.restriction(engine, "pair", code)
        result["pair"] = {"pair": code, "restricted": reason is not None, "reason": reason}
        if reason:
            result["hits"].append({"kind": "pair", "value": code, "reason": reason})
    result["clear"] = not result["hits"] and kyc_ok
    return result


def _limit_breaches(engine, scope: Scope) -> dict[str, Any]:
    day, market, days = _market(engine, scope.as_of)
    exposures = risk.usd_exposures(_positions(engine, scope, day), market, day)
    by_book = var.var_by_group(exposures, market, days, "parametric")
    var_by_book = {book: by_book.get(book, {}).get("parametric", 0.0) for book in scope.books}
    nop_rows = risk.nop_utilisation(exposures, limits.nop_limits(engine, scope.books), scope.books)
    var_rows = risk.var_utilisation(var_by_book, limits.var_limits(engine, scope.books))
    found = calc.limit_findings(nop_rows, var_rows)
    return {"as_of": day, "scope": _scope_out(scope), "warning_pct": calc.WARNING_PCT, "var_method": "parametric",
            "limits_checked": sum(r["limit_usd"] is not None for r in nop_rows + var_rows),
            "breaches": [r for r in found if r.status == "breach"],
            "warnings": [r for r in found if r.status == "warning"]}


def _pre_trade(gate: ScopeGate, scope: Scope, entitled: Context, pair: str, side: str, notional: float,
               customer: str | None, book: str | None, rate: float | None) -> dict[str, Any]:
    """Run every pre-trade check; NOP and credit read all the caller's entitled customers and books.

    The gate narrows ``scope`` to the named customer and the pair's book; a book's NOP and a
    customer's credit use are wider than that, but never wider than the caller's own context.
    """
    engine = gate.db.engine
    if not (notional == notional and 0 < notional <= calc.MAX_NOTIONAL):  # NaN fails the self-comparison
        raise ToolInputError("bad_notional", f"Notional {notional!r} must be above 0 and at most 5,000,000,000 "
                                             "units of the base currency.")
    code = normalise_pair(pair)
    target = gate.pair_books()[code]
    if book and book.strip().upper() != target:
        raise ToolInputError("wrong_book", f"{code} is traded in {target}, not {book}.")
    if rate is not None and not rate > 0:
        raise ToolInputError("bad_rate", f"The rate {rate!r} must be positive.")
    day, market, _ = _market(engine, scope.as_of, history=False)
    decimals = rates.pair_table(engine)[code]["decimals"]
    deal_rate = float(rate) if rate is not None else market.close(code, day)
    reasons: list[calc.Reason] = []
    not_checked: list[str] = []
    checks: dict[str, Any] = {"restricted": {"pair": q.restriction(engine, "pair", code)}}
    if checks["restricted"]["pair"]:
        reasons.append(calc.Reason(code="restricted_pair", severity="blocked",
                                   message=f"{code} is on the restricted list: {checks['restricted']['pair']}"))
    # NOP of the book before and after, on the position-risk desk's definitions.
    book_scope = replace(scope, books=(target,), customers=entitled.customers)
    held = _positions(engine, book_scope, day)
    new = risk.hypothetical_trade(code, side, notional, deal_rate, target, day)
    before = {ccy: usd for (b, ccy), usd in risk.usd_exposures(held, market, day).items() if b == target}
    after = {ccy: usd for (b, ccy), usd in risk.usd_exposures([*held, new], market, day).items() if b == target}
    nop_limits = {ccy: lim for (b, ccy), lim in limits.nop_limits(engine, [target]).items() if b == target}
    touched = [ccy for ccy in (code[:3], code[3:]) if ccy != "USD"]
    checks["nop"] = calc.nop_figures(target, touched, before, after, nop_limits)
    reasons += calc.nop_reasons(target, before, after, {c: nop_limits[c] for c in touched if c in nop_limits})
    if customer:
        (cust,) = scope.customers  # the gate narrowed the scope to the requested customer
        reasons += _customer_reasons(engine, replace(scope, books=entitled.books), checks, cust,
                                     calc.usd_notional(notional, market.usd(code[:3], day)))
    else:
        checks["credit"] = checks["kyc"] = None
        not_checked += ["restricted customer", "KYC", "credit"]
    if rate is not None:
        bar = rates.ohlc(engine, code, day, day)[day]
        band = DayRange(low=bar["low"], high=bar["high"])
        checks["rate"] = {"rate": round(rate, decimals), "day_low": round(band.low, decimals),
                          "day_high": round(band.high, decimals),
                          "distance_pct": round(calc.off_market_distance_pct(rate, band.low, band.high), 2),
                          "tolerance_pct": calc.PRE_TRADE_RATE_TOLERANCE_PCT}
        if reason := calc.rate_reason(code, rate, band, decimals):
            reasons.append(reason)
    else:
        checks["rate"] = None
        not_checked.append("rate (no rate proposed; NOP after uses the close)")
    return {"as_of": day, "scope": _scope_out(scope),
            "trade": {"book": target, "customer": scope.customers[0] if customer else None, "pair": code,
                      "side": side.lower(), "notional": round(notional, 2), "rate": rate,
                      "close": round(market.close(code, day), decimals)},
            "verdict": calc.verdict(reasons), "reasons": reasons, "checks": checks, "not_checked": not_checked}


def _customer_reasons(engine, scope: Scope, checks: dict[str, Any], customer: str,
                      added_usd: float) -> list[calc.Reason]:
    reasons = []
    checks["restricted"]["customer"] = q.restriction(engine, "customer", customer)
    if checks["restricted"]["customer"]:
        reasons.append(calc.Reason(code="restricted_customer", severity="blocked",
                                   message=f"{customer} is on the restricted list: {checks['restricted']['customer']}"))
    (kyc,) = q.kyc_records(engine, [customer]) or [None]
    if kyc is None:
        raise ToolInputError("unknown_customer", f"There is no customer {customer}.")
    checks["kyc"] = {"customer": customer, "kyc_status": kyc["kyc_status"], "expires_on": kyc["kyc_expires_on"]}
    if not calc.kyc_ok(kyc["kyc_status"], kyc["kyc_expires_on"], scope.as_of):
        reasons.append(calc.Reason(
            code="kyc_not_approved", severity="blocked", figures=dict(checks["kyc"]),
            message=f"{customer} KYC is {kyc['kyc_status']}"
                    + (f" (expired {kyc['kyc_expires_on']})" if kyc["kyc_status"] == "approved" else "") + "."))
    before = sum(limits.credit_exposure(engine, [customer], scope.as_of, scope.books).values())
    limit = q.credit_limits(engine, [customer])[customer]
    checks["credit"] = {"customer": customer, "credit_before_usd": round(before, 2),
                        "credit_after_usd": round(before + added_usd, 2), "limit_usd": round(limit, 2),
                        "utilisation_after_pct": calc.utilisation_pct(before + added_usd, limit)}
    if reason := calc.credit_reason(customer, before, added_usd, limit):
        reasons.append(reason)
    return reasons


def _off_market(engine, scope: Scope, window: str, tolerance_pct: float) -> dict[str, Any]:
    w = resolve_window(window, scope.as_of, default="last 30 days")
    dealt = _window_trades(engine, scope, w)
    ranges = {(pair, day): DayRange(low=bar["low"], high=bar["high"])
              for pair in sorted({t.pair for t in dealt})
              for day, bar in rates.ohlc(engine, pair, w.start, w.end).items()}
    decimals = {pair: row["decimals"] for pair, row in rates.pair_table(engine).items()}
    return {"as_of": scope.as_of, "window": w, "scope": _scope_out(scope), "tolerance_pct": tolerance_pct,
            "trades_checked": len(dealt),
            "off_market": calc.off_market_rows(dealt, ranges, tolerance_pct, decimals)}


def _late(engine, scope: Scope, window: str, threshold_minutes: int) -> dict[str, Any]:
    w = resolve_window(window, scope.as_of, default="last 30 days")
    dealt = _window_trades(engine, scope, w)
    return {"as_of": scope.as_of, "window": w, "scope": _scope_out(scope), "threshold_minutes": threshold_minutes,
            "trades_checked": len(dealt), "late_bookings": calc.late_booking_rows(dealt, threshold_minutes)}


def _credit(engine, scope: Scope) -> dict[str, Any]:
    by_book = {(customer, book): usd for book in scope.books
               for customer, usd in limits.credit_exposure(engine, scope.customers, scope.as_of, [book]).items()}
    return {"as_of": scope.as_of, "scope": _scope_out(scope), "basis": CREDIT_BASIS,
            "customers": calc.credit_rows(by_book, q.credit_limits(engine, scope.customers))}


def _kyc(engine, scope: Scope, status: str | None) -> dict[str, Any]:
    rows = [{"customer": r["customer"], "name": r["name"], "kyc_status": r["kyc_status"],
             "reviewed_on": r["kyc_reviewed_on"], "expires_on": r["kyc_expires_on"],
             "days_to_expiry": calc.days_to_expiry(r["kyc_expires_on"], scope.as_of)}
            for r in q.kyc_records(engine, scope.customers, status)]
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["kyc_status"]] = counts.get(row["kyc_status"], 0) + 1
    return {"as_of": scope.as_of, "status_filter": status, "counts": counts, "customers": rows}


# -- helpers ---------------------------------------------------------------------------------------
def _window_trades(engine, scope: Scope, w: Window) -> list[TradeRow]:
    rows = trades.scoped_trades(engine, scope.books, scope.customers, since=w.start, until=w.end)
    return [TradeRow(trade_id=r["trade_id"], trader=r["trader"], book=r["book"], customer=r["customer"],
                     pair=r["pair"], side=r["side"], notional=float(r["notional"]), rate=float(r["rate"]),
                     trade_time=r["trade_time"], booking_time=r["booking_time"]) for r in rows]


def _market(engine, as_of, history: bool = True) -> tuple[date, risk.Market, list[date]]:
    """Return the desk day (last rate day by ``as_of``), its closes (with VaR history) and the days read."""
    days = rates.rate_days(engine, until=as_of, count=var.HISTORY + 1 if history else 1)
    if not days:
        raise ToolInputError("no_rates", f"No closing rates on or before {as_of}.")
    return days[-1], risk.Market(rates.closes(engine, days)), days


def _positions(engine, scope: Scope, day: date) -> list[risk.Trade]:
    return [risk.Trade.from_row(r) for r in trades.scoped_trades(engine, scope.books, scope.customers, until=day)]


def _scope_out(scope: Scope) -> dict[str, Any]:
    return {"books": list(scope.books)}


def _entitled(runtime: ToolRuntime[Context]) -> Context:
    ctx = runtime.context
    return ctx if isinstance(ctx, Context) else Context(**ctx)


def _run_meta(runtime: ToolRuntime[Context]) -> dict[str, Any]:
    config = runtime.config or {}
    return {"thread_id": (config.get("configurable") or {}).get("thread_id"), "run_id": config.get("run_id")}
