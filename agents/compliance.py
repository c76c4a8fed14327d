"""The compliance specialist: its tool loop plus a human confirmation step for breached pre-trade checks.

After the tools run, a completed ``pre_trade_check`` result goes to the ``confirm`` node before the
model answers. A ``pass`` (or ``blocked``) verdict is recorded at once. A ``breach`` pauses the run
with `interrupt` carrying the check; the caller resumes with ``Command(resume={"confirm": True})``
(or a plain bool, "yes"/"no"). The decision is written with `record_pre_trade` and added to the
tool result so the model's answer says what happened. The node re-runs from its start on resume,
so nothing is written before the interrupt returns.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import BaseTool
from langgraph.config import get_config
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import get_runtime
from langgraph.types import interrupt

from agents.history import latest_human_index
from agents.loop import DeskState, ModelSource, build_desk_agent
from agents.options import AgentOptions
from data.database import Database
from data.queries.compliance import record_pre_trade
from tools.scope import ScopeGate

DESK = "compliance"
CHECK_TOOL = "pre_trade_check"
_DECISION_LINES = {
    "confirmed": "Decision: **confirmed** despite the breach; recorded in the pre-trade log (check {check_id}).",
    "cancelled": "Decision: **cancelled**; nothing will be booked. Recorded in the pre-trade log (check {check_id}).",
    "recorded": "Recorded in the pre-trade log (check {check_id}).",
}
_YES = {"y", "yes", "true", "confirm", "confirmed", "ok", "go", "proceed", "1"}
_NO = {"n", "no", "false", "cancel", "cancelled", "nope", "stop", "abort", "don't", "dont", "no thanks", "0"}
CONFIRMATION = "pre_trade_confirmation"  # the interrupt's type


def answers_confirmation(message: str) -> bool:
    """Whether a chat message is a yes/no answer to the pending confirmation (else it is a new ask)."""
    word = message.strip().lower().rstrip(".!")
    return word in _YES or word in _NO


def parse_confirmation(value: Any) -> bool:
    """Turn a resume value (``{"confirm": bool}``, a bool or a yes/no word) into a decision; unclear = no."""
    if isinstance(value, dict):
        value = value.get("confirm", value.get("confirmed", False))
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower().rstrip(".!") in _YES
    return False


def pending_check(state: DeskState) -> tuple[ToolMessage, dict[str, Any]] | None:
    """Return the undecided completed pre-trade check of this turn, with its parsed result."""
    messages = state["messages"]
    for message in reversed(messages[latest_human_index(messages) + 1:]):
        if isinstance(message, ToolMessage) and message.name == CHECK_TOOL:
            try:
                result = json.loads(message.content) if isinstance(message.content, str) else None
            except json.JSONDecodeError:
                return None
            if isinstance(result, dict) and result.get("status") == "ok" and "verdict" in result \
                    and "decision" not in result:
                return message, result
            return None
    return None


def route_after_tools(state: DeskState) -> str:
    """Send a fresh pre-trade check to ``confirm``; otherwise back to the model."""
    return "confirm" if pending_check(state) else "model"


def make_confirm_node(db: Database | None):
    """Return the node that asks for confirmation of a breach and records every completed check."""

    def confirm(state: DeskState) -> dict[str, Any]:
        found = pending_check(state)
        if found is None:
            return {}
        message, result = found
        verdict = result["verdict"]
        if verdict == "breach":
            answer = interrupt({
                "type": CONFIRMATION,
                "question": "This trade would breach a limit. Confirm it anyway? Reply yes or no.",
                "check": result,
            })
            decision = "confirmed" if parse_confirmation(answer) else "cancelled"
        else:
            decision = "recorded"
        runtime = get_runtime()
        config = _config()
        user_id = runtime.context.user_id if runtime.context else "<none>"
        check_id = None
        if db is not None:
            check_id = record_pre_trade(db, user_id=user_id, check_result=result, decision=decision,
                                        thread_id=config.get("configurable", {}).get("thread_id"))
        updated = {**result, "decision": decision, "check_id": check_id}
        return {"messages": [ToolMessage(content=json.dumps(updated, default=str), tool_call_id=message.tool_call_id,
                                         name=message.name, id=message.id)]}

    return confirm


def state_decision(messages, answer: AIMessage) -> AIMessage:
    """Make sure the answer after a decided pre-trade check says what was decided and recorded."""
    start = latest_human_index(messages)
    decided = None
    for message in messages[start + 1:]:
        if isinstance(message, ToolMessage) and message.name == CHECK_TOOL:
            try:
                result = json.loads(message.content)
            except (TypeError, json.JSONDecodeError):
                continue
            if isinstance(result, dict) and result.get("decision"):
                decided = result
    if decided is None or not isinstance(answer.content, str):
        return answer
    decision = decided["decision"]
    if re.search(rf"\b{decision}\b", answer.content, re.IGNORECASE):
        return answer
    line = _DECISION_LINES[decision].format(check_id=decided.get("check_id") or "-")
    return answer.model_copy(update={"content": f"{answer.content.rstrip()}\n\n{line}"})


def build_compliance_agent(models: ModelSource, tools: Sequence[BaseTool], options: AgentOptions | None = None,
                           *, db: Database | None = None, gate: ScopeGate | None = None) -> CompiledStateGraph:
    """Build the compliance agent; ``db`` receives the pre-trade decisions (none: nothing is recorded)."""
    return build_desk_agent(DESK, models, tools, options,
                            after_tools=("confirm", make_confirm_node(db), route_after_tools), finish=state_decision,
                            gate=gate)


def _config() -> dict[str, Any]:
    try:
        return get_config()
    except RuntimeError:
        return {}
