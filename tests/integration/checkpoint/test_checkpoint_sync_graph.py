"""The blocking RedisSaver under a sync graph: turns, interrupt / resume, history, thread copy."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from langchain_core.messages import HumanMessage
from langgraph.types import Command

from checkpoint import RedisSaver

_spec = importlib.util.spec_from_file_location("checkpoint_child", Path(__file__).with_name("checkpoint_child.py"))
_child = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_child)
build = _child.build


def test_sync_graph_continues_interrupts_resumes_and_lists_history(redis_url, redis_prefix):
    with RedisSaver.from_conn_string(redis_url, prefix=redis_prefix, ttl=60) as saver:
        graph = build().compile(checkpointer=saver)
        config = {"configurable": {"thread_id": "sync-1"}}
        graph.invoke({"messages": [HumanMessage("hi")]}, config)
        graph.invoke({"messages": [HumanMessage("approve GBPUSD 2m")]}, config)
        paused = graph.get_state(config)
        assert paused.next == ("reply",)
        assert [i.value for t in paused.tasks for i in t.interrupts] == [{"question": "approve GBPUSD 2m?"}]

        graph.invoke(Command(resume="denied"), config)
        contents = [m.content for m in graph.get_state(config).values["messages"]]
        assert contents == ["hi", "echo hi; history has 1 messages", "audited 2", "approve GBPUSD 2m",
                            "approval was denied; history has 4 messages", "audited 5"]
        history = list(graph.get_state_history(config))
        assert [len(s.values["messages"]) for s in history] == [6, 5, 4, 3, 3, 2, 1, 0]

        saver.copy_thread("sync-1", "sync-copy")
        copy = graph.get_state({"configurable": {"thread_id": "sync-copy"}})
        assert [m.content for m in copy.values["messages"]] == contents

        # Time travel: replay from the checkpoint before the approval turn and branch off.
        before_approval = next(s for s in history if len(s.values["messages"]) == 3 and s.next == ())
        graph.invoke({"messages": [HumanMessage("bye")]}, before_approval.config)
        branched = [m.content for m in graph.get_state(config).values["messages"]]
        assert branched == contents[:3] + ["bye", "echo bye; history has 4 messages", "audited 5"]
