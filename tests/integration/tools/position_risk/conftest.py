"""Helpers for calling the position-risk tools as a given demo user on the demo database."""

from __future__ import annotations

from uuid import uuid4

import pytest

from tests.tool_calls import invoke_tool
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
        result = invoke_tool(self.tools[name], context_for(self.db, user), thread_id, **args)
        return result, thread_id


@pytest.fixture(scope="session")
def call_tool(desk_db_any):
    return Caller(desk_db_any)
