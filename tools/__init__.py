"""Typed, scoped desk tools: the runtime Context, the scope gate and one sub-package per desk."""

__all__ = ["catalog", "context", "contract", "desks", "errors", "pairs", "rate_warnings", "scope", "windows"]
