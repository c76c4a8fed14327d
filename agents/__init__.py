"""The desk specialists, each a tool-calling loop compiled as its own graph (one per desk of the contract)."""

from agents.builders import OWN_BUILDERS, build_agent
from agents.compliance import build_compliance_agent
from agents.loop import DeskState, ModelSource, build_desk_agent
from agents.options import AgentOptions
from agents.position_risk import build_position_risk_agent
from agents.psychology import build_psychology_agent
from agents.trade_journal import build_trade_journal_agent

__all__ = [
    "OWN_BUILDERS",
    "AgentOptions",
    "DeskState",
    "ModelSource",
    "build_agent",
    "build_compliance_agent",
    "build_desk_agent",
    "build_position_risk_agent",
    "build_psychology_agent",
    "build_trade_journal_agent",
]
