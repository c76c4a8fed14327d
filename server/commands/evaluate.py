"""`fxdesk eval DATASET`: per-desk routing accuracy, confusion matrix, carried arguments, unsupported numbers."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from uuid import uuid4

import typer
from rich.console import Console
from rich.table import Table

DEFAULT_USER = "trader_aruna"
_DATASETS = typer.Argument(..., help="JSON-lines datasets or tools/<desk>/phrasings/*.txt files.", exists=True,
                           dir_okay=False)


def register(app: typer.Typer) -> None:
    """Add the eval command to the CLI."""
    app.command("eval")(evaluate)


def evaluate(
    datasets: list[Path] = _DATASETS,
    user: str = typer.Option(DEFAULT_USER, "--user", "-u", help="Demo user every turn runs as."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures and every miss as one JSON object."),
    misses: bool = typer.Option(False, "--misses", help="List every turn routed or argued wrongly."),
) -> None:
    """Run phrasing datasets through the configured model chain and the real desks, then score them."""
    from server.commands.chat import _context_or_exit
    from server.phrasing_eval import Report, load_dataset, score_conversations
    from server.runtime import open_runtime
    from server.settings import Settings
    from server.turns import run_turn

    err = Console(stderr=True, soft_wrap=True)
    try:
        conversations = [c for path in datasets for c in load_dataset(path)]
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    settings = Settings()
    run_id = uuid4().hex[:8]
    with open_runtime(settings) as rt:
        context = _context_or_exit(rt.db, user, err)
        err.print(f"[dim]eval of {sum(map(len, conversations))} turns as {user}; models: {_chain_names()}[/dim]")

        def run(conversation: int, turn: int, message: str) -> dict:
            result = run_turn(rt.graph, context, f"eval-{run_id}-{conversation}", message, rt.metadata,
                              settings.durability)
            return result.as_json()

        report = Report(score_conversations(conversations, run))
    if as_json:
        sys.stdout.write(json.dumps(_as_json(report), default=str) + "\n")
        return
    _print(Console(), report, misses)


def _chain_names() -> str:
    import os

    from llm.settings import read_settings

    specs = read_settings(dict(os.environ)).models
    names = [f"{s.provider}:{s.model}" if s.model else s.provider for s in specs]
    return ", ".join(names + ([] if "offline" in names else ["offline"]))


def _pct(right: int, total: int) -> str:
    return f"{100 * right / total:.1f} % ({right}/{total})" if total else "n/a"


def _print(console: Console, report, misses: bool) -> None:
    table = Table(title="Routing accuracy by expected desk")
    table.add_column("desk")
    table.add_column("accuracy", justify="right")
    for group, right, total in report.rows():
        table.add_row(group, _pct(right, total))
    console.print(table)
    matrix = report.confusion()
    columns = sorted({routed for counts in matrix.values() for routed in counts})
    confusion = Table(title="Confusion (rows: expected, columns: first desk routed)")
    confusion.add_column("expected")
    for column in columns:
        confusion.add_column(column, justify="right")
    for expected, counts in matrix.items():
        confusion.add_row(expected, *(str(counts.get(c, 0) or "") for c in columns))
    console.print(confusion)
    summary = report.summary()
    for key, value in summary.items():
        console.print(f"{key.replace('_', ' ')}: {_pct(*value) if isinstance(value, tuple) else value}")
    if misses:
        for o in report.outcomes:
            if not o.route_ok or o.args_ok < o.args_total or o.tool_ok is False or o.unsupported:
                console.print(f"- {o.item.message!r}: want {list(o.item.desks)} {o.item.tool or ''} "
                              f"{o.item.args or ''}; got {o.route} {o.tools} {o.called_args or ''}"
                              + (f" unsupported {o.unsupported}" if o.unsupported else ""), markup=False)


def _as_json(report) -> dict:
    return {
        "summary": report.summary(),
        "by_desk": [{"desk": g, "right": r, "total": t} for g, r, t in report.rows()],
        "confusion": {k: dict(v) for k, v in report.confusion().items()},
        "misses": [{"message": o.item.message, "want": list(o.item.desks), "want_tool": o.item.tool,
                    "want_args": o.item.args, "got": o.route, "tools": o.tools, "got_args": o.called_args,
                    "args_ok": o.args_ok, "args_total": o.args_total, "unsupported": o.unsupported}
                   for o in report.outcomes
                   if not o.route_ok or o.args_ok < o.args_total or o.tool_ok is False or o.unsupported],
    }
