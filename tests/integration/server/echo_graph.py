"""A tiny graph served by both `fxdesk serve` and `langgraph dev` in the contract tests.

One node echoes the last user message with the caller's context; a message containing
"approve" makes the node call `interrupt()` first and echo the resume value too, and a message
containing "slow" makes it take 0.6 s (to hold a run in flight), and one containing "explode" makes
the node raise (a run that ends in error).
"""

from __future__ import annotations

import time

from langchain_core.messages import AIMessage
from langgraph.config import get_stream_writer
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from tools.context import Context


class EchoState(MessagesState):
    turns: int


def echo(state: EchoState, runtime: Runtime[Context]) -> dict:
    text = state["messages"][-1].content
    ctx = runtime.context
    suffix = ""
    if "slow" in str(text):
        time.sleep(0.6)
    if "explode" in str(text):
        raise RuntimeError("the echo node exploded on purpose")
    if "approve" in str(text):
        answer = interrupt({"question": f"approve {text}?"})
        suffix = f" [resumed: {answer}]"
    get_stream_writer()({"progress": "echoing"})
    reply = f"echo: {text} (user={ctx.user_id}, books={','.join(ctx.books)}){suffix}"
    return {"messages": [AIMessage(content=reply)], "turns": state.get("turns", 0) + 1}


def build() -> StateGraph:
    builder = StateGraph(EchoState, context_schema=Context)
    builder.add_node("echo", echo)
    builder.add_edge(START, "echo")
    builder.add_edge("echo", END)
    return builder


graph = build().compile()
