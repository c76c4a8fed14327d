"""Scripted chat models, fake desk tools and a tiny grants-only database for wiring tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.tools import BaseTool, tool
from sqlalchemy import insert

from data import schema
from data.database import Database
from tools.desks import DESKS


class ScriptedChatModel(BaseChatModel):
    """Replies from a per-agent script, recording what each call saw and which tools were bound."""

    agent: str
    source: Any  # the ScriptedModels holding scripts and the call log (not copied by pydantic)
    bound: list[str] = []

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools, **kwargs):
        names = [t.name if isinstance(t, BaseTool) else t["name"] for t in tools]
        return self.model_copy(update={"bound": names})

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager=None, **kwargs) -> ChatResult:
        self.source.calls.append({"agent": self.agent, "messages": list(messages), "bound": list(self.bound)})
        script = self.source.scripts.setdefault(self.agent, [])
        if not script:
            raise AssertionError(f"script for {self.agent} ran out")
        reply = script.pop(0)
        if callable(reply):
            reply = reply(messages, self.bound)
        reply = reply.model_copy(update={"response_metadata": {
            "model_provider": self.source.provider, "model_name": f"scripted-{self.agent}",
            "fxdesk_fallbacks": list(self.source.fallbacks)}})
        return ChatResult(generations=[ChatGeneration(message=reply)])


class ScriptedModels:
    """A `ModelSource` whose chains replay scripts per agent name."""

    def __init__(self, **scripts: list):
        self.scripts = {agent: list(replies) for agent, replies in scripts.items()}
        self.calls: list[dict] = []
        self.bound: dict[str, list[str]] = {}
        self.provider = "scripted"       # what the replies report as model_provider
        self.fallbacks: list[str] = []   # what the replies report as fxdesk_fallbacks

    def for_agent(self, agent: str, tools: Sequence = ()):
        model = ScriptedChatModel(agent=agent, source=self)
        return model.bind_tools(list(tools)) if tools else model


def transfer(*desks: str, content: str = "") -> AIMessage:
    """A supervisor reply handing off to ``desks`` in order."""
    return AIMessage(content=content, tool_calls=[
        {"name": f"transfer_to_{d}", "args": {"reason": "test"}, "id": f"call_{d}_{i}", "type": "tool_call"}
        for i, d in enumerate(desks)
    ])


def call(name: str, args: dict, call_id: str = "c1") -> AIMessage:
    """A desk reply calling one tool."""
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": call_id, "type": "tool_call"}])


def _fake_desk_tools() -> dict[str, list[BaseTool]]:
    @tool("get_net_open_position")
    def get_net_open_position(pair: str | None = None) -> dict:
        """Net open position (fake)."""
        return {"status": "ok", "pair": pair, "net": 1000000.0}

    @tool("get_journal_stats")
    def get_journal_stats(window: str = "last 90 days") -> dict:
        """Journal stats (fake)."""
        return {"status": "ok", "win_rate_pct": 55.0}

    @tool("get_behaviour_report")
    def get_behaviour_report(window: str = "last 30 days") -> dict:
        """Behaviour report (fake)."""
        return {"status": "ok", "flags": []}

    @tool("get_kyc_status")
    def get_kyc_status(customer: str | None = None) -> dict:
        """KYC (fake)."""
        return {"status": "ok", "customers": [{"customer": customer, "kyc_status": "approved"}]}

    return {"position_risk": [get_net_open_position], "trade_journal": [get_journal_stats],
            "psychology": [get_behaviour_report], "compliance": [get_kyc_status]}


@pytest.fixture
def scripted() -> SimpleNamespace:
    """The scripted-model helpers: ``Models``, ``transfer`` and ``call``."""
    return SimpleNamespace(Models=ScriptedModels, transfer=transfer, call=call)


@pytest.fixture
def fake_tools() -> dict[str, list[BaseTool]]:
    return _fake_desk_tools()


@pytest.fixture
def grants_db(tmp_path) -> Database:
    """Schema plus role grants only: traders get every desk, onboarding only compliance KYC."""
    db = Database.from_url(f"sqlite:///{tmp_path / 'grants.db'}", ensure_demo=False)
    schema.metadata.create_all(db.engine)
    with db.engine.begin() as conn:
        conn.execute(insert(schema.meta).values(key="as_of", value=date(2026, 11, 20).isoformat()))
        conn.execute(insert(schema.role_grants), [{"role": "trader", "desk": d, "tools": "*"} for d in DESKS]
                     + [{"role": "onboarding", "desk": "compliance", "tools": "get_kyc_status"}])
    return db
