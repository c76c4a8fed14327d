"""One call of every desk tool as a demo user: the round-trip test and the scale benchmark run the same probes."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from data.database import Database
from tests.tool_calls import invoke_tool
from tools.catalog import TOOL_ARGS
from tools.desks import build_desk_tools
from tools.scope import ScopeGate
from tools.users import context_for

# Who asks: the compliance officer sees every book on the risk and compliance desks; the journal and
# psychology desks read the caller's own trades, so a trader asks there.
USER_OF_DESK = {"position_risk": "compliance_omar", "compliance": "compliance_omar",
                "trade_journal": "trader_aruna", "psychology": "trader_aruna"}
ARGS: dict[str, dict[str, Any]] = {
    "get_pnl": {"window": "last 30 days"},
    "get_var": {"method": "both"},
    "what_if_trade": {"pair": "EURUSD", "side": "buy", "notional": 20_000_000},
    "get_rate_history": {"pair": "USDJPY", "window": "last 3 months"},
    "list_journal_entries": {"window": "last 90 days"},
    "get_journal_stats": {"window": "last 90 days", "group_by": "pair"},
    "screen_restricted": {"customer": "Cust999", "pair": "USDRUB"},
    "pre_trade_check": {"pair": "GBPUSD", "side": "sell", "notional": 15_000_000, "customer": "Cust203"},
}
MUTATING = ("add_journal_entry", "update_journal_entry", "log_journal_trade", "check_in_feeling")  # they write
# Report schedules live in the server's crons (issue 15): without `fxdesk serve` they answer a typed error.
NEEDS_SERVER = ("schedule_compliance_report", "schedule_risk_report", "list_scheduled_reports",
                "cancel_scheduled_report")
READ_ONLY = tuple(name for name in TOOL_ARGS if name not in MUTATING + NEEDS_SERVER)


class ToolProbe:
    """Calls the desk tools on one database as the users above."""

    def __init__(self, db: Database):
        self.db = db
        self.tools = {t.name: t for tools in build_desk_tools(db, ScopeGate(db)).values() for t in tools}

    def __call__(self, name: str, **args: Any) -> Any:
        """Invoke one tool with ``args`` (default: `ARGS`) and return its result."""
        desk = TOOL_ARGS[name][0]
        return invoke_tool(self.tools[name], context_for(self.db, USER_OF_DESK[desk]), f"probe-{uuid4().hex}",
                           **{**ARGS.get(name, {}), **args})
