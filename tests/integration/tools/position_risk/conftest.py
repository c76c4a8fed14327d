"""Helpers for calling the position-risk tools as a given demo user on the demo database."""

from __future__ import annotations

from uuid import uuid4

import pytest
from langgraph.prebuilt import ToolRuntime

from tools.position_risk.tools import build_tools
from tools.scope import ScopeGate
from tools.users import context_for


class Caller:
    """Invoke a position-risk tool as a user, through the tool's own argument validation."""

    def __init__(self, db):
        self.db = db
        self.tools = {t.name: t for t in build_tools(ScopeGate(db))}

    def __call__(self, user: str, name: str, **args):
        thread_id = f"test-{uuid4().hex}"
        runtime = ToolRuntime(state={}, context=context_for(self.db, user),
                              config={"configurable": {"thread_id": thread_id}, "run_id": None},
                              stream_writer=lambda _chunk: None, tool_call_id="call-1", store=None)
        result = self.tools[name].invoke({**args, "runtime": runtime})
        return result, thread_id


@pytest.fixture(scope="session")
def call_tool(desk_db_any):
    return Caller(desk_db_any)
