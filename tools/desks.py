"""The four desks and the registry that builds each desk's tools over one database."""

from __future__ import annotations

from importlib import import_module
from typing import Literal

from langchain_core.tools import BaseTool

from data.database import Database
from tools.scope import ScopeGate

Desk = Literal["position_risk", "trade_journal", "psychology", "compliance"]
DESKS: tuple[Desk, ...] = ("position_risk", "trade_journal", "psychology", "compliance")


def build_desk_tools(db: Database, gate: ScopeGate | None = None) -> dict[Desk, list[BaseTool]]:
    """Return every desk's tools, all sharing one scope gate (and so one audit trail)."""
    gate = gate or ScopeGate(db)
    return {desk: import_module(f"tools.{desk}.tools").build_tools(gate) for desk in DESKS}
