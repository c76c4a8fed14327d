"""`fxdesk users` and `fxdesk data ...`: the demo dataset and its users."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

data_app = typer.Typer(help="The desk database: summary and reset of the demo dataset.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the data commands to the CLI."""
    app.command("users")(users)
    app.add_typer(data_app, name="data")


def users() -> None:
    """List the demo users: role, books, customers and the desks their role may use."""
    from data.database import Database
    from data.users import abbreviate_customers, list_users, role_grants

    db = Database.from_url()
    grants = role_grants(db)
    table = Table(title=f"fxdesk users (as of {db.as_of})")
    for column in ("user", "name", "role", "books", "customers", "desks"):
        table.add_column(column, overflow="fold")
    for user in list_users(db):
        desks = [desk if tools == "*" else f"{desk} ({tools.replace(',', ', ')})"
                 for desk, tools in grants.get(user.role, {}).items()]
        table.add_row(user.user_id, user.name, user.role, ", ".join(user.books) or "-",
                      abbreviate_customers(user.customers), "\n".join(desks) or "-")
    Console(width=160).print(table)


@data_app.command("summary")
def summary() -> None:
    """Show the dataset's as-of date, row counts and the database URL."""
    from sqlalchemy import func, select

    from data import schema
    from data.database import Database

    db = Database.from_url()
    counts = {}
    with db.engine.connect() as conn:
        for label, table in (("pairs", schema.pairs), ("trades", schema.trades), ("customers", schema.customers),
                             ("users", schema.users), ("journal entries", schema.journal)):
            counts[label] = conn.execute(select(func.count()).select_from(table)).scalar()
        counts["rate days"] = conn.execute(select(func.count(func.distinct(schema.rates.c.day)))).scalar()
    table = Table(title="fxdesk data", show_header=False)
    table.add_column("what")
    table.add_column("value")
    table.add_row("as-of", str(db.as_of))
    for label in ("pairs", "rate days", "trades", "customers", "users", "journal entries"):
        table.add_row(label, f"{counts[label]:,}")
    table.add_row("database", db.engine.url.render_as_string(hide_password=True))
    Console(width=160).print(table)


@data_app.command("reset")
def reset(yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.")) -> None:
    """Drop every table and rebuild the demo dataset from its seed (journal entries and audit are lost)."""
    from data.database import Database

    db = Database.from_url(ensure_demo=False)
    url = db.engine.url.render_as_string(hide_password=True)
    if not yes and not typer.confirm(f"Rebuild the demo dataset in {url}? Every change will be lost."):
        typer.echo("Cancelled.")
        raise typer.Exit(1)
    db.reset()
    typer.echo(f"Demo dataset rebuilt in {url} (as of {db.as_of}).")
