"""The desk's data: SQL schema, the demo dataset generator, the user store, shared queries and the CSV interchange."""

__all__ = ["calendar", "database", "demo", "demo_scale", "interchange", "queries", "schema", "users"]
