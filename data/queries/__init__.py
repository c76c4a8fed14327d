"""Shared SQL of the desks (SQLAlchemy Core, SQLite and PostgreSQL). Callers pass plain books/customers tuples."""

__all__ = ["compliance", "freshness", "journal", "journal_trades", "limits", "own_trades", "rates", "trades"]
