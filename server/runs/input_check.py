"""Checks of the graph input a request carries, so bad input is a 422 naming its field (issue 12).

Without them a malformed message reached the graph and the library's own text came back in the run
body (``ValidationError: 2 validation errors for HumanMessage…``); a value JSON cannot store (an
integer beyond 64 bits, a lone surrogate) failed the record write with a 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from langchain_core.messages import BaseMessage, convert_to_messages
from pydantic import ValidationError

INT_MIN, INT_MAX = -(2**63), 2**64 - 1  # what orjson (records, events) can write
_ROLES = "user, human, assistant, ai, system, developer, tool (with tool_call_id)"


class InvalidInput(ValueError):
    """A request value the graph or the store cannot take; the message names the field."""


def check_messages(value: Any, where: str) -> None:
    """Raise `InvalidInput` unless ``value`` is a message or a list of messages the graph can read.

    Args:
        value: the ``messages`` value of an input, a command update or a state update.
        where: the field path to name in the error, e.g. ``input.messages``.

    """
    if isinstance(value, (str, dict, BaseMessage)):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise InvalidInput(f"{where}: must be a list of messages (objects with role and content)")
    for i, message in enumerate(value):
        field = f"{where}[{i}]"
        try:
            convert_to_messages([message])
        except ValidationError as exc:
            loc = exc.errors()[0].get("loc") or ()
            name = f".{loc[0]}" if loc and isinstance(loc[0], str) else ""
            detail = ("must be a string or a list of content blocks" if name == ".content"
                      else "has a value of the wrong type")
            raise InvalidInput(f"{field}{name}: {detail}") from None
        except (ValueError, KeyError, TypeError, NotImplementedError):
            raise InvalidInput(f"{field}: must be a message with a role ({_ROLES}) and a content") from None


def check_graph_input(value: Any, where: str) -> None:
    """Check the ``messages`` of a graph input or update (a mapping, or ``[key, value]`` pairs)."""
    if isinstance(value, Mapping):
        if "messages" in value:
            check_messages(value["messages"], f"{where}.messages")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (list, tuple)) and len(item) == 2 and item[0] == "messages":
                check_messages(item[1], f"{where}.messages")


def unstorable(value: Any, where: str) -> str | None:
    """Return why ``value`` cannot be stored as JSON (naming the path), or ``None`` when it can."""
    stack: list[tuple[Any, str]] = [(value, where)]
    while stack:
        item, path = stack.pop()
        if isinstance(item, bool) or item is None or isinstance(item, float):
            continue
        if isinstance(item, int):
            if not INT_MIN <= item <= INT_MAX:
                return f"{path}: integers must fit in 64 bits"
        elif isinstance(item, str):
            if not _utf8(item):
                return f"{path}: text must be valid Unicode (no lone surrogates)"
        elif isinstance(item, Mapping):
            for key, sub in item.items():
                if isinstance(key, str) and not _utf8(key):
                    return f"{path}: keys must be valid Unicode (no lone surrogates)"
                stack.append((sub, f"{path}.{key}"))
        elif isinstance(item, (list, tuple)):
            stack.extend((sub, f"{path}[{i}]") for i, sub in enumerate(item))
    return None


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
