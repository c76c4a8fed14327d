"""The four desks (from the desk contract) and the registry that builds each desk's tools over one database."""

from __future__ import annotations

from importlib import import_module
from typing import Literal, cast, get_args

from langchain_core.tools import BaseTool

from data.database import Database
from tools.contract import REGISTRY, ContractError
from tools.position_risk.conventions import RiskConventions
from tools.psychology.thresholds import BehaviourThresholds
from tools.schedules.scheduler import SchedulerSlot
from tools.scope import ScopeGate

# The static type checkers need the names spelt out; the import-time check keeps them equal to the contract.
Desk = Literal["position_risk", "trade_journal", "psychology", "compliance"]
DESKS: tuple[Desk, ...] = cast(tuple[Desk, ...], REGISTRY.desk_names())
if set(get_args(Desk)) != set(DESKS):
    raise ContractError(f"tools.desks.Desk {get_args(Desk)} differs from the desk contract's desks {DESKS}")


def build_desk_tools(db: Database, gate: ScopeGate | None = None, *,
                     thresholds: BehaviourThresholds | None = None,
                     conventions: RiskConventions | None = None,
                     schedules: SchedulerSlot | None = None) -> dict[Desk, list[BaseTool]]:
    """Return every desk's tools, all sharing one scope gate (and so one audit trail).

    Args:
        db: The desk database.
        gate: The scope gate (default: a new one over ``db``).
        thresholds: The psychology desk's behaviour thresholds (default: read from the environment).
        conventions: The risk conventions of position risk and compliance (default: from the environment).
        schedules: Where the report-schedule tools find the server's scheduler (default: an empty slot, so
            they answer that schedules need ``fxdesk serve``).

    """
    gate = gate or ScopeGate(db)
    schedules = schedules or SchedulerSlot()
    tools: dict[Desk, list[BaseTool]] = {}
    for desk in DESKS:
        module = import_module(f"tools.{desk}.tools")
        if desk == "psychology":
            tools[desk] = module.build_tools(gate, thresholds)
        elif desk in ("position_risk", "compliance"):
            tools[desk] = module.build_tools(gate, conventions, schedules)
        else:
            tools[desk] = module.build_tools(gate)
    return tools
