"""LangChain tools of the position-risk desk: thin wrappers running the position maths inside the caller's scope.

Each tool hands the model's arguments to `ScopeGate.run` (role grant, scope check, audit), reads
through `data.queries` and computes with `tools.position_risk.calc` / `tools.position_risk.var`.
The tool docstrings and the argument descriptions are prompt text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from langchain_core.tools import BaseTool, tool
from langgraph.prebuilt import ToolRuntime
from sqlalchemy import Engine

from data.queries import limits as limits_q
from data.queries import positions as positions_q
from data.queries import rates as rates_q
from data.queries import trades as trades_q
from domain.market import Market
from domain.pairs import PairUniverse
from domain.position import Lot
from tools.context import Context
from tools.errors import ToolInputError
from tools.pairs import normalise_currency, normalise_pair
from tools.position_risk import args as a
from tools.position_risk import backtest, calc, var
from tools.position_risk import limits as lim
from tools.position_risk.conventions import RiskConventions, load_conventions
from tools.schedules.scheduler import SchedulerSlot
from tools.schedules.tools import build_schedule_tools
from tools.scope import Scope, ScopeGate
from tools.windows import resolve_window

DESK = "position_risk"
BOOK_BASIS = ("book: a limit is the book's, so utilisation, headroom and verdicts use the whole book's position "
              "(every customer); only book-level figures are shown")


def build_tools(gate: ScopeGate, conventions: RiskConventions | None = None,
                schedules: SchedulerSlot | None = None) -> list[BaseTool]:
    """Return the position-risk desk's tools, in catalogue order, all running through ``gate``.

    ``conventions`` default to `load_conventions()` (``FXDESK_RISK_*``, read once, here); ``schedules``
    is where the report-schedule tools find the server's scheduler (default: none, so they answer that
    schedules need ``fxdesk serve``).
    """
    engine = gate.db.engine
    conv = conventions or load_conventions()

    def call(runtime: ToolRuntime[Context], name: str, args: dict[str, Any], compute: Callable[[Scope], Any],
             *, books: Iterable[str | None] = (), pairs: Iterable[str | None] = ()) -> dict[str, Any]:
        return gate.run(runtime.context, desk=DESK, tool=name, args=args, compute=compute, books=books,
                        pairs=pairs, run_meta=_run_meta(runtime))

    @tool("get_net_open_position", args_schema=a.NetOpenPositionArgs)
    def get_net_open_position(book: str | None = None, pair: str | None = None, currency: str | None = None, *,
                              runtime: ToolRuntime[Context]) -> dict:
        """Net open position (open trades only) per book and currency, in units and USD at the as-of close.

        `currencies` rows: book, currency, position (units, + long / - short), usd_equivalent.
        `pairs` rows: book, pair, net_base, net_quote, average_rate, close, base_usd_equivalent,
        unrealised_pnl_usd, open_trades. `books`: gross and net USD per book (USD itself excluded).
        """
        return call(runtime, "get_net_open_position", {"book": book, "pair": pair, "currency": currency},
                    lambda scope: _nop(engine, scope, gate.universe(), pair, currency), books=[book], pairs=[pair])

    @tool("get_pnl", args_schema=a.PnlArgs)
    def get_pnl(book: str | None = None, pair: str | None = None, window: str = "today", *,
                runtime: ToolRuntime[Context]) -> dict:
        """P&L in USD over a window (change in USD value), by book and pair, as price effect + FX translation.

        P&L = change in USD value from the close before the window to the window's last close,
        explained per pair as price_effect_usd + fx_translation_usd; forwards are marked at the
        forward rate for their value date, discounted. realised_usd = entry-to-exit P&L (USD at the
        exit close) of trades closed in the window. 'today' is the day P&L.
        """
        return call(runtime, "get_pnl", {"book": book, "pair": pair, "window": window},
                    lambda scope: _pnl(engine, scope, gate.universe(), pair, window), books=[book], pairs=[pair])

    @tool("get_var", args_schema=a.VarArgs)
    def get_var(book: str | None = None, method: str = "both", *, runtime: ToolRuntime[Context]) -> dict:
        """1-day 99% value at risk in USD, per book and for the whole scope, with the currency exposures used.

        parametric: EWMA covariance (lambda 0.94) of daily log returns of each currency's USD value,
        z = 2.326. historical: today's exposures revalued over the last 250 daily returns, 1% quantile
        (convention in `historical_quantile`). Exposures are FX deltas (forwards discounted, with points).
        """
        return call(runtime, "get_var", {"book": book, "method": method},
                    lambda scope: _var(engine, scope, method, conv.var_quantile), books=[book])

    @tool("get_limit_utilisation", args_schema=a.LimitUtilisationArgs)
    def get_limit_utilisation(book: str | None = None, *, runtime: ToolRuntime[Context]) -> dict:
        """Limit utilisation per book: |NOP in USD| / NOP limit per currency, and parametric VaR / VaR limit.

        A limit is the book's: utilisation uses the whole book's position (every customer), whoever
        asks; only book-level figures are returned. status is breach (> 100%), warning (>= 90%),
        ok, or no_limit.
        """
        return call(runtime, "get_limit_utilisation", {"book": book},
                    lambda scope: _limits(engine, scope), books=[book])

    @tool("what_if_trade", args_schema=a.WhatIfTradeArgs)
    def what_if_trade(pair: str, side: str, notional: float, book: str | None = None, rate: float | None = None,
                      *, runtime: ToolRuntime[Context]) -> dict:
        """Show what a hypothetical trade would do: exposures, VaR and limit headroom before and after.

        Nothing is booked. Use for "what if I buy/sell X of PAIR" or "would this trade breach my limit".
        Before/after figures are the whole book's (a limit is the book's), whoever asks.
        """
        args = {"pair": pair, "side": side, "notional": notional, "book": book, "rate": rate}
        return call(runtime, "what_if_trade", args,
                    lambda scope: _what_if(engine, scope, gate.universe(), pair, side, notional, book, rate,
                                                     conv.var_quantile),
                    books=[book], pairs=[pair])

    @tool("get_rate_history", args_schema=a.RateHistoryArgs)
    def get_rate_history(pair: str, window: str = "last 3 months", *, runtime: ToolRuntime[Context]) -> dict:
        """Daily open / high / low / close of one pair over a window (business days, oldest first).

        Use for "show me the chart of cable" or "where has EURUSD traded this month". `candles`
        rows: day, open, high, low, close. Scoped by the book that trades the pair.
        """
        return call(runtime, "get_rate_history", {"pair": pair, "window": window},
                    lambda scope: _rate_history(engine, scope, gate.universe(), pair, window), pairs=[pair])

    @tool("get_var_backtest", args_schema=a.VarBacktestArgs)
    def get_var_backtest(book: str | None = None, method: str = "parametric", *,
                         runtime: ToolRuntime[Context]) -> dict:
        """Backtest the 1-day 99% VaR: count the days whose P&L lost more than the previous close's VaR.

        Over the last 250 business days: exceptions (P&L < -VaR), the expected number (1%), the
        Basel traffic-light zone (green 0-4, yellow 5-9, red 10+), each exception day with its P&L
        and VaR, and the worst day. Use for "how good is our VaR", "VaR backtest", "exceptions".
        """
        return call(runtime, "get_var_backtest", {"book": book, "method": method},
                    lambda scope: _backtest(engine, scope, method, conv), books=[book])

    return [get_net_open_position, get_pnl, get_var, get_limit_utilisation, what_if_trade, get_rate_history,
            get_var_backtest, *build_schedule_tools(gate, schedules or SchedulerSlot(), DESK)]


# -- computations ------------------------------------------------------------------------------
def _nop(engine: Engine, scope: Scope, universe: PairUniverse, pair: str | None,
         currency: str | None) -> dict[str, Any]:
    code = normalise_pair(pair, universe) if pair else None
    ccy = normalise_currency(currency, universe) if currency else None
    day = _desk_day(engine, scope.as_of)
    lots = _lots(engine, scope, day, [code] if code else None)
    report = calc.nop_report(lots, rates_q.market(engine, [day]), day, universe.decimals(), currency=ccy)
    return {"as_of": day.isoformat(), "scope": _scope(scope), "pair": code, "currency": ccy, **report}


def _pnl(engine: Engine, scope: Scope, universe: PairUniverse, pair: str | None, window: str) -> dict[str, Any]:
    code = normalise_pair(pair, universe) if pair else None
    win = resolve_window(window, scope.as_of)
    days = rates_q.rate_days(engine, until=win.end, since=win.start)
    if not days:
        raise ToolInputError("no_business_day", f"The window {win.label!r} ({win.start}..{win.end}) has no "
                                                "business day with closing rates.")
    end = days[-1]
    previous = rates_q.previous_rate_day(engine, win.start)
    trades = trades_q.live_trades(engine, scope.books, scope.customers, until=end, live_after=previous,
                                  pairs=[code] if code else None)
    market = rates_q.market(engine, [d for d in (previous, *days) if d])
    report = calc.pnl_report(trades, market, previous, end)
    return {"as_of": scope.as_of.isoformat(), "scope": _scope(scope), "pair": code,
            "window": {"label": win.label, "start": win.start.isoformat(), "end": end.isoformat()},
            "previous_close": previous.isoformat() if previous else None, **report}


def _var(engine: Engine, scope: Scope, method: str, quantile: str) -> dict[str, Any]:
    day = _desk_day(engine, scope.as_of)
    days = rates_q.rate_days(engine, until=day, count=var.HISTORY + 1)
    market = _var_market(engine, days)
    exposures = calc.usd_exposures(_lots(engine, scope, day), market, day)
    result = var.var_by_group(exposures, market, days, method, quantile)
    rows = [{"book": book, **_var_fields(values)} for book, values in sorted(result.items()) if book != "*"]
    return {"as_of": day.isoformat(), "scope": _scope(scope), "method": method, "confidence_pct": 99.0,
            "horizon_days": 1, "ewma_lambda": var.LAMBDA, "returns_used": len(days) - 1,
            "historical_quantile": {"convention": quantile, "rule": var.QUANTILE_DESCRIPTIONS[quantile]},
            "by_book": rows,
            "total": _var_fields(result["*"]), "exposures": _exposure_rows(exposures)}


def _limits(engine: Engine, scope: Scope) -> dict[str, Any]:
    day = _desk_day(engine, scope.as_of)
    days = rates_q.rate_days(engine, until=day, count=var.HISTORY + 1)
    market = _var_market(engine, days)
    exposures = calc.usd_exposures(_book_lots(engine, scope.books, day), market, day)
    var_by_book = {b: v["parametric"] for b, v in var.var_by_group(exposures, market, days, "parametric").items()
                   if b != "*"}
    var_by_book = {book: var_by_book.get(book, 0.0) for book in scope.books}
    nop_rows = lim.nop_utilisation(exposures, limits_q.nop_limits(engine, scope.books), scope.books)
    var_rows = lim.var_utilisation(var_by_book, limits_q.var_limits(engine, scope.books))
    return {"as_of": day.isoformat(), "scope": _scope(scope), "basis": BOOK_BASIS, "nop": nop_rows, "var": var_rows,
            "breaches": sum(r["status"] == "breach" for r in nop_rows + var_rows),
            "warnings": sum(r["status"] == "warning" for r in nop_rows + var_rows)}


def _what_if(engine: Engine, scope: Scope, universe: PairUniverse, pair: str, side: str, notional: float,
             book: str | None, rate: float | None, quantile: str) -> dict[str, Any]:
    code = normalise_pair(pair, universe)
    calc.validate_notional(notional)
    info = universe.get(code)
    target = (book or info.book).strip().upper()
    if target != info.book:
        raise ToolInputError("wrong_book", f"{code} is traded in {info.book}, not {target}; omit book or use "
                                           f"{info.book}.")
    day = _desk_day(engine, scope.as_of)
    days = rates_q.rate_days(engine, until=day, count=var.HISTORY + 1)
    market = _var_market(engine, days)
    deal_rate = float(rate) if rate is not None else market.close(code, day)
    if deal_rate <= 0:
        raise ToolInputError("bad_rate", f"The rate {rate!r} must be positive.")
    new = calc.hypothetical_trade(code, side, notional, deal_rate, target, day)
    held = _book_lots(engine, [target], day)
    before = calc.usd_exposures(held, market, day)
    after = calc.usd_exposures([*held, *calc.lots_of([new], day)], market, day)
    var_before = var.var_by_group(before, market, days, convention=quantile)["*"]
    var_after = var.var_by_group(after, market, days, convention=quantile)["*"]
    nop_limits = limits_q.nop_limits(engine, [target])
    var_limit = limits_q.var_limits(engine, [target]).get(target)
    legs = [{"currency": ccy, "amount": calc.money(amount), "usd_equivalent": calc.money(amount * market.usd(ccy, day))}
            for ccy, amount in new.spot_legs()]
    nop_rows = []
    for ccy in (code[:3], code[3:]):
        if ccy == "USD":
            continue
        limit = nop_limits.get((target, ccy))
        b, a_ = before.get((target, ccy), 0.0), after.get((target, ccy), 0.0)
        nop_rows.append({"book": target, "currency": ccy, "nop_before_usd": calc.money(b),
                         "nop_after_usd": calc.money(a_), "limit_usd": None if limit is None else calc.money(limit),
                         **lim.before_after(b, a_, limit)})
    return {
        "as_of": day.isoformat(), "scope": _scope(scope), "basis": BOOK_BASIS,
        "trade": {"book": target, "pair": code, "side": side.lower(), "notional": calc.money(new.notional),
                  "rate": round(deal_rate, info.decimals), "close": round(market.close(code, day), info.decimals),
                  "mtm_at_close_usd": calc.money(calc.trade_value(new, market, day) * market.usd(code[3:], day)),
                  "legs": legs},
        "nop": nop_rows,
        "var": {"book": target, "limit_usd": calc.money(var_limit) if var_limit else None,
                "parametric_before_usd": calc.money(var_before["parametric"]),
                "parametric_after_usd": calc.money(var_after["parametric"]),
                "historical_before_usd": calc.money(var_before["historical"]),
                "historical_after_usd": calc.money(var_after["historical"]),
                **lim.before_after(var_before["parametric"], var_after["parametric"], var_limit)},
        "breaches_after": [r["currency"] for r in nop_rows if r["status_after"] == "breach"]
        + (["VaR"] if lim.before_after(0, var_after["parametric"], var_limit)["status_after"] == "breach" else []),
    }


def _backtest(engine: Engine, scope: Scope, method: str, conv: RiskConventions) -> dict[str, Any]:
    day = _desk_day(engine, scope.as_of)
    days = rates_q.rate_days(engine, until=day, count=conv.backtest_days + 1 + var.HISTORY)
    compared = days[-(conv.backtest_days + 1):]
    market = Market(rates_q.closes(engine, days), rates_q.forward_points(engine, compared))
    trades = trades_q.live_trades(engine, scope.books, scope.customers, until=day, live_after=compared[0])
    report = backtest.backtest(trades, market, days, conv.backtest_days, method,
                               conv.var_quantile)
    return {"as_of": day.isoformat(), "scope": _scope(scope), "confidence_pct": 99.0, "horizon_days": 1,
            "pnl_basis": "actual day P&L (change in USD value, as get_pnl 'today')",
            "historical_quantile": conv.var_quantile, **report}


def _rate_history(engine: Engine, scope: Scope, universe: PairUniverse, pair: str, window: str) -> dict[str, Any]:
    code = normalise_pair(pair, universe)
    win = resolve_window(window, scope.as_of)
    info = universe.get(code)
    rows = rates_q.ohlc(engine, code, win.start, min(win.end, scope.as_of))
    digits = info.decimals
    candles = [{"day": day.isoformat(), **{k: round(v, digits) for k, v in values.items()}}
               for day, values in sorted(rows.items())]
    return {"as_of": scope.as_of.isoformat(), "scope": _scope(scope), "book": info.book, "pair": code,
            "window": {"label": win.label, "start": win.start.isoformat(), "end": win.end.isoformat()},
            "decimals": digits, "candles": candles}


# -- helpers -----------------------------------------------------------------------------------
def _var_fields(values: dict[str, float]) -> dict[str, float]:
    return {f"{name}_var_usd": calc.money(value) for name, value in values.items()}


def _exposure_rows(exposures: dict[tuple[str, str], float]) -> list[dict[str, Any]]:
    rows = [{"book": b, "currency": c, "usd": calc.money(v)} for (b, c), v in exposures.items()]
    return sorted(rows, key=lambda r: (r["book"], -abs(r["usd"]), r["currency"]))


def _desk_day(engine: Engine, as_of: date) -> date:
    days = rates_q.rate_days(engine, until=as_of, count=1)
    if not days:
        raise ToolInputError("no_rates", f"No closing rates on or before {as_of}.")
    return days[-1]


def _lots(engine: Engine, scope: Scope, day: date, pairs: list[str] | None = None) -> list[Lot]:
    return positions_q.open_lots(engine, scope.books, day=day, customers=scope.customers, pairs=pairs)


def _book_lots(engine: Engine, books: Iterable[str], day: date) -> list[Lot]:
    # A limit is the book's: every customer's position, for book-level aggregates only (never returned as rows).
    return positions_q.open_lots(engine, books, day=day)


def _var_market(engine: Engine, days: list[date]) -> Market:
    """Return the closes of the VaR history and the forward curve of its last day (where exposures are taken)."""
    return Market(rates_q.closes(engine, days), rates_q.forward_points(engine, days[-1:]))


def _scope(scope: Scope) -> dict[str, Any]:
    return {"books": list(scope.books), "customers": len(scope.customers)}


def _run_meta(runtime: ToolRuntime[Context]) -> dict[str, Any]:
    config = getattr(runtime, "config", None) or {}
    return {"thread_id": (config.get("configurable") or {}).get("thread_id"), "run_id": config.get("run_id")}

