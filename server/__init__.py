"""The REST server (LangGraph Server API + fxdesk endpoints), its auth and limits, and the `fxdesk` CLI."""

__all__ = ["app", "auth", "cli", "runtime", "services", "settings", "studio"]
