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
from data.queries import rates as rates_q
from data.queries import trades as trades_q
from tools.context import Context
from tools.errors import ToolInputError
from tools.pairs import normalise_currency, normalise_pair
from tools.position_risk import args as a
from tools.position_risk import calc, var
from tools.position_risk.calc import Market, Trade
from tools.scope import Scope, ScopeGate
from tools.windows import resolve_window

DESK = "position_risk"


def build_tools(gate: ScopeGate) -> list[BaseTool]:
    """Return the position-risk desk's tools, in catalogue order, all running through ``gate``."""
    engine = gate.db.engine

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
                    lambda scope: _nop(engine, scope, pair, currency), books=[book], pairs=[pair])

    @tool("get_pnl", args_schema=a.PnlArgs)
    def get_pnl(book: str | None = None, pair: str | None = None, window: str = "today", *,
                runtime: ToolRuntime[Context]) -> dict:
        """Mark-to-market P&L in USD over a window, by book and pair, with realised and unrealised parts.

        P&L = value at the window's last close minus value at the close before the window starts;
        new trades are marked from their deal rate, closed trades at their exit rate. 'today' is the
        day P&L: previous close to as-of close.
        """
        return call(runtime, "get_pnl", {"book": book, "pair": pair, "window": window},
                    lambda scope: _pnl(engine, scope, pair, window), books=[book], pairs=[pair])

    @tool("get_var", args_schema=a.VarArgs)
    def get_var(book: str | None = None, method: str = "both", *, runtime: ToolRuntime[Context]) -> dict:
        """1-day 99% value at risk in USD, per book and for the whole scope, with the currency exposures used.

        parametric: EWMA covariance (lambda 0.94) of daily log returns of each currency's USD value,
        z = 2.326. historical: today's exposures revalued over the last 250 daily returns, 1% quantile.
        """
        return call(runtime, "get_var", {"book": book, "method": method},
                    lambda scope: _var(engine, scope, method), books=[book])

    @tool("get_limit_utilisation", args_schema=a.LimitUtilisationArgs)
    def get_limit_utilisation(book: str | None = None, *, runtime: ToolRuntime[Context]) -> dict:
        """Limit utilisation per book: |NOP in USD| / NOP limit per currency, and parametric VaR / VaR limit.

        status is breach (> 100%), warning (>= 90%), ok, or no_limit. Positions are those of the
        caller's entitled customers in each book.
        """
        return call(runtime, "get_limit_utilisation", {"book": book},
                    lambda scope: _limits(engine, scope), books=[book])

    @tool("what_if_trade", args_schema=a.WhatIfTradeArgs)
    def what_if_trade(pair: str, side: str, notional: float, book: str | None = None, rate: float | None = None,
                      *, runtime: ToolRuntime[Context]) -> dict:
        """Show what a hypothetical trade would do: exposures, VaR and limit headroom before and after.

        Nothing is booked. Use for "what if I buy/sell X of PAIR" or "would this trade breach my limit".
        """
        args = {"pair": pair, "side": side, "notional": notional, "book": book, "rate": rate}
        return call(runtime, "what_if_trade", args,
                    lambda scope: _what_if(engine, scope, pair, side, notional, book, rate),
                    books=[book], pairs=[pair])

    @tool("get_rate_history", args_schema=a.RateHistoryArgs)
    def get_rate_history(pair: str, window: str = "last 3 months", *, runtime: ToolRuntime[Context]) -> dict:
        """Daily open / high / low / close of one pair over a window (business days, oldest first).

        Use for "show me the chart of cable" or "where has EURUSD traded this month". `candles`
        rows: day, open, high, low, close. Scoped by the book that trades the pair.
        """
        return call(runtime, "get_rate_history", {"pair": pair, "window": window},
                    lambda scope: _rate_history(engine, scope, pair, window), pairs=[pair])

    return [get_net_open_position, get_pnl, get_var, get_limit_utilisation, what_if_trade, get_rate_history]


# -- computations ------------------------------------------------------------------------------
def _nop(engine: Engine, scope: Scope, pair: str | None, currency: str | None) -> dict[str, Any]:
    code = normalise_pair(pair) if pair else None
    ccy = normalise_currency(currency) if currency else None
    day = _desk_day(engine, scope.as_of)
    trades = _trades(engine, scope, day, [code] if code else None)
    report = calc.nop_report(trades, _market(engine, [day]), day, _decimals(engine), currency=ccy)
    return {"as_of": day.isoformat(), "scope": _scope(scope), "pair": code, "currency": ccy, **report}


def _pnl(engine: Engine, scope: Scope, pair: str | None, window: str) -> dict[str, Any]:
    code = normalise_pair(pair) if pair else None
    win = resolve_window(window, scope.as_of)
    days = rates_q.rate_days(engine, until=win.end, since=win.start)
    if not days:
        raise ToolInputError("no_business_day", f"The window {win.label!r} ({win.start}..{win.end}) has no "
                                                "business day with closing rates.")
    end = days[-1]
    previous = rates_q.previous_rate_day(engine, win.start)
    trades = _trades(engine, scope, end, [code] if code else None)
    report = calc.pnl_report(trades, _market(engine, [d for d in (previous, end) if d]), previous, end)
    return {"as_of": scope.as_of.isoformat(), "scope": _scope(scope), "pair": code,
            "window": {"label": win.label, "start": win.start.isoformat(), "end": end.isoformat()},
            "previous_close": previous.isoformat() if previous else None, **report}


def _var(engine: Engine, scope: Scope, method: str) -> dict[str, Any]:
    day = _desk_day(engine, scope.as_of)
    days = rates_q.rate_days(engine, until=day, count=var.HISTORY + 1)
    market = _market(engine, days)
    exposures = calc.usd_exposures(_trades(engine, scope, day), market, day)
    result = var.var_by_group(exposures, market, days, method)
    rows = [{"book": book, **_var_fields(values)} for book, values in sorted(result.items()) if book != "*"]
    return {"as_of": day.isoformat(), "scope": _scope(scope), "method": method, "confidence_pct": 99.0,
            "horizon_days": 1, "ewma_lambda": var.LAMBDA, "returns_used": len(days) - 1, "by_book": rows,
            "total": _var_fields(result["*"]), "exposures": _exposure_rows(exposures)}


def _limits(engine: Engine, scope: Scope) -> dict[str, Any]:
    day = _desk_day(engine, scope.as_of)
    days = rates_q.rate_days(engine, until=day, count=var.HISTORY + 1)
    market = _market(engine, days)
    exposures = calc.usd_exposures(_trades(engine, scope, day), market, day)
    var_by_book = {b: v["parametric"] for b, v in var.var_by_group(exposures, market, days, "parametric").items()
                   if b != "*"}
    var_by_book = {book: var_by_book.get(book, 0.0) for book in scope.books}
    nop_rows = calc.nop_utilisation(exposures, limits_q.nop_limits(engine, scope.books), scope.books)
    var_rows = calc.var_utilisation(var_by_book, limits_q.var_limits(engine, scope.books))
    return {"as_of": day.isoformat(), "scope": _scope(scope), "nop": nop_rows, "var": var_rows,
            "breaches": sum(r["status"] == "breach" for r in nop_rows + var_rows),
            "warnings": sum(r["status"] == "warning" for r in nop_rows + var_rows)}


def _what_if(engine: Engine, scope: Scope, pair: str, side: str, notional: float, book: str | None,
             rate: float | None) -> dict[str, Any]:
    code = normalise_pair(pair)
    calc.validate_notional(notional)
    info = rates_q.pair_table(engine)[code]
    target = (book or info["book"]).strip().upper()
    if target != info["book"]:
        raise ToolInputError("wrong_book", f"{code} is traded in {info['book']}, not {target}; omit book or use "
                                           f"{info['book']}.")
    day = _desk_day(engine, scope.as_of)
    days = rates_q.rate_days(engine, until=day, count=var.HISTORY + 1)
    market = _market(engine, days)
    deal_rate = float(rate) if rate is not None else market.close(code, day)
    if deal_rate <= 0:
        raise ToolInputError("bad_rate", f"The rate {rate!r} must be positive.")
    new = calc.hypothetical_trade(code, side, notional, deal_rate, target, day)
    before_trades = [t for t in _trades(engine, scope, day) if t.book == target]
    before = calc.usd_exposures(before_trades, market, day)
    after = calc.usd_exposures([*before_trades, new], market, day)
    var_before = var.var_by_group(before, market, days)["*"]
    var_after = var.var_by_group(after, market, days)["*"]
    nop_limits = limits_q.nop_limits(engine, [target])
    var_limit = limits_q.var_limits(engine, [target]).get(target)
    legs = [{"currency": ccy, "amount": calc.money(amount), "usd_equivalent": calc.money(amount * market.usd(ccy, day))}
            for ccy, amount in new.legs()]
    nop_rows = []
    for ccy in (code[:3], code[3:]):
        if ccy == "USD":
            continue
        b, a_ = abs(before.get((target, ccy), 0.0)), abs(after.get((target, ccy), 0.0))
        limit = nop_limits.get((target, ccy))
        nop_rows.append({
            "book": target, "currency": ccy, "nop_before_usd": calc.money(before.get((target, ccy), 0.0)),
            "nop_after_usd": calc.money(after.get((target, ccy), 0.0)),
            "limit_usd": calc.money(limit) if limit else None,
            **_before_after(b, a_, limit),
        })
    return {
        "as_of": day.isoformat(), "scope": _scope(scope),
        "trade": {"book": target, "pair": code, "side": side.lower(), "notional": calc.money(new.notional),
                  "rate": round(deal_rate, info["decimals"]), "close": round(market.close(code, day), info["decimals"]),
                  "mtm_at_close_usd": calc.money(calc.trade_value(new, market, day) * market.usd(code[3:], day)),
                  "legs": legs},
        "nop": nop_rows,
        "var": {"book": target, "limit_usd": calc.money(var_limit) if var_limit else None,
                "parametric_before_usd": calc.money(var_before["parametric"]),
                "parametric_after_usd": calc.money(var_after["parametric"]),
                "historical_before_usd": calc.money(var_before["historical"]),
                "historical_after_usd": calc.money(var_after["historical"]),
                **_before_after(var_before["parametric"], var_after["parametric"], var_limit)},
        "breaches_after": [r["currency"] for r in nop_rows if r["status_after"] == "breach"]
        + (["VaR"] if var_limit and var_after["parametric"] > var_limit else []),
    }


def _rate_history(engine: Engine, scope: Scope, pair: str, window: str) -> dict[str, Any]:
    code = normalise_pair(pair)
    win = resolve_window(window, scope.as_of)
    info = rates_q.pair_table(engine)[code]
    rows = rates_q.ohlc(engine, code, win.start, min(win.end, scope.as_of))
    digits = info["decimals"]
    candles = [{"day": day.isoformat(), **{k: round(v, digits) for k, v in values.items()}}
               for day, values in sorted(rows.items())]
    return {"as_of": scope.as_of.isoformat(), "scope": _scope(scope), "book": info["book"], "pair": code,
            "window": {"label": win.label, "start": win.start.isoformat(), "end": win.end.isoformat()},
            "decimals": digits, "candles": candles}


# -- helpers -----------------------------------------------------------------------------------
def _before_after(before: float, after: float, limit: float | None) -> dict[str, Any]:
    util_before = calc.pct(before, limit) if limit else None
    util_after = calc.pct(after, limit) if limit else None
    return {"utilisation_before_pct": util_before, "utilisation_after_pct": util_after,
            "headroom_before_usd": calc.money(limit - before) if limit else None,
            "headroom_after_usd": calc.money(limit - after) if limit else None,
            "status_after": calc.limit_status(util_after)}


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


def _trades(engine: Engine, scope: Scope, until: date, pairs: list[str] | None = None) -> list[Trade]:
    rows = trades_q.scoped_trades(engine, scope.books, scope.customers, until=until, pairs=pairs)
    return [Trade.from_row(row) for row in rows]


def _market(engine: Engine, days: list[date]) -> Market:
    return Market(rates_q.closes(engine, days))


def _decimals(engine: Engine) -> dict[str, int]:
    return {pair: info["decimals"] for pair, info in rates_q.pair_table(engine).items()}


def _scope(scope: Scope) -> dict[str, Any]:
    return {"books": list(scope.books), "customers": len(scope.customers)}


def _run_meta(runtime: ToolRuntime[Context]) -> dict[str, Any]:
    config = getattr(runtime, "config", None) or {}
    return {"thread_id": (config.get("configurable") or {}).get("thread_id"), "run_id": config.get("run_id")}

