"""Child process for the checkpoint survival tests: run one graph turn on Redis, print JSON, maybe die.

Usage: python checkpoint_child.py URL PREFIX THREAD ACTION [ARG] [--sigkill]
ACTION: say TEXT (one chat turn), resume VALUE (answer a pending interrupt), history.
With --sigkill the process SIGKILLs itself after printing: no cleanup, no close, no atexit.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys

from langchain_core.messages import AIMessage, HumanMessage
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.types import Command, interrupt

from checkpoint import AsyncRedisSaver


def _reply(state: MessagesState) -> dict:
    last = state["messages"][-1].content
    if last.startswith("approve"):
        answer = interrupt({"question": f"approve {last[8:]}?"})
        return {"messages": [AIMessage(f"approval was {answer}; history has {len(state['messages'])} messages")]}
    return {"messages": [AIMessage(f"echo {last}; history has {len(state['messages'])} messages")]}


def _audit(state: MessagesState) -> dict:
    return {"messages": [AIMessage(f"audited {len(state['messages'])}")]}


def build():
    """Two nodes: reply (may interrupt) then audit."""
    g = StateGraph(MessagesState)
    g.add_node("reply", _reply)
    g.add_node("audit", _audit)
    g.add_edge(START, "reply")
    g.add_edge("reply", "audit")
    g.add_edge("audit", END)
    return g


async def main(url: str, prefix: str, thread: str, action: str, arg: str) -> dict:
    async with AsyncRedisSaver.from_conn_string(url, prefix=prefix) as saver:
        graph = build().compile(checkpointer=saver)
        config = {"configurable": {"thread_id": thread}}
        if action == "say":
            await graph.ainvoke({"messages": [HumanMessage(arg)]}, config)
        elif action == "resume":
            await graph.ainvoke(Command(resume=arg), config)
        state = await graph.aget_state(config)
        history = [s async for s in graph.aget_state_history(config)]
        return {
            "messages": [m.content for m in state.values.get("messages", [])],
            "next": list(state.next),
            "interrupts": [i.value for t in state.tasks for i in t.interrupts],
            "history_steps": [s.metadata.get("step") for s in history],
            "history_sizes": [len(s.values.get("messages", [])) for s in history],
        }


if __name__ == "__main__":
    url, prefix, thread, action = sys.argv[1:5]
    arg = sys.argv[5] if len(sys.argv) > 5 and not sys.argv[5].startswith("--") else ""
    print(json.dumps(asyncio.run(main(url, prefix, thread, action, arg))), flush=True)
    if "--sigkill" in sys.argv:
        os.kill(os.getpid(), signal.SIGKILL)
