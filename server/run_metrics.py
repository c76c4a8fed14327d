"""Run metrics for every graph run the server executes: runs by desk route and outcome, tool calls by decision.

The served graphs are wrapped (`ObservedGraph`) so that each ``astream`` the run executor makes is
observed from the stream itself: the last top-level ``values`` chunk holds the turn's route and
messages (the executor always asks for ``values``), so no extra state read is needed. A turn paused
on a confirmation counts as ``interrupted``; its desk's tool calls are counted when it resumes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import replace
from typing import Any

from agents.history import latest_human_index
from server.metrics import Metrics
from server.runs.registry import GraphRegistry
from server.turns import tool_call_records


class ObservedGraph:
    """A compiled graph whose ``astream`` reports each run to `Metrics`; everything else is the graph's."""

    def __init__(self, graph: Any, metrics: Metrics):
        self._graph = graph
        self._metrics = metrics

    def __getattr__(self, name: str) -> Any:
        return getattr(self._graph, name)

    async def astream(self, input: Any, config: Any = None, **kwargs: Any) -> AsyncIterator[Any]:
        """Stream the graph unchanged and record the run's route, outcome and tool calls when it ends."""
        started = time.perf_counter()
        subgraphs = bool(kwargs.get("subgraphs"))
        values: Mapping[str, Any] | None = None
        interrupted = False
        try:
            async for item in self._graph.astream(input, config, **kwargs):
                ns, mode, chunk = _parts(item, subgraphs)
                if mode == "values" and not ns and isinstance(chunk, Mapping):
                    if "__interrupt__" in chunk:
                        interrupted = True
                    else:
                        values = chunk
                yield item
        except (asyncio.CancelledError, GeneratorExit):
            self._metrics.observe_run(_route(values), "cancelled", time.perf_counter() - started, "run")
            raise
        except Exception:
            self._metrics.observe_run(_route(values), "error", time.perf_counter() - started, "run")
            raise
        outcome = "interrupted" if interrupted else "success"
        self._metrics.observe_run(_route(values), outcome, time.perf_counter() - started, "run")
        if not interrupted:
            observe_tool_calls(self._metrics, _turn_calls(values))


def observed_registry(registry: GraphRegistry, metrics: Metrics) -> GraphRegistry:
    """Return ``registry`` with every graph wrapped in `ObservedGraph`."""
    return GraphRegistry({a.graph_id: replace(a, graph=ObservedGraph(a.graph, metrics)) for a in registry.all()})


def observe_tool_calls(metrics: Metrics, calls: list[dict[str, Any]]) -> None:
    """Count each tool call under its tool and the scope decision its result shows."""
    for call in calls:
        metrics.tool_calls.labels(tool=call["name"], decision=tool_decision(call["result"])).inc()


def tool_decision(result: Any) -> str:
    """Return the scope decision a tool result shows: allowed, denied (not entitled) or error."""
    status = result.get("status") if isinstance(result, dict) else None
    if status == "ok":
        return "allowed"
    return "denied" if status == "not_entitled" else "error"


def _parts(item: Any, subgraphs: bool) -> tuple[tuple, Any, Any]:
    if subgraphs and isinstance(item, tuple) and len(item) == 3:
        return item
    if isinstance(item, tuple) and len(item) == 2:
        return (), item[0], item[1]
    return (), "values", item  # a single stream mode yields bare chunks


def _route(values: Mapping[str, Any] | None) -> list[str]:
    route = (values or {}).get("route")
    return [str(r) for r in route] if isinstance(route, list | tuple) else []


def _turn_calls(values: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    messages = list((values or {}).get("messages") or [])
    if not messages or not hasattr(messages[0], "type"):
        return []  # a graph whose state is not a message list (e.g. a test graph)
    return tool_call_records(messages[latest_human_index(messages) + 1:])
