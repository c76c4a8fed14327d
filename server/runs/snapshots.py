"""Graph `StateSnapshot` → the API's ThreadState shape (values, next, tasks with interrupts, checkpoints)."""

from __future__ import annotations

from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.types import Interrupt, StateSnapshot


def checkpoint_of(config: RunnableConfig | None) -> dict[str, Any] | None:
    """Return ``{checkpoint_id, thread_id, checkpoint_ns}`` of a config, or ``None`` if it names none."""
    configurable = (config or {}).get("configurable") or {}
    if not configurable.get("thread_id") or not configurable.get("checkpoint_id"):
        return None
    out = {"checkpoint_id": configurable["checkpoint_id"], "thread_id": configurable["thread_id"]}
    if "checkpoint_ns" in configurable:
        out["checkpoint_ns"] = configurable["checkpoint_ns"] or ""
    if "checkpoint_map" in configurable:
        out["checkpoint_map"] = configurable["checkpoint_map"]
    return out


def interrupt_record(interrupt: Interrupt) -> dict[str, Any]:
    """Return an interrupt as the API shows it in state."""
    return {"id": interrupt.id, "value": interrupt.value}


def thread_state(state: StateSnapshot) -> dict[str, Any]:
    """Return the ThreadState body for a snapshot, recursing into subgraph states."""
    return {
        "values": state.values,
        "next": state.next,
        "tasks": [
            {"id": t.id, "name": t.name, "path": t.path, "error": t.error,
             "interrupts": [interrupt_record(i) for i in t.interrupts],
             "checkpoint": t.state["configurable"] if t.state is not None and not isinstance(t.state, StateSnapshot)
             else None,
             "state": thread_state(t.state) if isinstance(t.state, StateSnapshot) else None,
             "result": getattr(t, "result", None)}
            for t in state.tasks
        ],
        "metadata": state.metadata,
        "created_at": state.created_at,
        "checkpoint": checkpoint_of(state.config),
        "parent_checkpoint": checkpoint_of(state.parent_config),
        "interrupts": [interrupt_record(i) for i in getattr(state, "interrupts", ())],
        "checkpoint_id": (state.config or {}).get("configurable", {}).get("checkpoint_id"),
        "parent_checkpoint_id": (state.parent_config or {}).get("configurable", {}).get("checkpoint_id"),
    }
