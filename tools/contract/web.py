"""The desk contract as the web desk reads it: ``web/src/contract.json`` (desks, titles, tools).

Regenerate with ``uv run python -m tools.contract.web``; a unit test fails while the committed file
differs from the registry, so the web types cannot drift from the Python contract.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tools.contract.registry import REGISTRY, Registry

__all__ = ["WEB_CONTRACT", "web_contract", "web_contract_text"]

WEB_CONTRACT = Path(__file__).resolve().parents[2] / "web" / "src" / "contract.json"


def web_contract(registry: Registry = REGISTRY) -> dict[str, Any]:
    """Return the desks with their titles and tool names, in contract order."""
    return {"desks": [{"name": d.name, "title": d.title, "tools": [t.name for t in registry.tools_of(d.name)]}
                      for d in registry.desks]}


def web_contract_text(registry: Registry = REGISTRY) -> str:
    """Return `web_contract` as the committed file's text (sorted keys, two-space indent, final newline)."""
    return json.dumps(web_contract(registry), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    WEB_CONTRACT.write_text(web_contract_text(), encoding="utf-8")
    print(f"wrote {WEB_CONTRACT}")
