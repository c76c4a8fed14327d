"""`fxdesk users [list|add|grant|revoke]`: desk users, their role and entitlements (read per request)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

users_app = typer.Typer(help="Desk users and their entitlements: list (default), add, grant, revoke.",
                        invoke_without_command=True)
_BOOKS = typer.Option("--book", "-b", help="A book (repeatable).")
_CUSTOMERS = typer.Option("--customer", "-c", help="A customer code (repeatable).")



def register(app: typer.Typer) -> None:
    """Add the users commands to the CLI."""
    app.add_typer(users_app, name="users")


@users_app.callback()
def users_default(ctx: typer.Context) -> None:
    """Without a subcommand: list the users."""
    if ctx.invoked_subcommand is None:
        users()


@users_app.command("list")
def users() -> None:
    """List the users: role, books, customers and the desks their role may use."""
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


def _user_change(change) -> None:
    from data.database import Database
    from data.users import EntitlementError, UnknownUser, abbreviate_customers

    try:
        record = change(Database.from_url())
    except (UnknownUser, EntitlementError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{record.user_id} ({record.role}): books {', '.join(record.books) or '-'}; "
               f"customers {abbreviate_customers(record.customers)}. Takes effect on the next request.")


@users_app.command("add")
def users_add(user_id: str = typer.Argument(..., help="Login id, e.g. trader_jo."),
              name: str = typer.Option(..., "--name", help="Display name."),
              role: str = typer.Option(..., "--role", help="trader|analyst|risk_manager|compliance|onboarding."),
              book: Annotated[list[str] | None, _BOOKS] = None,
              customer: Annotated[list[str] | None, _CUSTOMERS] = None) -> None:
    """Add a user with a role, and optionally their first books and customers."""
    from data.users import add_user, grant

    def change(db):
        add_user(db, user_id, name, role)
        return grant(db, user_id, books=tuple(book or ()), customers=tuple(customer or ()))

    _user_change(change)


@users_app.command("grant")
def users_grant(user_id: str = typer.Argument(..., help="Login id."),
                book: Annotated[list[str] | None, _BOOKS] = None,
                customer: Annotated[list[str] | None, _CUSTOMERS] = None,
                role: str = typer.Option(None, "--role", help="Change the user's role too.")) -> None:
    """Entitle a user to more books and/or customers (or give them another role)."""
    from data.users import grant, set_role

    def change(db):
        if role:
            set_role(db, user_id, role)
        return grant(db, user_id, books=tuple(book or ()), customers=tuple(customer or ()))

    _user_change(change)


@users_app.command("revoke")
def users_revoke(user_id: str = typer.Argument(..., help="Login id."),
                 book: Annotated[list[str] | None, _BOOKS] = None,
                 customer: Annotated[list[str] | None, _CUSTOMERS] = None) -> None:
    """Remove books and/or customers from a user's entitlements."""
    from data.users import revoke

    _user_change(lambda db: revoke(db, user_id, books=tuple(book or ()), customers=tuple(customer or ())))
