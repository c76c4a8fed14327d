"""Routers of the LangGraph Server API, one per resource."""

from server.routes import assistants, runs, threads

__all__ = ["assistants", "runs", "threads"]
