"""Versioned prompt files and the registry that validates and renders them (imports nothing above it)."""

from prompts.registry import (
    PromptError,
    PromptRegistry,
    PromptTemplate,
    RenderedPrompt,
    format_pins,
    parse_pins,
)

__all__ = ["PromptError", "PromptRegistry", "PromptTemplate", "RenderedPrompt", "format_pins", "parse_pins"]
