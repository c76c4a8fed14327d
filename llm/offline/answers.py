"""Answers written only from tool results: per-tool templates, a generic renderer, refusals and errors.

Every number in an answer is copied from a tool result (formatted with `format_number`, which keeps
the tool's precision and adds thousands separators) or is a count of a result's rows, so
`llm.offline.numbers.unsupported_numbers` holds for everything written here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from llm.offline.numbers import TABLE_CAP, format_number
from llm.offline.templates import TEMPLATES

__all__ = ["answer_from_results", "compose_answers", "parse_result", "render_generic"]

_SKIP_KEYS = frozenset({"status", "tool"})
_MAX_COLUMNS = 9


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


def answer_from_results(results: Sequence[tuple[str, dict[str, Any]]]) -> str:
    """Write the desk's answer from its tool results, one section per call.

    Args:
        results: ``(tool name, result dict)`` in call order.

    Returns:
        Markdown text; refusals and errors are explained, data is quoted from the results.

    """
    sections = [_answer_one(tool, result) for tool, result in results]
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
    lines = [f"**{_humanise(tool)}**"]
    tables: list[str] = []
    for key, value in result.items():
        if key in _SKIP_KEYS or value is None:
            continue
        if _is_rows(value):
            tables.append(_titled_table(key, value))
        elif isinstance(value, Mapping) and any(_is_rows(v) or isinstance(v, Mapping) for v in value.values()):
            tables.append(render_generic(key, value).replace("**", "*", 2))
        else:
            lines.append(f"- {_humanise(key)}: {_inline(value)}")
    return "\n".join(lines + [table for table in tables if table])


def _answer_one(tool: str, result: dict[str, Any]) -> str:
    status = result.get("status", "ok")
    if status == "not_entitled":
        why = result.get("message") or "you are not entitled to that data"
        return f"I can't show that ({_humanise(tool)}): {why}"
    if status == "error":
        error = result.get("error") or {}
        message = error.get("message") if isinstance(error, Mapping) else str(error)
        kind = error.get("type") if isinstance(error, Mapping) else None
        hint = " Please rephrase or give the missing detail and I'll try again." if kind != "step_limit" else ""
        return f"{_humanise(tool)} could not run: {message or 'the tool reported an error'}.{hint}".replace("..", ".")
    template = TEMPLATES.get(tool)
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
        return f"*{_humanise(key)}*: none."
    return f"*{_humanise(key)}*\n{table(rows)}"


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """Return rows as a markdown table, at most `TABLE_CAP` of them, saying how many more there are.

    Args:
        rows: Row dicts.
        columns: Columns to show; default: every key, in order of first appearance.

    """
    if columns is None:
        columns = list(dict.fromkeys(key for row in rows for key in row))[:_MAX_COLUMNS]
    head = "| " + " | ".join(_humanise(c) for c in columns) + " |"
    rule = "|" + "---|" * len(columns)
    body = ["| " + " | ".join(_cell(row.get(c)) for c in columns) + " |" for row in rows[:TABLE_CAP]]
    text = "\n".join([head, rule, *body])
    if len(rows) > TABLE_CAP:
        text += f"\n… and {len(rows) - TABLE_CAP} more rows ({len(rows)} in all)."
    return text


def _is_rows(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, Mapping) for item in value)


def _cell(value: Any) -> str:
    return _inline(value).replace("|", "/") if value is not None else ""


def _inline(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, Mapping):
        return ", ".join(f"{_humanise(k)} {_inline(v)}" for k, v in value.items() if v is not None)
    if isinstance(value, list | tuple):
        return ", ".join(_inline(v) for v in value) if value else "none"
    return str(value)


def _heading(name: str | None) -> str:
    return _humanise(name) if name else "Answer"


_LABELS = {"pnl": "P&L", "var": "VaR", "usd": "USD", "pct": "%", "kyc": "KYC", "id": "id", "nop": "NOP",
           "mtm": "MTM", "fx": "FX", "em": "EM", "g10": "G10", "as": "as"}


def _humanise(key: str) -> str:
    words = [_LABELS.get(word, word) for word in str(key).replace("-", "_").split("_") if word]
    text = " ".join(words)
    return text[:1].upper() + text[1:]
