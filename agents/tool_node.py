"""The desks' tool node: LangGraph's `ToolNode` without a thread pool created for every call.

The stock ``ToolNode`` opens a fresh ``ContextThreadPoolExecutor`` (and starts its threads) each
time it runs synchronously, even for one tool call: measurable CPU on every desk turn (issue 16).
`DeskToolNode` runs a single call inline and several calls on one executor shared by the process.
The async path (``fxdesk serve``) is the stock one: it already gathers the calls on the event loop.
"""

from __future__ import annotations

import threading
from typing import Any

from langchain_core.messages import AnyMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.runnables.config import ContextThreadPoolExecutor, get_config_list
from langgraph.prebuilt import ToolNode
from langgraph.prebuilt.tool_node import ToolRuntime
from langgraph.runtime import Runtime
from pydantic import BaseModel

MAX_PARALLEL_TOOL_CALLS = 4  # threads of the shared executor (calls of one reply beyond it queue)

_executor: ContextThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def shared_tool_executor() -> ContextThreadPoolExecutor:
    """Return the process's executor for parallel tool calls (created on first use, copies contextvars)."""
    global _executor
    if _executor is None:
        with _executor_lock:
            if _executor is None:
                _executor = ContextThreadPoolExecutor(max_workers=MAX_PARALLEL_TOOL_CALLS,
                                                      thread_name_prefix="fxdesk-tools")
    return _executor


class DeskToolNode(ToolNode):
    """`ToolNode` whose synchronous run uses no per-call pool: one call inline, several on a shared executor."""

    def _func(self, input: list[AnyMessage] | dict[str, Any] | BaseModel, config: RunnableConfig,
              runtime: Runtime) -> Any:
        tool_calls, input_type = self._parse_input(input)
        config_list = get_config_list(config, len(tool_calls))
        tools = list(self.tools_by_name.values())
        tool_runtimes = [
            ToolRuntime(state=self._extract_state(input, cfg), tool_call_id=call["id"], config=cfg,
                        context=runtime.context, store=runtime.store, stream_writer=runtime.stream_writer,
                        tools=tools, execution_info=runtime.execution_info, server_info=runtime.server_info)
            for call, cfg in zip(tool_calls, config_list, strict=False)
        ]
        input_types = [input_type] * len(tool_calls)
        if len(tool_calls) == 1:
            outputs = [self._run_one(tool_calls[0], input_type, tool_runtimes[0])]
        else:
            outputs = list(shared_tool_executor().map(self._run_one, tool_calls, input_types, tool_runtimes))
        return self._combine_tool_outputs(outputs, input_type)
