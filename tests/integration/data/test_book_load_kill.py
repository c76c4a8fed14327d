"""Issue 14: a load killed mid-way (SIGKILL while reading, or while merging) leaves the database as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from data.database import Database
from data.interchange import export_tables, load_files
from tests.interchange_files import TRADES_HEADER, fingerprint, trade_line, write_trades

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def target(request, desk_db, tmp_path):
    """A fresh database (SQLite file or PostgreSQL) holding the demo dataset, loaded from its export."""
    url = f"sqlite:///{tmp_path / 'kill.db'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    export_tables(desk_db, tmp_path / "demo")
    db = Database.from_url(url, ensure_demo=False)
    load_files(db, [tmp_path / "demo"])
    yield db
    db.engine.dispose()


def _load_and_kill(url: str, path: Path, marker: str) -> list[str]:
    env = {**os.environ, "FXDESK_DATABASE_URL": url}
    proc = subprocess.Popen([sys.executable, "-m", "server.cli", "data", "load", str(path)], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen = []
    try:
        for line in proc.stderr:
            seen.append(line.strip())
            if marker in line:
                proc.send_signal(signal.SIGKILL)
                break
    finally:
        proc.kill()
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, seen
    assert any(marker in s for s in seen), seen
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("target", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
@pytest.mark.parametrize("marker", ["trades.csv: 100,000 rows read", "merging 250,000 trades rows"])
def test_a_load_killed_mid_way_leaves_the_database_unchanged(target, tmp_path, marker):
    """Issue 14: SIGKILL during a large load (while reading, and while merging into trades) changes nothing."""
    big = write_trades(tmp_path / "trades.csv", 250_000)
    url = target.engine.url.render_as_string(hide_password=False)
    before = fingerprint(target, tmp_path / "before")
    _load_and_kill(url, big, marker)
    target.engine.dispose()
    after_db = Database.from_url(url, ensure_demo=False)
    try:
        assert fingerprint(after_db, tmp_path / "after") == before
        small = tmp_path / "small" / "trades.csv"
        small.parent.mkdir()
        small.write_text(f"{TRADES_HEADER}\n{trade_line('K1')}\n")
        assert load_files(after_db, [small]).tables["trades"].inserted == 1  # not locked, not corrupt
    finally:
        after_db.engine.dispose()
