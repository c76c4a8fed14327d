"""Request bodies of the LangGraph API, as `langgraph-sdk` sends them; unknown fields are ignored.

Every body refuses (422, naming the field) a value JSON cannot store, and run bodies refuse
messages the graph cannot read (issue 12).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from server.ids import SafeId
from server.runs.input_check import check_graph_input, unstorable

MultitaskStrategy = Literal["reject", "enqueue", "interrupt", "rollback"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="after")
    def _storable(self):
        for name in type(self).model_fields:
            if (problem := unstorable(getattr(self, name), name)) is not None:
                raise ValueError(problem)
        return self


class RunCreate(_Body):
    """Body of every run-creating endpoint (stateful, stateless, wait, stream, background)."""

    assistant_id: SafeId
    input: Any = None
    command: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    config: dict[str, Any] | None = None
    context: dict[str, Any] | None = None
    checkpoint_id: str | None = None
    checkpoint: dict[str, Any] | None = None
    stream_mode: list[str] | str | None = None
    stream_subgraphs: bool = False
    stream_resumable: bool = False
    webhook: str | None = None
    interrupt_before: list[str] | Literal["*"] | None = None
    interrupt_after: list[str] | Literal["*"] | None = None
    multitask_strategy: MultitaskStrategy | None = None
    if_not_exists: Literal["create", "reject"] | None = None
    on_disconnect: Literal["cancel", "continue"] | None = None
    durability: Literal["sync", "async", "exit"] | None = None
    checkpoint_during: bool | None = None

    @model_validator(mode="after")
    def _readable_messages(self):
        check_graph_input(self.input, "input")
        if isinstance(self.command, dict):
            check_graph_input(self.command.get("update"), "command.update")
            goto = self.command.get("goto")
            targets = goto if isinstance(goto, list) else [goto]
            if goto is not None and not all(isinstance(t, str) for t in targets):
                raise ValueError("command.goto: must be a node name or a list of node names")
        limit = (self.config or {}).get("recursion_limit")
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
            raise ValueError("config.recursion_limit: must be a whole number of at least 1")
        return self

    def modes(self) -> list[str]:
        """Return the requested stream modes as a list (default ``values``)."""
        if not self.stream_mode:
            return ["values"]
        return [self.stream_mode] if isinstance(self.stream_mode, str) else list(self.stream_mode)


class ThreadCreate(_Body):
    """Body of ``POST /threads``."""

    thread_id: SafeId | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    if_exists: Literal["raise", "do_nothing"] | None = None


class ThreadPatch(_Body):
    """Body of ``PATCH /threads/{thread_id}``."""

    metadata: dict[str, Any] = Field(default_factory=dict)


class ThreadSearch(_Body):
    """Body of ``POST /threads/search``."""

    metadata: dict[str, Any] | None = None
    values: dict[str, Any] | None = None
    status: str | None = None
    ids: list[str] | None = None
    limit: int = Field(10, ge=1, le=1000)
    offset: int = Field(0, ge=0)
    sort_by: str | None = None
    sort_order: Literal["asc", "desc"] | None = None


class StateUpdate(_Body):
    """Body of ``POST /threads/{thread_id}/state``."""

    values: dict[str, Any] | list[dict[str, Any]] | None = None
    as_node: str | None = None
    checkpoint_id: str | None = None
    checkpoint: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _readable_messages(self):
        check_graph_input(self.values, "values")
        return self


class HistoryQuery(_Body):
    """Body of ``POST /threads/{thread_id}/history``."""

    limit: int = Field(10, ge=1, le=1000)
    before: dict[str, Any] | str | None = None
    metadata: dict[str, Any] | None = None
    checkpoint: dict[str, Any] | None = None


class CheckpointQuery(_Body):
    """Body of ``POST /threads/{thread_id}/state/checkpoint``."""

    checkpoint: dict[str, Any]
    subgraphs: bool = False


class AssistantSearch(_Body):
    """Body of ``POST /assistants/search``."""

    graph_id: str | None = None
    name: str | None = None
    metadata: dict[str, Any] | None = None
    limit: int = Field(10, ge=1, le=1000)
    offset: int = Field(0, ge=0)
