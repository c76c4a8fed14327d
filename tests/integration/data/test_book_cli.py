"""Issue 14: `fxdesk data export DIR` and `fxdesk data load DIR|FILE… [--dry-run]` through the CLI."""

from __future__ import annotations

from sqlalchemy import func, select
from typer.testing import CliRunner

from data import schema
from data.database import Database
from server.cli import app
from tests.interchange_files import TRADES_HEADER, trade_line


def _count(url: str, table) -> int:
    db = Database.from_url(url, ensure_demo=False)
    with db.engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(table)).scalar_one()
    db.engine.dispose()
    return n


def test_export_then_load_into_an_empty_database_through_the_cli(desk_db, tmp_path, monkeypatch):
    runner = CliRunner()
    monkeypatch.setenv("FXDESK_DATABASE_URL", desk_db.engine.url.render_as_string(hide_password=False))
    exported = runner.invoke(app, ["data", "export", str(tmp_path / "book"), "--gzip"])
    assert exported.exit_code == 0, exported.output
    assert "trades: " in exported.output and (tmp_path / "book" / "trades.csv.gz").exists()
    url = f"sqlite:///{tmp_path / 'mine.db'}"
    monkeypatch.setenv("FXDESK_DATABASE_URL", url)
    dry = runner.invoke(app, ["data", "load", str(tmp_path / "book"), "--dry-run", "-q"])
    assert dry.exit_code == 0, dry.output
    assert "dry run: nothing written" in dry.output and _count(url, schema.trades) == 0
    done = runner.invoke(app, ["data", "load", str(tmp_path / "book"), "-q"])
    assert done.exit_code == 0, done.output
    assert "as of 2026-11-20" in done.output
    assert _count(url, schema.trades) == _count(desk_db.engine.url.render_as_string(hide_password=False),
                                                schema.trades)
    users = runner.invoke(app, ["users"])
    assert users.exit_code == 0 and "trader_aruna" in users.output  # no demo rebuilt over a loaded book


def test_a_refused_load_prints_every_error_and_exits_1(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    monkeypatch.setenv("FXDESK_DATABASE_URL", url)
    path = tmp_path / "trades.csv"
    path.write_text(f"{TRADES_HEADER}\n{trade_line('N1')}\n{trade_line('N2', side='HOLD')}\n")
    result = CliRunner().invoke(app, ["data", "load", str(path), "-q"])
    assert result.exit_code == 1
    assert "trades.csv:2: customer: unknown customer 'Cust203'" in result.output
    assert "trades.csv:3: side: 'HOLD' is not one of BUY | SELL" in result.output
    assert "Load refused: 4 error(s); nothing was written." in result.output
    assert _count(url, schema.trades) == 0


def test_a_load_of_users_only_into_an_empty_database_has_no_as_of_yet(tmp_path, monkeypatch):
    monkeypatch.setenv("FXDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'u.db'}")
    (tmp_path / "users.csv").write_text("user_id,name,role\nops_ana,Ana Ops,analyst\n")
    result = CliRunner().invoke(app, ["data", "load", str(tmp_path / "users.csv"), "-q"])
    assert result.exit_code == 0, result.output
    assert "as of no rates yet" in result.output
