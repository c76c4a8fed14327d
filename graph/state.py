"""The supervisor graph's state: the thread's messages plus this turn's route and desk count."""

from __future__ import annotations

from typing import NotRequired

from langgraph.graph import MessagesState

from tools.desks import Desk


class SupervisorState(MessagesState):
    """Messages (``add_messages``) and the bookkeeping of the current turn.

    Everything a follow-up needs (the previous turn's desks, pairs, windows) is in ``messages``:
    the supervisor's hand-off calls and each desk's tool calls stay in the thread.
    """

    active_desk: NotRequired[Desk | None]   # the desk working now (None between turns)
    route: NotRequired[list[Desk]]          # desks consulted this turn, in order; reset on a new user message
    pending: NotRequired[list[Desk]]        # desks still to run this turn, in order
    skipped: NotRequired[list[Desk]]        # planned desks left out by the per-turn desk limit
    hops: NotRequired[int]                  # desks run this turn (at most Settings.max_desks_per_turn)
