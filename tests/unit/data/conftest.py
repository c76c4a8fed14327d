"""Fixtures of the interchange tests: the demo exported once, and a fresh database holding its reference data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from data.database import Database
from data.interchange import export_tables, load_files


@pytest.fixture(scope="session")
def demo_export(desk_db, tmp_path_factory) -> Path:
    """The demo dataset in the interchange format (read-only: copy before changing)."""
    out = tmp_path_factory.mktemp("demo-export")
    export_tables(desk_db, out)
    return out


@pytest.fixture(scope="session")
def _reference_template(demo_export, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("reference-db") / "reference.db"
    db = Database.from_url(f"sqlite:///{path}", ensure_demo=False)
    reference = [p for p in demo_export.iterdir() if p.name not in ("trades.csv", "journal.csv")]
    load_files(db, reference)
    db.engine.dispose()
    return path


@pytest.fixture
def reference_db(_reference_template, tmp_path) -> Database:
    """A fresh SQLite database with the demo's books, pairs, rates, customers and users but no trades."""
    path = tmp_path / "desk.db"
    shutil.copy(_reference_template, path)
    db = Database.from_url(f"sqlite:///{path}", ensure_demo=False)
    yield db
    db.engine.dispose()
