"""Issue 17 skills in the offline model: each new tool's phrasing file is read by the desk and picks that tool.

The files (`tools/<desk>/phrasings/<tool>.txt`, CONTRACTS §3) were written with these rules in view,
so this is a regression floor, not a held-out accuracy: at least 90 % of each file's phrasings route
to the tool's desk and call exactly that tool.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from llm.offline import OfflineChatModel
from tests.unit.llm.offline.catalog_tools import DESKS, desk_tools, handoff_tools
from tools.contract import offline_tables

ROOT = Path(__file__).resolve().parents[4]
SKILLS = {"get_tilt_check": "psychology", "check_in_feeling": "psychology", "get_discipline_report": "psychology",
          "log_journal_trade": "trade_journal", "get_journal_breakdown": "trade_journal"}
MODEL = OfflineChatModel(tables=offline_tables())
ROUTER = MODEL.bind_tools(handoff_tools())
SPECIALISTS = {desk: MODEL.bind_tools(desk_tools(desk)) for desk in DESKS}


def phrasings(tool: str) -> list[str]:
    path = ROOT / "tools" / SKILLS[tool] / "phrasings" / f"{tool}.txt"
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


@pytest.mark.parametrize("tool", sorted(SKILLS))
def test_each_new_tool_has_at_least_twenty_phrasings(tool):
    assert len(phrasings(tool)) >= 20


@pytest.mark.parametrize("tool", sorted(SKILLS))
def test_offline_model_routes_and_calls_the_new_tool_for_its_phrasings(tool):
    desk = SKILLS[tool]
    lines = phrasings(tool)
    routed = picked = 0
    for line in lines:
        hand_offs = ROUTER.invoke([SystemMessage("route"), HumanMessage(line)]).tool_calls
        routed += f"transfer_to_{desk}" in [c["name"] for c in hand_offs]
        calls = SPECIALISTS[desk].invoke([SystemMessage("desk"), HumanMessage(line)]).tool_calls
        picked += [c["name"] for c in calls] == [tool]
    assert routed >= 0.9 * len(lines), f"{routed}/{len(lines)} routed to {desk}"
    assert picked >= 0.9 * len(lines), f"{picked}/{len(lines)} called {tool}"
