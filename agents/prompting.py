"""Render an agent's system prompt for the caller in the runtime context."""

from __future__ import annotations

from datetime import date

from langchain_core.messages import SystemMessage

from prompts import PromptRegistry, RenderedPrompt
from tools.context import Context


def caller_variables(context: Context | None, default_as_of: date | None) -> dict[str, str]:
    """Return the prompt variables that describe the caller (user, role, books, desk date)."""
    if context is None:
        return {"user_id": "unknown", "role": "unknown", "books": "none", "as_of": str(default_as_of or "unknown")}
    return {
        "user_id": context.user_id,
        "role": context.role,
        "books": ", ".join(context.books) or "none",
        "as_of": str(context.as_of or default_as_of or "unknown"),
    }


def system_prompt(prompts: PromptRegistry, agent: str, context: Context | None, default_as_of: date | None,
                  **extra: str) -> tuple[SystemMessage, RenderedPrompt]:
    """Return the agent's system message and the prompt version it came from."""
    variables = {**caller_variables(context, default_as_of), **extra}
    role = context.role if context else None
    rendered = prompts.render(agent, role=role, **{k: v for k, v in variables.items() if k != "role"})
    return SystemMessage(content=rendered.text), rendered
