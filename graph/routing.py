"""Routing decisions of the supervisor, as pure functions: granted desks and the plan for a turn."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from langchain_core.messages import ToolMessage
from langchain_core.messages.tool import ToolCall

from graph.handoff import desk_of
from tools.desks import DESKS, Desk

Grants = Mapping[tuple[str, str], frozenset[str]]


def granted_desks(grants: Grants, role: str, desks: Sequence[str] = DESKS) -> tuple[Desk, ...]:
    """Return the desks ``role`` may use (a ``role_grants`` row with at least one tool), in desk order.

    Args:
        grants: (role, desk) -> granted tools.
        role: The caller's role.
        desks: The graph's desks in contract order (default: the desk contract's).

    """
    return tuple(cast(Desk, desk) for desk in desks if grants.get((role, desk)))


@dataclass
class TurnPlan:
    """What the supervisor's hand-off calls ask for, once checked against the role."""

    desks: list[Desk] = field(default_factory=list)       # to run, in order, no repeats
    refused: list[str] = field(default_factory=list)      # desks asked for but not granted (or unknown)
    replies: list[ToolMessage] = field(default_factory=list)  # one per tool call, keeps the thread valid


def plan_turn(tool_calls: Sequence[ToolCall], granted: Sequence[Desk], role: str,
              desks: Sequence[str] = DESKS) -> TurnPlan:
    """Check each hand-off against the granted desks; an ungranted desk is refused, never scheduled."""
    plan = TurnPlan()
    for call in tool_calls:
        desk = desk_of(call["name"])
        if desk in granted:
            if desk not in plan.desks:
                plan.desks.append(desk)  # type: ignore[arg-type]
            content = f"Transferred to {desk}."
        elif desk in desks:
            plan.refused.append(desk)
            content = f"Refused: the {role} role may not use the {desk} desk. Nothing was run."
        else:
            plan.refused.append(call["name"])
            content = f"Refused: {call['name']} is not a desk hand-off. Nothing was run."
        plan.replies.append(ToolMessage(content=content, tool_call_id=call["id"], name=call["name"]))
    return plan


def refusal_text(role: str, refused: Sequence[str], granted: Sequence[Desk]) -> str:
    """Return the polite refusal for desks the role may not use, naming what it can do."""
    asked = ", ".join(d.replace("_", " ") for d in refused)
    can = ", ".join(d.replace("_", " ") for d in granted) or "nothing on this desk"
    return (f"Sorry, your role ({role}) does not have access to the {asked} desk. "
            f"You can ask me about: {can}.")


def desk_limit_text(max_desks: int, skipped: Sequence[str]) -> str:
    """Return the note naming planned desks left out by the per-turn desk limit ("" when none were)."""
    if not skipped:
        return ""
    left = ", ".join(d.replace("_", " ") for d in skipped)
    return (f"This turn consults at most {max_desks} desk{'s' if max_desks != 1 else ''} "
            f"(FXDESK_MAX_DESKS_PER_TURN); not consulted: {left}. Ask about them separately.")
