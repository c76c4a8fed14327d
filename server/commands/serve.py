"""`fxdesk serve`: run the REST API (the LangGraph Server API plus fxdesk's endpoints) under uvicorn."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the serve command to the CLI."""
    app.command("serve")(serve)


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8123,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (state is in Redis, so any number).")] = 1,
    dev: Annotated[bool, typer.Option(help="Loopback only: accept context.user_id without a token.")] = False,
    graph: Annotated[list[str] | None, typer.Option(help="Serve ID=path.py:attr instead of langgraph.json.")] = None,
    config: Annotated[Path | None, typer.Option(help="A langgraph.json whose graphs to serve.")] = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "warning",
) -> None:
    """Serve the LangGraph Server API for the fxdesk graph (state, runs and threads in Redis)."""
    import uvicorn

    from server.auth import dev_secret_path
    from server.settings import Settings

    if dev and not _loopback(host):
        raise typer.BadParameter("--dev accepts requests without a token: bind to 127.0.0.1 or ::1 only.",
                                 param_hint="--host")
    settings = Settings()
    if not settings.has_signing_config:
        if not _loopback(host):
            raise typer.BadParameter(
                f"binding to {host} needs a configured token key: set FXDESK_JWT_SECRET (HS256) or "
                "FXDESK_JWT_PUBLIC_KEY (RS256). Without one, fxdesk serve uses a development secret and "
                "binds to loopback only.", param_hint="--host")
        typer.secho(f"warning: no FXDESK_JWT_SECRET or FXDESK_JWT_PUBLIC_KEY: tokens are checked against the "
                    f"development secret in {dev_secret_path(settings.home)} (loopback only).", fg="yellow", err=True)
    if graph:
        os.environ["FXDESK_SERVE_GRAPHS"] = ",".join(graph)
    if config:
        os.environ["FXDESK_SERVE_CONFIG"] = str(config.resolve())
    os.environ["FXDESK_SERVE_DEV"] = "1" if dev else "0"
    if dev:
        typer.secho("DEV MODE: requests without a token may act as any user (loopback only).", fg="red", err=True)
    uvicorn.run("server.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                log_level=log_level, access_log=False, timeout_graceful_shutdown=5,
                # Longer than clients' idle pools, so a reused connection is not closed under them.
                timeout_keep_alive=75)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
