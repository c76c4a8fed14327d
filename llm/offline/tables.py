"""The tables the offline model learns from, handed to it when it is built (llm/ imports nothing above it).

The desk contract (``tools.contract.offline_tables()``) fills them: each intent with its example
phrasings and the tools it calls (a composite intent such as the book summary calls several, possibly
on several desks), each desk's label for help texts, and the answer template per tool. The
supervisor's own intents (greeting, help, thanks, goodbye, out of domain) belong to the offline model
and are read from ``llm/offline/phrasings``. Without tables, `tables_from_tools` builds minimal ones
from the bound tools' names and descriptions, so a bare ``OfflineChatModel()`` still works.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "SMALL_TALK",
    "DeskTable",
    "IntentTable",
    "OfflineTables",
    "Template",
    "read_phrasings",
    "small_talk_intents",
    "tables_from_tools",
]

Template = Callable[[Mapping[str, Any]], "str | None"]
SMALL_TALK = ("greeting", "help", "thanks", "goodbye", "out_of_domain")
_PHRASINGS = Path(__file__).with_name("phrasings")


@dataclass(frozen=True)
class IntentTable:
    """One intent: its name, the tools it calls and the desks it routes to, in order, and its phrasings.

    The supervisor's own intents have neither tools nor desks.
    """

    name: str
    tools: tuple[str, ...]
    desks: tuple[str, ...]
    phrasings: tuple[str, ...]


@dataclass(frozen=True)
class DeskTable:
    """One desk as the supervisor's texts name it."""

    name: str
    title: str
    label: str
    examples: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class OfflineTables:
    """Everything the offline model learns from; compared and cached by identity (train once per object)."""

    desks: tuple[DeskTable, ...]
    intents: tuple[IntentTable, ...]
    templates: Mapping[str, Template] = field(default_factory=dict)
    tool_desks: Mapping[str, str] = field(default_factory=dict)
    # The desk's pair universe, ``(pair, book)`` rows of its ``pairs`` table; empty: the demo's.
    pairs: tuple[tuple[str, str], ...] = ()

    def desk(self, name: str) -> DeskTable:
        """Return the desk table of ``name`` (a bare one when the tables do not know it)."""
        return next((d for d in self.desks if d.name == name),
                    DeskTable(name, name.replace("_", " "), name.replace("_", " ")))

    def desk_of_tool(self, tool: str) -> str | None:
        """Return the desk that owns ``tool``, or None when the tables do not know it."""
        return self.tool_desks.get(tool)


def read_phrasings(path: Path) -> tuple[str, ...]:
    """Return a phrasing file's lines (CONTRACTS.md §3): ``#`` starts a comment, blank lines are skipped.

    Args:
        path: A ``.txt`` file with one phrasing per line.

    """
    lines = (line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
             for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(line for line in lines if line)


def small_talk_intents() -> tuple[IntentTable, ...]:
    """Return the supervisor's own intents (no tools, no desk) with their phrasings."""
    return tuple(IntentTable(name, (), (), read_phrasings(_PHRASINGS / f"{name}.txt")) for name in SMALL_TALK)


def tables_from_tools(tools: Sequence[Mapping[str, Any]]) -> OfflineTables:
    """Return minimal tables from bound tools alone: one intent per tool, phrased by its name and description.

    Args:
        tools: OpenAI-format tool dicts (hand-offs ``transfer_to_<desk>`` or desk tools).

    """
    intents, desks = [], []
    for tool in tools:
        function = tool.get("function", tool)
        name, description = str(function.get("name", "")), str(function.get("description", ""))
        desk = name.removeprefix("transfer_to_") if name.startswith("transfer_to_") else ""
        pieces = [p.strip() for p in re.split(r"[.,;:()]", description) if len(p.split()) >= 2]
        phrasings = (name.replace("_", " "), *pieces)
        if desk:
            desks.append(DeskTable(desk, desk.replace("_", " "), desk.replace("_", " ")))
            intents.append(IntentTable(f"desk:{desk}", (), (desk,), phrasings))
        else:
            intents.append(IntentTable(name, (name,), (), phrasings))
    return OfflineTables(tuple(desks), tuple(intents))
