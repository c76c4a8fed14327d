"""Fixtures of the offline-model tests: every answer the model writes in these tests is number-checked."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from llm.offline import model as offline_model
from llm.offline.numbers import unsupported_numbers
from tools.contract import offline_tables


@pytest.fixture(autouse=True)
def numbers_only_from_tools(monkeypatch):
    """Fail any test in which the offline model writes a number that its inputs' tool results do not hold.

    The evidence is what the model was given this turn: ToolMessages after the latest user message,
    and (compose mode) the desks' answers, which were themselves checked when they were written.
    """
    respond = offline_model.respond

    def checked(messages, tools, tables=None):
        reply = respond(messages, tools, tables)
        start = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
        turn = messages[start + 1:]
        evidence = [m for m in turn if isinstance(m, ToolMessage)]
        evidence += [m.content for m in turn if isinstance(m, AIMessage) and isinstance(m.content, str)]
        bad = unsupported_numbers(reply.content, evidence)
        assert bad == [], f"offline answer quotes numbers no tool returned: {bad}\n{reply.content}"
        return reply

    monkeypatch.setattr(offline_model, "respond", checked)


@pytest.fixture
def model():
    from llm.offline import OfflineChatModel

    return OfflineChatModel(tables=offline_tables())
