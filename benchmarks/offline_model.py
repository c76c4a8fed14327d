"""Microbenchmark of OfflineChatModel.invoke per mode: ``uv run python benchmarks/offline_model.py``.

Prints calls per second for routing, specialist tool
calls, specialist answers (from a realistic NOP result) and compose: through ``invoke`` (with
LangChain's callback and message plumbing) and through the model's own decision function alone.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage  # noqa: E402
from langchain_core.utils.function_calling import convert_to_openai_tool  # noqa: E402

from llm.offline import OfflineChatModel  # noqa: E402
from llm.offline.model import respond  # noqa: E402
from tests.unit.llm.offline import samples  # noqa: E402
from tests.unit.llm.offline.catalog_tools import desk_tools, handoff_tools  # noqa: E402
from tools.contract import offline_tables  # noqa: E402

QUESTIONS = ["What's my EUR/USD exposure today?", "would buying 20m cable breach my limits?",
             "any revenge trading last week?", "late bookings over 2 hours yesterday", "win rate by tag"]


def rate(call, inputs: list, seconds: float = 2.0) -> float:
    """Return calls per second of ``call`` over ``seconds``, cycling through ``inputs``."""
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        call(inputs[count % len(inputs)])
        count += 1
    return count / (time.perf_counter() - start)


def main() -> None:
    model = OfflineChatModel(tables=offline_tables())
    router = model.bind_tools(handoff_tools())
    risk = model.bind_tools(desk_tools("position_risk"))
    call = AIMessage("", tool_calls=[{"name": "get_net_open_position", "args": {"pair": "EURUSD"}, "id": "c1"}])
    answer_input = [HumanMessage(QUESTIONS[0]), call,
                    ToolMessage(json.dumps(samples.NOP), tool_call_id="c1", name="get_net_open_position")]
    compose_input = [HumanMessage(QUESTIONS[1]), AIMessage("What-if answer.", name="position_risk"),
                     AIMessage("Pre-trade answer.", name="compliance")]
    modes = {
        "routing": (router, [[SystemMessage("route"), HumanMessage(q)] for q in QUESTIONS]),
        "specialist (tool call)": (risk, [[HumanMessage(q)] for q in QUESTIONS]),
        "specialist (answer)": (risk, [answer_input]),
        "compose": (model, [compose_input]),
    }
    raw_tools = {
        "routing": [convert_to_openai_tool(t) for t in handoff_tools()],
        "specialist (tool call)": [convert_to_openai_tool(t) for t in desk_tools("position_risk")],
        "specialist (answer)": [convert_to_openai_tool(t) for t in desk_tools("position_risk")],
        "compose": [],
    }
    print(f"{'mode':24s} {'invoke':>14s} {'respond() only':>16s}")
    for name, (runnable, inputs) in modes.items():
        runnable.invoke(inputs[0])
        per_second = rate(runnable.invoke, inputs)
        tools = raw_tools[name]
        raw = rate(lambda messages, tools=tools: respond(messages, tools, model.tables), inputs)
        print(f"{name:24s} {per_second:8.0f} /s ({1000 / per_second:.2f} ms) {raw:8.0f} /s ({1000 / raw:.3f} ms)")


if __name__ == "__main__":
    main()
