"""Tool schemas for offline-model tests, built from the catalogue, so no database is needed."""

from __future__ import annotations

from langchain_core.tools import StructuredTool
from pydantic import BaseModel, Field

from tools.catalog import TOOL_ARGS

DESKS = ("position_risk", "trade_journal", "psychology", "compliance")


class _HandoffArgs(BaseModel):
    reason: str = Field(..., description="Why this desk is needed.")


def desk_tools(desk: str) -> list[StructuredTool]:
    """The desk's tools with the catalogue's argument models (bodies never run)."""
    return [
        StructuredTool.from_function(func=lambda **kwargs: kwargs, name=name, description=f"{name} tool",
                                     args_schema=model)
        for name, (owner, model) in TOOL_ARGS.items() if owner == desk
    ]


def handoff_tools(desks=DESKS) -> list[StructuredTool]:
    return [
        StructuredTool.from_function(func=lambda **kwargs: kwargs, name=f"transfer_to_{desk}",
                                     description=f"Hand the question to the {desk} desk.", args_schema=_HandoffArgs)
        for desk in desks
    ]

