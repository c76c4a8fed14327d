"""LangChain tools of the trade-journal desk: the caller's own journal entries and trade statistics.

Each tool hands the model's arguments to `ScopeGate.run` (role grant, scope check, audit) and works
over `data.queries.journal` / `data.queries.own_trades` and the pure maths in
`tools.trade_journal.calc`. Entries and statistics are always the caller's own (``user_id`` from the
runtime context, never from the model). The tool docstrings are prompt text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from langchain_core.tools import BaseTool, tool
from langgraph.prebuilt import ToolRuntime
from sqlalchemy import Engine

from data.queries import journal as jq
from data.queries import own_trades as tq
from data.queries.rates import pair_universe
from tools.context import Context
from tools.errors import NotEntitledError, ToolInputError
from tools.pairs import normalise_pair
from tools.scope import Scope, ScopeGate
from tools.trade_journal import args as a
from tools.trade_journal import calc
from tools.windows import resolve_window

DESK = "trade_journal"


def build_tools(gate: ScopeGate) -> list[BaseTool]:
    """Return the trade-journal desk's tools, in catalogue order, all running through ``gate``."""
    engine = gate.db.engine

    def call(runtime: ToolRuntime[Context], name: str, args: dict[str, Any], compute: Callable[[Scope], Any],
             *, pair: str | None = None) -> dict[str, Any]:
        return gate.run(runtime.context, desk=DESK, tool=name, args=args, compute=compute, pairs=[pair],
                        run_meta=run_meta(runtime))

    @tool("add_journal_entry", args_schema=a.AddJournalEntryArgs)
    def add_journal_entry(trade_id: str | None = None, pair: str | None = None, setup_tags: list[str] | None = None,
                          emotions: list[str] | None = None, notes: str = "", *,
                          runtime: ToolRuntime[Context]) -> dict:
        """Write a journal entry for the user: linked to one of their own trades, or a free-standing note on a pair.

        Setup tags and emotions are stored lower-case without duplicates. Returns the saved `entry`
        with its `entry_id`, `book` (and the trade's `customer` when linked). A trade that is not the
        user's own is refused (not_entitled); an unknown trade id is an error.
        """
        args = {"trade_id": trade_id, "pair": pair, "setup_tags": setup_tags or [], "emotions": emotions or [],
                "notes": notes}
        return call(runtime, "add_journal_entry", args,
                    lambda scope: _add(gate, scope, trade_id, pair, setup_tags, emotions, notes), pair=pair)

    @tool("list_journal_entries", args_schema=a.ListJournalEntriesArgs)
    def list_journal_entries(window: str = "last 30 days", tag: str | None = None, pair: str | None = None,
                             limit: int = 20, *, runtime: ToolRuntime[Context]) -> dict:
        """List the user's own journal entries written in a time window, newest first.

        Filter by setup tag or pair. Each entry gives entry_id, created_at, book, customer (if linked
        to a trade), trade_id, pair, setup_tags, emotions and notes.
        """
        args = {"window": window, "tag": tag, "pair": pair, "limit": limit}
        return call(runtime, "list_journal_entries", args,
                    lambda scope: _list(engine, scope, window, tag, pair, limit), pair=pair)

    @tool("update_journal_entry", args_schema=a.UpdateJournalEntryArgs)
    def update_journal_entry(entry_id: int, setup_tags: list[str] | None = None, emotions: list[str] | None = None,
                             notes: str | None = None, *, runtime: ToolRuntime[Context]) -> dict:
        """Change the setup tags, emotions or note text of one of the user's own journal entries.

        Only the fields given are replaced. Returns the updated `entry`. Another user's entry is
        refused (not_entitled); an unknown entry id is an error.
        """
        args = {"entry_id": entry_id, "setup_tags": setup_tags, "emotions": emotions, "notes": notes}
        return call(runtime, "update_journal_entry", args,
                    lambda scope: _update(engine, scope, entry_id, setup_tags, emotions, notes))

    @tool("get_journal_stats", args_schema=a.JournalStatsArgs)
    def get_journal_stats(window: str = "last 90 days", group_by: str = "none", pair: str | None = None, *,
                          runtime: ToolRuntime[Context]) -> dict:
        """Win/loss statistics of the user's own trades closed in a time window, optionally by setup tag or pair.

        `stats` gives trades, wins, losses, win_rate_pct, avg_win_usd, avg_loss_usd, expectancy_usd
        (win rate × average win − loss rate × |average loss|, USD per trade), profit_factor (gross
        win / |gross loss|, null when there were no losses), longest win and loss streaks and
        total_pnl_usd. Realised P&L of a closed trade = side × notional × (exit rate − rate),
        converted to USD at the exit day's rate; open trades are not counted. With group_by=tag,
        trades are grouped by the tags of their journal entries ("untagged" when none); a trade
        with two tags is counted in both groups.
        """
        args = {"window": window, "group_by": group_by, "pair": pair}
        return call(runtime, "get_journal_stats", args,
                    lambda scope: _stats(engine, scope, window, group_by, pair), pair=pair)

    from tools.trade_journal.record_tools import build_record_tools  # imports this module's helpers

    return [add_journal_entry, list_journal_entries, update_journal_entry, get_journal_stats,
            *build_record_tools(gate)]


# -- computations (run inside the gate) --------------------------------------------------------------

def _add(gate: ScopeGate, scope: Scope, trade_id: str | None, pair: str | None, setup_tags: list[str] | None,
         emotions: list[str] | None, notes: str) -> dict[str, Any]:
    engine = gate.db.engine
    tags, feelings, notes = calc.normalise_labels(setup_tags), calc.normalise_labels(emotions), (notes or "").strip()
    if not (tags or feelings or notes):
        raise ToolInputError("empty_entry", "A journal entry needs notes, setup tags or emotions.")
    pair = normalise_pair(pair, pair_universe(engine)) if pair else None
    book = None
    if trade_id:
        trade = _own_trade(engine, scope, trade_id)
        if pair and pair != trade["pair"]:
            raise ToolInputError("pair_mismatch", f"Trade {trade['trade_id']} is {trade['pair']}, not {pair}.")
        trade_id, pair, book = trade["trade_id"], trade["pair"], trade["book"]
    elif pair:
        book = gate.pair_books()[pair]
    elif scope.books:
        book = scope.books[0]
    entry = jq.insert_entry(engine, user_id=scope.user_id, book=book, trade_id=trade_id, pair=pair, setup_tags=tags,
                            emotions=feelings, notes=notes, at=desk_now(scope.as_of))
    return {"as_of": scope.as_of, "scope": _scope(scope), "entry": entry}


def _own_trade(engine: Engine, scope: Scope, trade_id: str) -> dict[str, Any]:
    code = trade_id.strip().upper()
    trade = tq.trade_by_id(engine, code)
    if trade is None and (padded := normalise_trade_id(code)) != code:
        code, trade = padded, tq.trade_by_id(engine, padded)
    if trade is None:
        raise ToolInputError("unknown_trade", f"There is no trade {trade_id!r}. Trade ids look like T004211.")
    if trade["trader"] != scope.user_id or not scope.allows(trade["book"], trade["customer"]):
        raise NotEntitledError(f"Not entitled: trade {code} is not one of {scope.user_id}'s own trades in scope. "
                               "No data was returned.", {"trade_id": code})
    return trade


def _list(engine: Engine, scope: Scope, window: str, tag: str | None, pair: str | None,
          limit: int) -> dict[str, Any]:
    win = resolve_window(window, scope.as_of, default="last 30 days")
    tag_key = (calc.normalise_labels([tag]) or [None])[0] if tag else None
    pair = normalise_pair(pair, pair_universe(engine)) if pair else None
    rows = jq.list_entries(engine, user_id=scope.user_id, books=scope.books, customers=scope.customers,
                           start=win.start, end=win.end, tag=tag_key, pair=pair, limit=limit)
    return {"as_of": scope.as_of, "window": win, "scope": _scope(scope), "filters": {"tag": tag_key, "pair": pair},
            "count": len(rows), "entries": rows}


def _update(engine: Engine, scope: Scope, entry_id: int, setup_tags: list[str] | None,
            emotions: list[str] | None, notes: str | None) -> dict[str, Any]:
    entry = jq.get_entry(engine, entry_id)
    if entry is None:
        raise ToolInputError("unknown_entry", f"There is no journal entry {entry_id}.")
    if entry["user_id"] != scope.user_id or (entry["book"] is not None and entry["book"] not in scope.books):
        raise NotEntitledError(f"Not entitled: journal entry {entry_id} is not one of {scope.user_id}'s own "
                               "entries in scope. No data was returned.", {"entry_id": entry_id})
    if setup_tags is None and emotions is None and notes is None:
        raise ToolInputError("nothing_to_update", "Give new setup_tags, emotions or notes to change.")
    updated = jq.update_entry(
        engine, entry_id, at=desk_now(scope.as_of),
        setup_tags=None if setup_tags is None else calc.normalise_labels(setup_tags),
        emotions=None if emotions is None else calc.normalise_labels(emotions),
        notes=None if notes is None else notes.strip(),
    )
    changed = [name for name, value in (("setup_tags", setup_tags), ("emotions", emotions), ("notes", notes))
               if value is not None]
    return {"as_of": scope.as_of, "scope": _scope(scope), "updated_fields": changed, "entry": updated}


def _stats(engine: Engine, scope: Scope, window: str, group_by: str, pair: str | None) -> dict[str, Any]:
    win = resolve_window(window, scope.as_of, default="last 90 days")
    pair = normalise_pair(pair, pair_universe(engine)) if pair else None
    rows = tq.own_trades(engine, user_id=scope.user_id, books=scope.books, customers=scope.customers,
                         start=win.start, end=win.end, by="exit", pair=pair, closed_by=scope.as_of)
    trades = calc.closed_only(to_trades(rows))
    result: dict[str, Any] = {
        "as_of": scope.as_of, "window": win, "scope": _scope(scope), "pair": pair, "group_by": group_by,
        "stats": calc.trade_stats(trades),
        "open_trades_excluded": tq.open_trade_count(engine, user_id=scope.user_id, books=scope.books,
                                                    customers=scope.customers, start=win.start, end=win.end,
                                                    as_of=scope.as_of, pair=pair),
        "best_trade": _trade_row(max(trades, key=lambda t: t.pnl_usd, default=None)),
        "worst_trade": _trade_row(min(trades, key=lambda t: t.pnl_usd, default=None)),
    }
    if group_by == "tag":
        tags = jq.trade_tags(engine, user_id=scope.user_id, trade_ids=[t.trade_id for t in trades])
        groups = calc.group_stats(trades, calc.tag_keys(tags))
    elif group_by == "pair":
        groups = calc.group_stats(trades, lambda t: [t.pair])
    else:
        groups = {}
    if group_by != "none":
        result["groups"] = [{"group": key, **stats.model_dump()} for key, stats in groups.items()]
    return result


# -- helpers ----------------------------------------------------------------------------------------

def run_meta(runtime: ToolRuntime[Context]) -> dict[str, Any]:
    """Return the thread and run ids of the LangGraph run a tool call belongs to (for the audit)."""
    config = runtime.config or {}
    return {"thread_id": (config.get("configurable") or {}).get("thread_id"), "run_id": config.get("run_id")}


def to_trades(rows: list[dict[str, Any]]) -> list[calc.Trade]:
    """Turn own-trade rows into calc trades; a closed trade without an exit-day rate is a typed error."""
    missing = [r["trade_id"] for r in rows if r["exit_time"] is not None and r["quote_usd"] is None]
    if missing:
        raise ToolInputError("missing_rate", f"No closing rate to convert the P&L of {', '.join(missing[:5])} "
                                             "to USD on its exit day; the rates table has a gap.")
    return [calc.Trade.from_row(r) for r in rows]


def desk_now(as_of: date) -> datetime:
    """Return the desk clock: wall-clock UTC time on the desk date, so today's entries fall in today's window."""
    now = datetime.now(UTC).replace(tzinfo=None)
    return now if now.date() == as_of else datetime.combine(as_of, now.time())


def normalise_trade_id(text: str) -> str:
    """Return the canonical trade id: "t4211", "4211" and "T004211" all name T004211."""
    code = text.strip().upper()
    if match := re.fullmatch(r"T?0*(\d{1,6})", code):
        return f"T{int(match[1]):06d}"
    return code


def _scope(scope: Scope) -> dict[str, Any]:
    return {"user_id": scope.user_id, "books": list(scope.books)}


def _trade_row(trade: calc.Trade | None) -> dict[str, Any] | None:
    if trade is None:
        return None
    return {"trade_id": trade.trade_id, "book": trade.book, "customer": trade.customer,
            "pair": trade.pair, "side": trade.side, "notional": trade.notional,
            "exit_time": trade.exit_time, "pnl_usd": round(trade.pnl_usd, 2)}
