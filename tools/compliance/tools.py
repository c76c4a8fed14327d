"""LangChain tools of the compliance desk: thin wrappers that run the compliance checks inside the caller's scope.

Each tool hands the model's arguments to `ScopeGate.run` (role grant, scope check, audit) and
computes over `data.queries` and `tools.compliance.calc`; the tool docstrings are prompt text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from langchain_core.tools import BaseTool, tool
from langgraph.prebuilt import ToolRuntime
from sqlalchemy import Engine

from data.queries import compliance as q
from data.queries import rates, trades
from domain.errors import DomainError
from domain.market import Market
from domain.pairs import PairUniverse
from tools.compliance import args as a
from tools.compliance import calc, risk_checks
from tools.compliance.calc import DayRange, TradeRow
from tools.compliance.credit import CREDIT_BASIS, credit_report
from tools.context import Context
from tools.errors import ToolInputError
from tools.pairs import normalise_pair
from tools.position_risk.conventions import RiskConventions, load_conventions
from tools.schedules.scheduler import SchedulerSlot
from tools.schedules.tools import build_schedule_tools
from tools.scope import Scope, ScopeGate
from tools.windows import Window, resolve_window

DESK = "compliance"


def build_tools(gate: ScopeGate, conventions: RiskConventions | None = None,
                schedules: SchedulerSlot | None = None) -> list[BaseTool]:
    """Return the compliance desk's tools, in catalogue order, all running through ``gate``.

    ``conventions`` (the credit add-on table) default to `load_conventions()` (``FXDESK_RISK_*``);
    ``schedules`` is where the report-schedule tool finds the server's scheduler (default: none, so it
    answers that schedules need ``fxdesk serve``).
    """
    engine = gate.db.engine
    conv = conventions or load_conventions()

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
                    lambda scope: risk_checks.limit_breaches(engine, scope), books=[book])

    @tool("get_credit_utilisation", args_schema=a.CreditUtilisationArgs)
    def get_credit_utilisation(customer: str | None = None, *, runtime: ToolRuntime[Context]) -> dict:
        """Return each customer's counterparty credit exposure against its credit limit, highest use first.

        exposure_usd is the pre-settlement exposure: positive mark-to-market plus an add-on by
        residual tenor (addon_table) over the customer's unsettled, not exited trades; with
        limit_usd, utilisation_pct, headroom_usd (negative when over), status (breach over the
        limit, warning from 90 %), mtm_usd, addon_usd and settlement_by_value_date (USD the book
        pays on each value date).
        """
        return call(runtime, "get_credit_utilisation", {"customer": customer},
                    lambda scope: _credit(engine, scope, conv.credit_addon), customers=[customer])

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
                    lambda scope: _screen(engine, scope, gate.universe(), customer, pair), customers=[customer])

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
                    lambda scope: risk_checks.pre_trade_check(gate, scope, _entitled(runtime), addon=conv.credit_addon,
                                                             **args),
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
            get_late_bookings, get_kyc_status, *build_schedule_tools(gate, schedules or SchedulerSlot(), DESK)]


# -- computations (run inside the gate, on an already-entitled scope) ---------------------------------
def _screen(engine: Engine, scope: Scope, universe: PairUniverse, customer: str | None,
            pair: str | None) -> dict[str, Any]:
    if not customer and not pair:
        raise ToolInputError("nothing_to_screen", "Give a customer, a currency pair, or both, to screen.")
    result: dict[str, Any] = {"as_of": scope.as_of, "customer": None, "pair": None, "hits": []}
    kyc_ok = True
    if customer:
        (code,) = scope.customers  # the gate narrowed the scope to the one requested customer
        profile = q.customer_profile(engine, code)
        if profile is None:
            raise ToolInputError("unknown_customer", f"There is no customer {code}.")
        reason = profile["restricted_reason"]
        kyc_ok = calc.kyc_ok(profile["kyc_status"], profile["kyc_expires_on"], scope.as_of)
        result["customer"] = {"customer": code, "name": profile["name"], "restricted": reason is not None,
                              "reason": reason, "kyc_status": profile["kyc_status"],
                              "kyc_expires_on": profile["kyc_expires_on"], "kyc_ok": kyc_ok}
        if reason:
            result["hits"].append({"kind": "customer", "value": code, "reason": reason})
    if pair:
        code = normalise_pair(pair, universe)
        reason = q.restriction(engine, "pair", code)
        result["pair"] = {"pair": code, "restricted": reason is not None, "reason": reason}
        if reason:
            result["hits"].append({"kind": "pair", "value": code, "reason": reason})
    result["clear"] = not result["hits"] and kyc_ok
    return result


def _off_market(engine: Engine, scope: Scope, window: str, tolerance_pct: float) -> dict[str, Any]:
    w = resolve_window(window, scope.as_of, default="last 30 days")
    dealt = _window_trades(engine, scope, w)
    ranges = {(pair, day): DayRange(low=bar["low"], high=bar["high"])
              for pair in sorted({t.pair for t in dealt})
              for day, bar in rates.ohlc(engine, pair, w.start, w.end).items()}
    decimals = {pair: row["decimals"] for pair, row in rates.pair_table(engine).items()}
    return {"as_of": scope.as_of, "window": w, "scope": _scope_out(scope), "tolerance_pct": tolerance_pct,
            "trades_checked": len(dealt), "forward_rule": "forwards: the day's range shifted by their forward points",
            "off_market": calc.off_market_rows(dealt, ranges, tolerance_pct, decimals, _forward_points(engine, dealt))}


def _forward_points(engine: Engine, dealt: list[TradeRow]) -> dict[str, float]:
    """Return trade id -> forward points on its trade day for its value date (forwards only)."""
    forwards = [t for t in dealt if t.product == "FORWARD" and t.value_date is not None]
    curve = Market({}, rates.forward_points(engine, {t.trade_time.date() for t in forwards}))
    out = {}
    for t in forwards:
        assert t.value_date is not None
        try:
            out[t.trade_id] = curve.forward_points(t.pair, t.trade_time.date(), t.value_date)
        except DomainError:
            continue  # no curve that day: judged against spot
    return out


def _late(engine: Engine, scope: Scope, window: str, threshold_minutes: int) -> dict[str, Any]:
    w = resolve_window(window, scope.as_of, default="last 30 days")
    dealt = _window_trades(engine, scope, w)
    return {"as_of": scope.as_of, "window": w, "scope": _scope_out(scope), "threshold_minutes": threshold_minutes,
            "trades_checked": len(dealt), "late_bookings": calc.late_booking_rows(dealt, threshold_minutes)}


def _credit(engine: Engine, scope: Scope, table: tuple[tuple[int, float], ...]) -> dict[str, Any]:
    return {"as_of": scope.as_of, "scope": _scope_out(scope), "basis": CREDIT_BASIS,
            "customers": credit_report(engine, scope.customers, scope.as_of, table),
            "addon_table": [{"max_days": d, "addon_pct": round(f * 100, 4)} for d, f in table]}


def _kyc(engine: Engine, scope: Scope, status: str | None) -> dict[str, Any]:
    rows = [{"customer": r["customer"], "name": r["name"], "kyc_status": r["kyc_status"],
             "reviewed_on": r["kyc_reviewed_on"], "expires_on": r["kyc_expires_on"],
             "days_to_expiry": calc.days_to_expiry(r["kyc_expires_on"], scope.as_of)}
            for r in q.kyc_records(engine, scope.customers, status)]
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["kyc_status"]] = counts.get(row["kyc_status"], 0) + 1
    return {"as_of": scope.as_of, "status_filter": status, "counts": counts, "customers": rows}


# -- helpers ---------------------------------------------------------------------------------------
def _window_trades(engine: Engine, scope: Scope, w: Window) -> list[TradeRow]:
    rows = trades.scoped_trades(engine, scope.books, scope.customers, since=w.start, until=w.end)
    return [TradeRow(trade_id=r["trade_id"], trader=r["trader"], book=r["book"], customer=r["customer"],
                     pair=r["pair"], side=r["side"], notional=float(r["notional"]), rate=float(r["rate"]),
                     trade_time=r["trade_time"], booking_time=r["booking_time"], product=r["product"],
                     value_date=r["value_date"]) for r in rows]


def _scope_out(scope: Scope) -> dict[str, Any]:
    return {"books": list(scope.books)}


def _entitled(runtime: ToolRuntime[Context]) -> Context:
    ctx = runtime.context
    return ctx if isinstance(ctx, Context) else Context(**ctx)


def _run_meta(runtime: ToolRuntime[Context]) -> dict[str, Any]:
    config = runtime.config or {}
    return {"thread_id": (config.get("configurable") or {}).get("thread_id"), "run_id": config.get("run_id")}
