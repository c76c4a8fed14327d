"""LangChain tools of the trade-journal desk for issue 17: log a trade from shorthand, and the journal breakdown.

`log_journal_trade` writes a *journal trade record* (never a booked trade: no position, P&L or limit
sees it). The model may pass typed fields, the trader's shorthand as ``text`` (parsed by
`tools.trade_journal.shorthand`), or both; typed fields win. `get_journal_breakdown` counts the
caller's journal (entries and records) with hit rate and streaks, by tag, emotion or pair. Both run
through `ScopeGate.run` (role grant, scope, audit); the pair's book must be in the caller's scope.
"""

from __future__ import annotations

from typing import Any

from langchain_core.tools import BaseTool, tool
from langgraph.prebuilt import ToolRuntime
from sqlalchemy import Engine

from data.queries import journal_trades as rq
from tools.context import Context
from tools.errors import ToolInputError
from tools.pairs import normalise_pair
from tools.scope import Scope, ScopeGate
from tools.trade_journal import args as a
from tools.trade_journal import calc, records
from tools.trade_journal.results import JournalBreakdownResult, JournalTradeRecord, JournalTradeResult
from tools.trade_journal.shorthand import parse_shorthand
from tools.trade_journal.tools import desk_now, run_meta
from tools.windows import resolve_window

__all__ = ["build_record_tools", "items_in_window"]

DESK = "trade_journal"


def build_record_tools(gate: ScopeGate) -> list[BaseTool]:
    """Return log_journal_trade and get_journal_breakdown, running through ``gate``."""
    engine = gate.db.engine

    @tool("log_journal_trade", args_schema=a.LogJournalTradeArgs)
    def log_journal_trade(text: str | None = None, side: str | None = None, pair: str | None = None,
                          size: float | None = None, entry: float | None = None, stop: float | None = None,
                          target: float | None = None, exit: float | None = None,
                          setup_tags: list[str] | None = None, emotions: list[str] | None = None, notes: str = "",
                          *, runtime: ToolRuntime[Context]) -> dict:
        """Log a trade the user describes in their journal, as a journal trade record: NOT a booked trade.

        Use it for "long 5m cable 1.2710 stop 1.2650 breakout, felt fomo": pass the words as `text`
        and/or the fields (side, pair, size, entry, stop, target, exit, setup_tags, emotions, notes);
        fields given win over the text. Returns the saved `record` with stop distance, risk (size ×
        stop distance, quote currency), reward/risk, and for a finished trade its outcome, result and
        R multiple, plus `warnings` (e.g. a stop on the wrong side).
        """
        written = {"side": side, "pair": pair, "size": size, "entry": entry, "stop": stop, "target": target,
                   "exit": exit}
        args = {"text": text, **written, "setup_tags": setup_tags or [], "emotions": emotions or [], "notes": notes}
        parsed = parse_shorthand(text, gate.universe().codes) if text else None
        fields = {k: v if v is not None or parsed is None else getattr(parsed, k) for k, v in written.items()}
        tags = [*(setup_tags or []), *(parsed.setup_tags if parsed else [])]
        feelings = [*(emotions or []), *(parsed.emotions if parsed else [])]
        note = (notes or (parsed.notes if parsed else "")).strip()
        return gate.run(runtime.context, desk=DESK, tool="log_journal_trade", args=args,
                        compute=lambda scope: _log(gate, scope, fields, tags, feelings, note, text or ""),
                        pairs=[fields["pair"]], run_meta=run_meta(runtime))

    @tool("get_journal_breakdown", args_schema=a.JournalBreakdownArgs)
    def get_journal_breakdown(window: str = "last 90 days", by: str = "tag", *,
                              runtime: ToolRuntime[Context]) -> dict:
        """Count the user's own journal (entries and logged trade records) in a window, with hit rate and streaks.

        Overall and per group (`by`: tag — same as setup —, emotion or pair): how many journaled,
        how many with an outcome (a record with an exit, or an entry on a closed trade), wins, losses,
        hit rate %, current and longest win/loss streaks. Answers "how many did I journal", "hit rate
        by setup", "my streak on breakouts".
        """
        return gate.run(runtime.context, desk=DESK, tool="get_journal_breakdown", args={"window": window, "by": by},
                        compute=lambda scope: _breakdown(engine, scope, window, by), run_meta=run_meta(runtime))

    return [log_journal_trade, get_journal_breakdown]


def _log(gate: ScopeGate, scope: Scope, fields: dict[str, Any], tags: list[str], feelings: list[str], note: str,
         text: str) -> JournalTradeResult:
    if not fields["pair"] or not fields["side"]:
        missing = [k for k in ("side", "pair") if not fields[k]]
        raise ToolInputError("incomplete_trade", f"A journal trade needs a {' and a '.join(missing)}, e.g. "
                                                 "'long 5m cable 1.2710 stop 1.2650'.")
    pair = normalise_pair(fields["pair"], gate.universe())
    side = str(fields["side"]).upper()
    if side not in ("BUY", "SELL"):
        raise ToolInputError("bad_side", f"side must be BUY or SELL, not {fields['side']!r}.")
    figures, warnings = records.record_figures(side, fields["size"], fields["entry"], fields["stop"],
                                               fields["target"], fields["exit"])
    row = rq.insert_record(gate.db.engine, user_id=scope.user_id, book=gate.pair_books()[pair], pair=pair,
                           side=side, size=fields["size"], entry=fields["entry"], stop=fields["stop"],
                           target=fields["target"], exit=fields["exit"], setup_tags=calc.normalise_labels(tags),
                           emotions=calc.normalise_labels(feelings), notes=note, source_text=text,
                           at=desk_now(scope.as_of))
    return JournalTradeResult(as_of=scope.as_of, scope=_scope(scope), record=JournalTradeRecord(**row, **figures),
                              quote_currency=pair[3:], warnings=warnings)


def items_in_window(engine: Engine, scope: Scope, start, end) -> list[records.JournalItem]:
    """Return the caller's journal entries and trade records created from ``start`` to ``end`` as breakdown items.

    An entry linked to a booked trade has an outcome when that trade closed by the desk date (sign of
    side sign × (exit rate − rate), the sign of its realised P&L).
    """
    items = []
    for e in rq.entries_with_trades(engine, user_id=scope.user_id, books=scope.books, customers=scope.customers,
                                    start=start, end=end):
        result = None
        if e["exit_rate"] is not None and e["exit_time"] is not None and e["exit_time"].date() <= scope.as_of:
            result = calc.outcome(calc.side_sign(e["side"]) * (e["exit_rate"] - e["rate"]))
        items.append(records.JournalItem("entry", e["entry_id"], e["created_at"], e["pair"], tuple(e["setup_tags"]),
                                         tuple(e["emotions"]), result, e["book"]))
    for r in rq.list_records(engine, user_id=scope.user_id, books=scope.books, start=start, end=end):
        result = None
        if r["exit"] is not None and r["entry"] is not None:
            result = calc.outcome(calc.side_sign(r["side"]) * (r["exit"] - r["entry"]))
        items.append(records.JournalItem("record", r["record_id"], r["created_at"], r["pair"],
                                         tuple(r["setup_tags"]), tuple(r["emotions"]), result, r["book"]))
    return items


def _breakdown(engine: Engine, scope: Scope, window: str, by: str) -> JournalBreakdownResult:
    win = resolve_window(window, scope.as_of, default="last 90 days")
    items = items_in_window(engine, scope, win.start, win.end)
    return JournalBreakdownResult(as_of=scope.as_of, window=win, scope=_scope(scope), by=by,
                                  totals=records.tally(items), groups=records.breakdown(items, by))


def _scope(scope: Scope) -> dict[str, Any]:
    return {"user_id": scope.user_id, "books": list(scope.books)}
