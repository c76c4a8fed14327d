"""`fxdesk chat` and `fxdesk ask`: talk to the supervisor graph from a terminal."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the chat commands to the CLI."""
