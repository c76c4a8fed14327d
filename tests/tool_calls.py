"""Calling a desk tool the way the agents do (a `ToolRuntime` with the caller's context), and reading its result."""

from __future__ import annotations

from typing import Any

from langgraph.prebuilt import ToolRuntime

from tools.context import Context


def invoke_tool(tool: Any, context: Context | None, thread_id: str = "tests", **args: Any) -> dict[str, Any]:
    """Invoke ``tool`` with ``args`` for the caller ``context`` on thread ``thread_id``; return its result."""
    runtime = ToolRuntime(state={}, context=context, config={"configurable": {"thread_id": thread_id}},
                          stream_writer=lambda _chunk: None, tool_call_id="call-1", store=None)
    return tool.invoke({**args, "runtime": runtime})


def trade_ids(value: Any) -> set[str]:
    """Every trade id anywhere in a tool result (``*trade_id`` strings and ``*trade_ids`` lists)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith("trade_ids") and isinstance(item, list):
                found.update(item)
            elif key.endswith("trade_id") and isinstance(item, str):
                found.add(item)
            else:
                found |= trade_ids(item)
    elif isinstance(value, list):
        for item in value:
            found |= trade_ids(item)
    return found
