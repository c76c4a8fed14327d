"""Settings an agent needs at build time, passed down from the caller (no global config)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from prompts import PromptRegistry

DEFAULT_HISTORY_TOKENS = 4000
DEFAULT_TOOL_ROUNDS = 4


@dataclass(frozen=True)
class AgentOptions:
    """Prompt registry, history budget and tool-round cap shared by the agents of one graph."""

    prompts: PromptRegistry = field(default_factory=PromptRegistry.load)
    history_tokens: int = DEFAULT_HISTORY_TOKENS
    max_tool_rounds: int = DEFAULT_TOOL_ROUNDS
    as_of: date | None = None  # the dataset's desk date, for prompts when the context has none
