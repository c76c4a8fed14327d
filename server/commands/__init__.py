"""Command groups of the `fxdesk` CLI; each module exposes ``register(app)``."""

__all__ = ["chat", "crons", "data", "evaluate", "serve", "token", "users"]
