"""`fxdesk token`: mint a development JWT for a demo user (HS256 dev secret or configured key)."""

from __future__ import annotations

from datetime import timedelta

import typer


def register(app: typer.Typer) -> None:
    """Add the token command to the CLI."""

    @app.command("token")
    def token(
        user: str = typer.Option(..., "--user", "-u", help="Demo user, e.g. trader_aruna (see `fxdesk users`)."),
        hours: float = typer.Option(8.0, help="Hours until the token expires."),
    ) -> None:
        """Print a bearer token for USER, for `Authorization: Bearer <token>` against `fxdesk serve`."""
        from data.database import Database
        from data.users import UnknownUser, load_user
        from server.auth import AuthError, JwtKeys, mint_token

        db = Database.from_url()
        try:
            record = load_user(db, user)
        except UnknownUser as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
        if hours <= 0 or hours > 24 * 30:
            typer.echo("--hours must be between 0 and 720.", err=True)
            raise typer.Exit(2)
        try:
            typer.echo(mint_token(record.user_id, record.role, JwtKeys.from_env(), ttl=timedelta(hours=hours)))
        except AuthError as exc:
            typer.echo(exc.detail, err=True)
            raise typer.Exit(2) from None
