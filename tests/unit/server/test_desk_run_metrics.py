"""ObservedGraph counts each run by route and outcome, and tool calls by decision, from the stream alone."""

from __future__ import annotations

import asyncio

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from server.metrics import Metrics
from server.run_metrics import ObservedGraph, tool_decision


class _Streaming:
    """A stand-in compiled graph that replays fixed ``(mode, chunk)`` items (what astream yields)."""

    checkpointer = "saver"

    def __init__(self, items, fail: Exception | None = None):
        self.items, self.fail = items, fail

    async def astream(self, input, config=None, **kwargs):
        for item in self.items:
            await asyncio.sleep(0)
            yield item
        if self.fail:
            raise self.fail


def _values(route, *messages):
    return ("values", {"messages": list(messages), "route": route})


def _value(metrics: Metrics, name: str, **labels) -> float:
    return metrics.registry.get_sample_value(name, labels) or 0.0


TURN = [HumanMessage("old"), AIMessage("", name="position_risk", tool_calls=[
    {"name": "get_var", "args": {}, "id": "c0", "type": "tool_call"}]),
    ToolMessage('{"status": "ok"}', tool_call_id="c0"),
    HumanMessage("q"), AIMessage("", name="position_risk", tool_calls=[
        {"name": "get_net_open_position", "args": {"book": "FX-EM"}, "id": "c1", "type": "tool_call"},
        {"name": "get_pnl", "args": {}, "id": "c2", "type": "tool_call"}]),
    ToolMessage('{"status": "not_entitled"}', tool_call_id="c1"), ToolMessage('{"status": "ok"}', tool_call_id="c2"),
    AIMessage("done", name="position_risk")]


async def _drain(graph, **kwargs):
    return [item async for item in graph.astream({"messages": []}, {}, **kwargs)]


async def test_a_finished_run_counts_its_route_and_only_this_turns_tool_calls():
    metrics = Metrics()
    stream = [_values([], HumanMessage("q")), ("updates", {}), _values(["position_risk"], *TURN)]
    graph = ObservedGraph(_Streaming(stream), metrics)
    items = await _drain(graph)
    assert len(items) == 3 and graph.checkpointer == "saver"  # stream and attributes pass through unchanged
    assert _value(metrics, "fxdesk_runs_total", route="position_risk", outcome="success") == 1
    assert _value(metrics, "fxdesk_tool_calls_total", tool="get_net_open_position", decision="denied") == 1
    assert _value(metrics, "fxdesk_tool_calls_total", tool="get_pnl", decision="allowed") == 1
    assert _value(metrics, "fxdesk_tool_calls_total", tool="get_var", decision="allowed") == 0


async def test_a_paused_run_is_interrupted_and_a_failing_one_is_an_error():
    metrics = Metrics()
    paused = [_values(["compliance"], *TURN), ("values", {"__interrupt__": ("?",)})]
    await _drain(ObservedGraph(_Streaming(paused), metrics))
    assert _value(metrics, "fxdesk_runs_total", route="compliance", outcome="interrupted") == 1
    assert _value(metrics, "fxdesk_tool_calls_total", tool="get_pnl", decision="allowed") == 0
    with pytest.raises(RuntimeError):
        await _drain(ObservedGraph(_Streaming([], fail=RuntimeError("boom")), metrics))
    assert _value(metrics, "fxdesk_runs_total", route="supervisor", outcome="error") == 1


async def test_subgraph_values_do_not_replace_the_parent_turn():
    metrics = Metrics()
    items = [((), "values", {"messages": TURN, "route": ["position_risk"]}),
             (("position_risk:1",), "values", {"messages": [HumanMessage("inner")], "route": ["x"]})]
    await _drain(ObservedGraph(_Streaming(items), metrics), subgraphs=True)
    assert _value(metrics, "fxdesk_runs_total", route="position_risk", outcome="success") == 1


@pytest.mark.parametrize("result, decision", [({"status": "ok"}, "allowed"), ({"status": "not_entitled"}, "denied"),
                                              ({"status": "error"}, "error"), ("text", "error"), (None, "error")])
def test_tool_decision_follows_the_result_status(result, decision):
    assert tool_decision(result) == decision
