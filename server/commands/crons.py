"""`fxdesk crons list|delete`: a user's report schedules, read from the same Redis as `fxdesk serve`."""

from __future__ import annotations

import asyncio
import json

import typer

crons_app = typer.Typer(help="Scheduled runs (crons) created through `fxdesk serve`.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the crons command group to the CLI."""
    app.add_typer(crons_app, name="crons")


def _store():
    import redis.asyncio as aioredis

    from server.crons import CronStore
    from server.runs.keys import ApiKeys
    from server.settings import Settings

    settings = Settings()
    if not settings.redis_url:
        typer.echo("Crons live in Redis: set FXDESK_REDIS_URL (and FXDESK_KEY_PREFIX) like `fxdesk serve`.", err=True)
        raise typer.Exit(2)
    client = aioredis.Redis.from_url(settings.redis_url)
    return client, CronStore(client, ApiKeys(settings.key_prefix))


@crons_app.command("list")
def list_crons(user: str = typer.Option(..., "--user", "-u", help="Whose crons, e.g. trader_aruna."),
               as_json: bool = typer.Option(False, "--json", help="Print the records as JSON.")) -> None:
    """List USER's crons: schedule, timezone, next run and the last tick's outcome."""

    async def run() -> list[dict]:
        client, store = _store()
        try:
            return await store.list_for(user)
        finally:
            await client.aclose()

    found = asyncio.run(run())
    if as_json:
        typer.echo(json.dumps(found, indent=2, default=str))
        return
    if not found:
        typer.echo(f"{user} has no crons.")
        return
    for cron in found:
        last = cron.get("last_tick") or {}
        outcome = last.get("error") or (f"run {last['run_id']}" if last.get("run_id") else "not run yet")
        state = "" if cron["enabled"] else " (disabled)"
        typer.echo(f"{cron['cron_id']}  {cron['schedule']!r} {cron['timezone']}{state}  "
                   f"next {cron['next_run_date'] or '-'}  thread {cron['thread_id'] or '(new each tick)'}  "
                   f"last: {outcome}")


@crons_app.command("delete")
def delete_cron(cron_id: str = typer.Argument(..., help="The cron id (see `fxdesk crons list`)."),
                user: str = typer.Option(..., "--user", "-u", help="The cron's creator.")) -> None:
    """Delete one of USER's crons (exit 1 when USER has no such cron)."""

    async def run() -> bool:
        client, store = _store()
        try:
            if await store.get_for(user, cron_id) is None:
                return False
            await store.delete(user, cron_id)
            return True
        finally:
            await client.aclose()

    if not asyncio.run(run()):
        typer.echo(f"{user} has no cron {cron_id}.", err=True)
        raise typer.Exit(1)
    typer.echo(f"Deleted cron {cron_id}.")
