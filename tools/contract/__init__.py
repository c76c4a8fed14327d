"""The typed desk contract: the registry every desk- and tool-naming part of fxdesk is built from."""

from tools.contract.registry import (
    DESKS,
    INTENTS,
    REGISTRY,
    TOOLS,
    ContractError,
    DeskSpec,
    IntentSpec,
    Registry,
    ToolSpec,
    check,
    offline_tables,
    validate,
)

__all__ = [
    "DESKS", "INTENTS", "REGISTRY", "TOOLS", "ContractError", "DeskSpec", "IntentSpec", "Registry", "ToolSpec",
    "check", "offline_tables", "validate",
]
