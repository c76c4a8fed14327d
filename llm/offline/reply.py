"""The offline model's decision for one call: text and/or tool calls, and the mode that produced it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import BaseMessage

__all__ = ["Reply", "call_id", "message_text"]


@dataclass
class Reply:
    """What the offline model answers: ``content`` and ``tool_calls`` of the AIMessage to build."""

    content: str
    mode: str
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    why: dict[str, Any] = field(default_factory=dict)  # the explanation of a routing or tool choice


def call_id(messages_seen: int, index: int, name: str) -> str:
    """Return a deterministic tool-call id, unique within a thread (the history only grows)."""
    return f"call_offline_{messages_seen}_{index}_{name}"


def message_text(message: BaseMessage) -> str:
    """Return a message's text, joining content blocks."""
    content = message.content
    if isinstance(content, str):
        return content
    return " ".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
