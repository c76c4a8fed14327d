"""`fxdesk chat` and `fxdesk ask`: talk to the supervisor graph from a terminal."""

from __future__ import annotations

import json
import sys
from uuid import uuid4

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel

DEFAULT_USER = "trader_aruna"
HELP = ("/thread  show the thread id    /new  start a new thread    /user U  switch user (new thread)\n"
        "/help    this help             /quit leave")


THREAD_HELP = "Continue this thread (default: a new one); 1-64 characters of A-Z a-z 0-9 . _ -."


def _thread_id(value: str | None) -> str | None:
    # The same id rule as the API (issue 12): a thread id fits every key and the audit's 64-character column.
    from server.ids import InvalidId, require_safe_id

    if value is None:
        return None
    try:
        return require_safe_id(value, "--thread")
    except InvalidId as exc:
        raise typer.BadParameter(str(exc).removeprefix("--thread: ")) from None


def register(app: typer.Typer) -> None:
    """Add the chat commands to the CLI."""
    app.command("chat")(chat)
    app.command("ask")(ask)


def ask(
    message: str = typer.Argument(..., help="What to ask the desk."),
    user: str = typer.Option(DEFAULT_USER, "--user", "-u", help="Demo user to ask as."),
    thread: str | None = typer.Option(None, "--thread", "-t", help=THREAD_HELP, callback=_thread_id),
    as_json: bool = typer.Option(False, "--json", help="Print the turn as one JSON object."),
) -> None:
    """Ask one question and print the answer (or, with --json, the whole turn)."""
    from server.runtime import open_runtime
    from server.settings import Settings
    from server.turns import run_turn

    settings = Settings()
    err = Console(stderr=True, soft_wrap=True)
    out = Console()
    _check_prompts_or_exit(settings, err)
    with open_runtime(settings) as rt:
        (err if as_json else out).print(f"[dim]checkpointer: {rt.checkpointer}[/dim]")
        context = _context_or_exit(rt.db, user, err)
        result = run_turn(rt.graph, context, thread or uuid4().hex, message, rt.metadata, settings.durability)
    if as_json:
        sys.stdout.write(json.dumps(result.as_json(), default=str) + "\n")
        return
    out.print(Markdown(result.answer))
    _footer(out, result.route, [c["name"] for c in result.tool_calls], result.model, result.thread_id)


def chat(
    user: str = typer.Option(DEFAULT_USER, "--user", "-u", help="Demo user to chat as."),
    thread: str | None = typer.Option(None, "--thread", "-t", help=THREAD_HELP, callback=_thread_id),
) -> None:
    """Multi-turn chat in the terminal, answers streamed as they are written."""
    from server.runtime import open_runtime
    from server.settings import Settings

    console = Console()
    settings = Settings()
    _check_prompts_or_exit(settings, Console(stderr=True, soft_wrap=True))
    with open_runtime(settings) as rt:
        console.print(f"[dim]checkpointer: {rt.checkpointer}[/dim]")
        context = _context_or_exit(rt.db, user, Console(stderr=True, soft_wrap=True))
        thread_id = thread or uuid4().hex
        console.print(Panel(f"fxdesk chat as [bold]{context.user_id}[/bold] ({context.role}), "
                            f"thread {thread_id}\n{HELP}", expand=False))
        while True:
            try:
                line = console.input(f"[bold cyan]{context.user_id}>[/bold cyan] ").strip()
            except (EOFError, KeyboardInterrupt):
                console.print()
                return
            if not line:
                continue
            if line.startswith("/"):
                command, _, arg = line.partition(" ")
                if command in ("/quit", "/exit"):
                    return
                if command == "/help":
                    console.print(HELP)
                elif command == "/thread":
                    console.print(f"thread {thread_id}")
                elif command == "/new":
                    thread_id = uuid4().hex
                    console.print(f"new thread {thread_id}")
                elif command == "/user" and arg.strip():
                    from data.users import UnknownUser
                    from tools.users import context_for

                    try:
                        context = context_for(rt.db, arg.strip())
                    except UnknownUser as exc:
                        console.print(f"[red]{exc}[/red]")
                        continue
                    thread_id = uuid4().hex
                    console.print(f"now {context.user_id} ({context.role}), new thread {thread_id}")
                else:
                    console.print(f"unknown command {line!r}\n{HELP}")
                continue
            _chat_turn(console, rt.graph, context, thread_id, line, rt.metadata, settings.durability)


def _chat_turn(console: Console, graph, context, thread_id: str, line: str, metadata: dict,
               durability: str) -> None:
    from rich.live import Live

    from server.turns import describe_turn, stream_turn

    current, text, live = None, "", None
    try:
        for agent, chunk in stream_turn(graph, context, thread_id, line, metadata, durability):
            if agent != current:
                if live is not None:
                    live.stop()
                console.print(f"\n[dim]── {agent.replace('_', ' ')} ──[/dim]")
                current, text = agent, ""
                # Re-render the desk's answer as markdown while it streams (tables, bold, lists).
                live = Live(Markdown(""), console=console, refresh_per_second=12, vertical_overflow="visible")
                live.start()
            text += chunk
            live.update(Markdown(text))
    finally:
        if live is not None:
            live.stop()
    config = {"configurable": {"thread_id": thread_id}}
    result = describe_turn(graph, config, context)
    if result.interrupt is not None or current is None:
        console.print(Markdown(result.answer))
    else:
        final_lines = result.answer.rstrip().splitlines()
        if final_lines and final_lines[-1].startswith("_(") and final_lines[-1] not in text:
            console.print(f"[dim]{final_lines[-1].strip('_')}[/dim]")
    _footer(console, result.route, [c["name"] for c in result.tool_calls], result.model, thread_id)


def _footer(console: Console, route: list[str], tools: list[str], model: str, thread_id: str) -> None:
    desks = " → ".join(route) or "supervisor"
    console.print(f"[dim]desk: {desks} · tools: {', '.join(tools) or 'none'} · model: {model} · "
                  f"thread {thread_id}[/dim]")


def _check_prompts_or_exit(settings, err: Console) -> None:
    # Validate prompt files and pins before building anything, so a bad pin is one clear line.
    from prompts import PromptError, PromptRegistry

    try:
        PromptRegistry.load(pins=settings.prompt_pins)
    except PromptError as exc:
        err.print(f"[red]error:[/red] prompt configuration: {exc}")
        raise typer.Exit(code=2) from exc


def _context_or_exit(db, user: str, err: Console):
    from data.users import UnknownUser
    from tools.users import context_for

    try:
        return context_for(db, user)
    except UnknownUser as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(code=2) from exc
