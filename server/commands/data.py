"""`fxdesk data ...`: the desk dataset (summary, demo reset, export and load of a book)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

data_app = typer.Typer(help="The desk database: summary, reset of the demo dataset, export and load of a book.",
                       no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the data commands to the CLI."""
    app.add_typer(data_app, name="data")


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


@data_app.command("export")
def export(directory: Annotated[Path, typer.Argument(help="Directory to write one CSV per table into.")],
           gz: bool = typer.Option(False, "--gzip", help="Write .csv.gz files."),
           table: Annotated[list[str] | None, typer.Option("--table", help="Only this table (repeatable).")] = None,
           ) -> None:
    """Write the database in the interchange format (one CSV per table; see the README's format table)."""
    from data.database import Database
    from data.interchange import TABLE_ORDER, export_tables

    unknown = [t for t in table or () if t not in TABLE_ORDER]
    if unknown:
        typer.echo(f"Unknown table(s) {', '.join(unknown)}; expected one of {', '.join(TABLE_ORDER)}.", err=True)
        raise typer.Exit(2)
    db = Database.from_url()
    counts = export_tables(db, directory, compress=gz, tables=table or None)
    for name, rows in counts.items():
        typer.echo(f"{name}: {rows:,} rows")
    typer.echo(f"Exported {sum(counts.values()):,} rows to {directory} (as of {db.as_of}).")


@data_app.command("load")
def load(paths: Annotated[list[Path], typer.Argument(help="CSV files (.csv or .csv.gz) and/or directories of them.")],
         dry_run: bool = typer.Option(False, "--dry-run", help="Validate every row; write nothing."),
         table: str = typer.Option(None, "--table", help="The table the files hold, when their names do not say."),
         max_errors: int = typer.Option(100, "--max-errors", min=1, help="Stop after this many errors."),
         quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress lines.")) -> None:
    """Validate and load a book: all files in one transaction, upserting by key; nothing written on any error."""
    from data.database import Database
    from data.interchange import LoadRejected, load_files

    db = Database.from_url(ensure_demo=False)
    say = None if quiet else (lambda line: typer.echo(line, err=True))
    try:
        report = load_files(db, paths, table=table, dry_run=dry_run, max_errors=max_errors, progress=say)
    except LoadRejected as exc:
        for error in exc.report.errors:
            typer.echo(str(error), err=True)
        typer.echo(f"Load refused: {exc}.", err=True)
        raise typer.Exit(1) from None
    summary = Table(title="fxdesk data load" + (" (dry run: nothing written)" if dry_run else ""))
    for column in ("table", "rows", "inserted", "updated", "unchanged"):
        summary.add_column(column, justify="left" if column == "table" else "right")
    for name, counts in report.tables.items():
        cells = [f"{counts.rows:,}"] + (["-", "-", "-"] if dry_run else
                                        [f"{counts.inserted:,}", f"{counts.updated:,}", f"{counts.unchanged:,}"])
        summary.add_row(name, *cells)
    Console(width=160).print(summary)
    if dry_run:
        typer.echo(f"Valid: {sum(c.rows for c in report.tables.values()):,} rows in {len(report.files)} file(s).")
    else:
        as_of = report.as_of or "no rates yet"
        typer.echo(f"Loaded into {db.engine.url.render_as_string(hide_password=True)}; as of {as_of}.")
