"""Typed, scoped desk tools: the runtime Context, the scope gate and one sub-package per desk."""

__all__ = ["catalog", "context", "desks", "errors", "pairs", "scope", "windows"]
