"""The `fxdesk` command line: one Typer app, each command group in its own module."""

from __future__ import annotations

import typer

from server.commands import chat, crons, data, evaluate, serve, token, users

app = typer.Typer(help="fxdesk: the FX desk assistant.", no_args_is_help=True, add_completion=False)
data.register(app)
users.register(app)
chat.register(app)
token.register(app)
serve.register(app)
crons.register(app)
evaluate.register(app)

if __name__ == "__main__":
    app()
