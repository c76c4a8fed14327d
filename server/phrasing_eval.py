"""``fxdesk eval``: run a phrasing dataset through the configured graph and score routing and arguments.

A dataset is a JSON-lines file (single turns ``{"message", "desks", "tool"?, "args"?}`` and
conversations ``{"turns": [...]}`` of the same items) or a desk's phrasing file
``tools/<desk>/phrasings/<name>.txt`` (every line must reach that desk and, for a tool, that tool).
Each conversation runs on a fresh thread through the real graph (supervisor, desks, tools, SQL),
so the answer's numbers are checked against the tool results the turn produced. An expected argument
is right when a call passed it, or when the call handed the tool a trader's shorthand (``text``) and
the record the tool saved holds it (``log_journal_trade`` reads side, pair, size and rates from the
text itself; a model may pass them typed or leave them in the text).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llm.offline.numbers import unsupported_numbers
from tools.contract import REGISTRY, Registry

__all__ = ["Item", "Outcome", "Report", "load_dataset", "score_conversations"]

NONE = "none"


@dataclass(frozen=True)
class Item:
    """One expected turn: the message, the desks it must reach, optionally a tool and arguments."""

    message: str
    desks: tuple[str, ...]
    tool: str | None = None
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    """What one turn did against what it should have done."""

    item: Item
    turn: int
    length: int
    route: list[str]
    tools: list[str]
    args_ok: int
    args_total: int
    unsupported: list[str]
    # The arguments of every call the turn made, in order (what a miss is compared with).
    called_args: list[dict[str, Any]] = field(default_factory=list)

    @property
    def route_ok(self) -> bool:
        """Return True when exactly the expected desks ran, in order."""
        return tuple(self.route) == self.item.desks

    @property
    def tool_ok(self) -> bool | None:
        """Return whether the expected tool was called (None when the item names none)."""
        return None if self.item.tool is None else self.item.tool in self.tools


def load_dataset(path: Path, registry: Registry = REGISTRY) -> list[list[Item]]:
    """Return the dataset's conversations (a single turn is a conversation of one).

    Args:
        path: A ``.jsonl`` dataset or a ``.txt`` phrasing file of the desk contract.
        registry: Resolves a phrasing file's desk and tool.

    Raises:
        ValueError: an unreadable row or a phrasing file outside ``tools/<desk>/phrasings/``.

    """
    if path.suffix == ".txt":
        return [[item] for item in _phrasing_file(path, registry)]
    conversations = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            turns = row["turns"] if "turns" in row else [row]
            conversations.append([_item(turn) for turn in turns])
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a dataset row ({exc})") from exc
    return conversations


def score_conversations(conversations: Iterable[list[Item]],
                        run: Callable[[int, int, str], dict[str, Any]]) -> list[Outcome]:
    """Run every conversation and score each turn.

    Args:
        conversations: From `load_dataset`.
        run: ``(conversation index, turn index, message) -> turn record`` as ``fxdesk ask --json``
            prints it (``route``, ``tool_calls`` with ``name``/``args``/``result``, ``answer``).

    """
    outcomes = []
    for c, items in enumerate(conversations):
        for t, item in enumerate(items):
            record = run(c, t, item.message)
            calls = record.get("tool_calls") or []
            ok = sum(1 for key, value in item.args.items() if any(_same(_acted_on(call).get(key), value, key)
                                                                  for call in calls))
            evidence = [call.get("result") for call in calls if call.get("result") is not None]
            outcomes.append(Outcome(item, t, len(items), list(record.get("route") or []), [c_["name"] for c_ in calls],
                                    ok, len(item.args), unsupported_numbers(record.get("answer") or "", evidence),
                                    [dict(c_.get("args") or {}) for c_ in calls]))
    return outcomes


@dataclass
class Report:
    """Accuracy figures over a set of outcomes."""

    outcomes: list[Outcome]

    def rows(self) -> list[tuple[str, int, int]]:
        """Return ``(group, right, total)`` per expected desk (single-desk items), none, and mixed asks."""
        groups: dict[str, list[bool]] = {}
        for o in self.outcomes:
            groups.setdefault(_group(o.item.desks), []).append(o.route_ok)
        order = [d for d in REGISTRY.desk_names() if d in groups] + [g for g in (NONE, "mixed") if g in groups]
        return [(g, sum(groups[g]), len(groups[g])) for g in order]

    def confusion(self) -> dict[str, Counter]:
        """Return expected desk -> Counter of routed desk (first desk routed, or none) for single-desk items."""
        matrix: dict[str, Counter] = {}
        for o in self.outcomes:
            if len(o.item.desks) <= 1:
                matrix.setdefault(_group(o.item.desks), Counter())[o.route[0] if o.route else NONE] += 1
        return matrix

    def summary(self) -> dict[str, Any]:
        """Return the headline figures (routing, tools, arguments, carried arguments, multi-turn, numbers)."""
        later = [o for o in self.outcomes if o.turn > 0]
        multi = [o for o in self.outcomes if o.length > 1]
        tools = [o.tool_ok for o in self.outcomes if o.tool_ok is not None]
        return {
            "turns": len(self.outcomes),
            "routing": _ratio(sum(o.route_ok for o in self.outcomes), len(self.outcomes)),
            "tool": _ratio(sum(tools), len(tools)),
            "args": _ratio(sum(o.args_ok for o in self.outcomes), sum(o.args_total for o in self.outcomes)),
            "carried_args": _ratio(sum(o.args_ok for o in later), sum(o.args_total for o in later)),
            "multi_turn": _ratio(sum(o.route_ok and o.args_ok == o.args_total for o in multi), len(multi)),
            "answers_with_unsupported_numbers": sum(1 for o in self.outcomes if o.unsupported),
        }


def _phrasing_file(path: Path, registry: Registry) -> list[Item]:
    from llm.offline.tables import read_phrasings

    desk, name = path.resolve().parent.parent.name, path.stem
    if path.resolve().parent.name != "phrasings" or desk not in registry.desk_names():
        raise ValueError(f"{path}: a phrasing file lives in tools/<desk>/phrasings/<tool or intent>.txt")
    composite = next((i for i in registry.intents if i.name == name), None)
    if composite is not None:
        desks = tuple(dict.fromkeys(registry.tool(t).desk for t in composite.tools))
        return [Item(m, desks, composite.tools[0]) for m in read_phrasings(path)]
    return [Item(m, (desk,), name) for m in read_phrasings(path)]


def _item(row: dict[str, Any]) -> Item:
    return Item(str(row["message"]), tuple(row.get("desks") or ()), row.get("tool"), dict(row.get("args") or {}))


def _acted_on(call: dict[str, Any]) -> dict[str, Any]:
    """Return the arguments a call acted on: its own, plus the fields a shorthand tool read from its text."""
    args = dict(call.get("args") or {})
    result = call.get("result")
    record = result.get("record") if isinstance(result, dict) and "text" in args else None
    if isinstance(record, dict):
        return {**{k: v for k, v in record.items() if v is not None}, **args}
    return args


# Argument values a tool documents as the same ("'setup' is the same" as 'tag' for a journal breakdown).
_SAME_VALUES = {("by", "setup"): "tag"}


def _same(got: Any, want: Any, key: str = "") -> bool:
    if isinstance(got, str) and isinstance(want, str):
        got, want = _SAME_VALUES.get((key, got), got), _SAME_VALUES.get((key, want), want)
    if isinstance(want, float | int) and isinstance(got, float | int) and not isinstance(got, bool):
        return math.isclose(float(got), float(want), rel_tol=1e-9)
    if isinstance(want, list) and isinstance(got, list):
        return sorted(map(str, want)) == sorted(map(str, got))
    return got == want


def _group(desks: tuple[str, ...]) -> str:
    return desks[0] if len(desks) == 1 else (NONE if not desks else "mixed")


def _ratio(right: int, total: int) -> tuple[int, int]:
    return right, total
