"""Every tool's name, desk, argument and result model, as the desk contract (tools/contract) declares them."""

from __future__ import annotations

from pydantic import BaseModel

from tools.contract import REGISTRY

__all__ = ["TOOL_ARGS", "TOOL_RESULTS", "tools_of"]

TOOL_ARGS: dict[str, tuple[str, type[BaseModel]]] = {t.name: (t.desk, t.args) for t in REGISTRY.tools}
TOOL_RESULTS: dict[str, type[BaseModel]] = {t.name: t.result for t in REGISTRY.tools}


def tools_of(desk: str) -> list[str]:
    """Return the tool names of one desk, in contract order."""
    return [t.name for t in REGISTRY.tools_of(desk)]
