"""Answers written only from tool results: per-tool templates, a generic renderer, refusals and errors.

Every number in an answer is copied from a tool result (formatted with `format_number`, which keeps
the tool's precision and adds thousands separators) or is a count of a result's rows, so
`llm.offline.numbers.unsupported_numbers` holds for everything written here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from llm.offline.render import humanise, inline, is_rows, table

__all__ = ["answer_from_results", "compose_answers", "parse_result", "render_generic"]

_SKIP_KEYS = frozenset({"status", "tool"})
Templates = Mapping[str, Callable[[Mapping[str, Any]], "str | None"]]


def parse_result(content: Any) -> dict[str, Any]:
    """Return a ToolMessage's content as a dict (JSON text, a dict, or ``{"text": ...}`` otherwise).

    Args:
        content: ``ToolMessage.content``.

    """
    if isinstance(content, Mapping):
        return dict(content)
    if isinstance(content, list):
        content = "".join(part.get("text", "") if isinstance(part, Mapping) else str(part) for part in content)
    try:
        data = json.loads(content)
    except (TypeError, ValueError):
        return {"status": "ok", "text": str(content)}
    return data if isinstance(data, dict) else {"status": "ok", "result": data}


def answer_from_results(results: Sequence[tuple[str, dict[str, Any]]], templates: Templates | None = None) -> str:
    """Write the desk's answer from its tool results, one section per call.

    Args:
        results: ``(tool name, result dict)`` in call order.
        templates: Tool name -> answer template (the desks' ``answers.TEMPLATES``); a tool without one
            gets the generic renderer.

    Returns:
        Markdown text; refusals and errors are explained, data is quoted from the results.

    """
    sections = [_answer_one(tool, result, templates or {}) for tool, result in results]
    if not sections:
        return "I did not get any results to answer from."
    return "\n\n".join(sections)


def compose_answers(parts: Sequence[tuple[str | None, str]]) -> str:
    """Join the desks' answers into the turn's answer under short headings.

    Args:
        parts: ``(desk name or None, answer text)`` in the order the desks ran.

    """
    parts = [(name, text.strip()) for name, text in parts if text and text.strip()]
    if not parts:
        return "I have no desk answers to combine for this question."
    if len(parts) == 1:
        return parts[0][1]
    return "\n\n".join(f"### {_heading(name)}\n{text}" for name, text in parts)


def render_generic(tool: str, result: Mapping[str, Any]) -> str:
    """Render any result dict: scalars as bullet lines, row lists as markdown tables (capped).

    Args:
        tool: Tool name, used as the title.
        result: The tool's JSON result.

    """
    lines = [f"**{humanise(tool)}**"]
    tables: list[str] = []
    for key, value in result.items():
        if key in _SKIP_KEYS or value is None:
            continue
        if is_rows(value):
            tables.append(_titled_table(key, value))
        elif isinstance(value, Mapping) and any(is_rows(v) or isinstance(v, Mapping) for v in value.values()):
            tables.append(render_generic(key, value).replace("**", "*", 2))
        else:
            lines.append(f"- {humanise(key)}: {inline(value)}")
    return "\n".join(lines + [table for table in tables if table])


def _answer_one(tool: str, result: dict[str, Any], templates: Templates) -> str:
    status = result.get("status", "ok")
    if status == "not_entitled":
        why = result.get("message") or "you are not entitled to that data"
        return f"I can't show that ({humanise(tool)}): {why}"
    if status == "error":
        error = result.get("error") or {}
        message = error.get("message") if isinstance(error, Mapping) else str(error)
        kind = error.get("type") if isinstance(error, Mapping) else None
        hint = " Please rephrase or give the missing detail and I'll try again." if kind != "step_limit" else ""
        reason = str(message or "the tool reported an error").rstrip(".")
        return f"{humanise(tool)} could not run: {reason}.{hint}"
    template = templates.get(tool)
    if template is not None:
        try:
            text = template(result)
        except (KeyError, TypeError, ValueError, AttributeError):
            text = None
        if text:
            return text
    return render_generic(tool, result)


def _titled_table(key: str, rows: Sequence[Mapping[str, Any]]) -> str:
    if not rows:
        return f"*{humanise(key)}*: none."
    return f"*{humanise(key)}*\n{table(rows)}"


def _heading(name: str | None) -> str:
    return humanise(name) if name else "Answer"


