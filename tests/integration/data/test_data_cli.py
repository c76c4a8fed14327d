"""`fxdesk users` and `fxdesk data summary|reset` on SQLite and PostgreSQL, through CliRunner and a subprocess."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from typer.testing import CliRunner

from data import schema
from data.database import Database
from server.cli import app

USERS = ("trader_aruna", "trader_li", "analyst_maya", "compliance_omar", "onboarding_sam")
REPO = Path(__file__).resolve().parents[3]


def url_of(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def test_users_lists_every_demo_user_with_role_books_and_desks(desk_db_any, monkeypatch):
    monkeypatch.setenv("FXDESK_DATABASE_URL", url_of(desk_db_any))
    result = CliRunner().invoke(app, ["users"])
    assert result.exit_code == 0, result.output
    for user in USERS:
        assert user in result.output
    assert "Cust201-Cust215 (15)" in result.output
    assert "get_kyc_status" in result.output and "position_risk" in result.output


def test_data_summary_reports_as_of_counts_and_url(desk_db_any, monkeypatch):
    monkeypatch.setenv("FXDESK_DATABASE_URL", url_of(desk_db_any))
    result = CliRunner().invoke(app, ["data", "summary"])
    assert result.exit_code == 0, result.output
    with desk_db_any.engine.connect() as conn:
        trades = len(conn.execute(select(schema.trades.c.trade_id)).all())
    assert "2026-11-20" in result.output and f"{trades:,}" in result.output
    assert desk_db_any.engine.url.database in result.output


def _journal_notes(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return [n for (n,) in conn.execute(select(schema.journal.c.notes))]


def _reset_rebuilds(url: str, monkeypatch) -> None:
    monkeypatch.setenv("FXDESK_DATABASE_URL", url)
    db = Database.from_url(url)
    now = datetime(2026, 11, 20, 12)
    with db.engine.begin() as conn:
        conn.execute(insert(schema.journal).values(user_id="trader_aruna", setup_tags="x", emotions="",
                                                   notes="added by the test", created_at=now, updated_at=now))
    runner = CliRunner()
    refused = runner.invoke(app, ["data", "reset"], input="n\n")
    assert refused.exit_code == 1 and "Cancelled" in refused.output
    assert "added by the test" in _journal_notes(db)
    done = runner.invoke(app, ["data", "reset", "--yes"])
    assert done.exit_code == 0, done.output
    assert "added by the test" not in _journal_notes(db)
    assert db.meta("as_of") == "2026-11-20" and len(_journal_notes(db)) >= 5
    db.engine.dispose()


@pytest.mark.slow
def test_data_reset_asks_first_and_rebuilds_from_the_seed_on_sqlite(tmp_path, monkeypatch):
    _reset_rebuilds(f"sqlite:///{tmp_path / 'reset.db'}", monkeypatch)


@pytest.mark.slow
@pytest.mark.postgres
def test_data_reset_asks_first_and_rebuilds_from_the_seed_on_postgresql(postgres_url, monkeypatch):
    _reset_rebuilds(postgres_url, monkeypatch)


@pytest.mark.slow
def test_uv_run_fxdesk_users_lists_all_five_users(tmp_path):
    env = {**os.environ, "FXDESK_HOME": str(tmp_path)}
    env.pop("FXDESK_DATABASE_URL", None)
    proc = subprocess.run(["uv", "run", "fxdesk", "users"], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    for user in USERS:
        assert user in proc.stdout
    assert (tmp_path / "fxdesk.db").exists()  # the SQLite default under FXDESK_HOME, built on first use
