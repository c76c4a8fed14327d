"""`fxdesk users` and `fxdesk data ...`: the demo dataset and its users."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the data commands to the CLI."""
