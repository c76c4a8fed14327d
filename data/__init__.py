"""The desk's data: SQL schema, the demo dataset generator, the user store and shared queries."""

__all__ = ["calendar", "database", "demo", "queries", "schema", "users"]
