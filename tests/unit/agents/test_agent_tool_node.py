"""The desks' tool node runs one call inline and several on one shared executor, never a pool per call (issue 16)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

from agents.tool_node import DeskToolNode, shared_tool_executor


def _run(node: DeskToolNode, message: AIMessage) -> list[ToolMessage]:
    """Run ``node`` as the only node of a graph (it needs LangGraph's runtime) and return its replies."""
    builder = StateGraph(MessagesState)
    builder.add_node("tools", node)
    builder.add_edge(START, "tools")
    builder.add_edge("tools", END)
    return builder.compile().invoke({"messages": [message]})["messages"][1:]


def _node_and_log(kind: type[ToolNode] = DeskToolNode):
    seen: list[tuple[str, int]] = []

    @tool
    def echo(text: str) -> str:
        """Echo ``text``."""
        seen.append((text, threading.get_ident()))
        return text.upper()

    return kind([echo], handle_tool_errors=True), seen


def _calls(*texts: str) -> AIMessage:
    return AIMessage("", tool_calls=[{"name": "echo", "args": {"text": t}, "id": f"c{i}", "type": "tool_call"}
                                     for i, t in enumerate(texts)])


def test_one_tool_call_runs_inline_and_creates_no_executor(monkeypatch):
    created = []
    original = ThreadPoolExecutor.__init__
    monkeypatch.setattr(ThreadPoolExecutor, "__init__",
                        lambda self, *a, **k: (created.append(type(self).__name__), original(self, *a, **k))[1])
    stock, _ = _node_and_log(ToolNode)
    _run(stock, _calls("gbp"))
    with_stock, created[:] = list(created), []
    node, seen = _node_and_log()
    [message] = _run(node, _calls("eur"))
    assert isinstance(message, ToolMessage) and message.content == "EUR" and message.tool_call_id == "c0"
    assert seen == [("eur", threading.get_ident())]  # the graph runs its single task on this thread
    # LangGraph's own run still opens its background executor; the stock node adds one per call, ours none.
    assert len(created) == len(with_stock) - 1


def test_several_tool_calls_share_one_process_executor_and_keep_their_order():
    node, seen = _node_and_log()
    executor = shared_tool_executor()
    first = _run(node, _calls("a", "b", "c"))
    second = _run(node, _calls("d", "e"))
    assert [m.content for m in first] == ["A", "B", "C"]
    assert [m.tool_call_id for m in second] == ["c0", "c1"]
    assert shared_tool_executor() is executor
    workers = {t.ident for t in threading.enumerate() if t.name.startswith("fxdesk-tools")}
    assert {ident for _, ident in seen} <= workers


def test_a_failing_tool_still_answers_its_call_with_an_error_message():
    @tool
    def broken(text: str) -> str:
        """Always fails."""
        raise ValueError("nope")

    node = DeskToolNode([broken], handle_tool_errors=True)
    [message] = _run(node, AIMessage("", tool_calls=[
        {"name": "broken", "args": {"text": "x"}, "id": "c9", "type": "tool_call"}]))
    assert message.tool_call_id == "c9" and message.status == "error" and "nope" in message.content
