"""The `fxdesk` command line."""

from __future__ import annotations

import typer

app = typer.Typer(help="fxdesk: the FX desk assistant.", no_args_is_help=True)
