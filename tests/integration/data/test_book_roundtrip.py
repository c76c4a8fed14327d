"""Issue 14: export then load into an empty database gives identical tool results, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv

import pytest

from data.database import Database
from data.interchange import TABLE_ORDER, export_tables, load_files
from tests.tool_probes import READ_ONLY, ToolProbe


@pytest.fixture
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return request.getfixturevalue("postgres_url")


def _backend(db: Database) -> str:
    return db.engine.dialect.name


@pytest.mark.slow
@pytest.mark.parametrize("empty_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_export_then_load_into_an_empty_database_gives_identical_tool_results(desk_db_any, empty_url, tmp_path):
    if _backend(desk_db_any) != ("sqlite" if empty_url.startswith("sqlite") else "postgresql"):
        pytest.skip("round trip within one backend")
    out = tmp_path / "export"
    counts = export_tables(desk_db_any, out, compress=True)
    assert set(counts) == set(TABLE_ORDER) and counts["trades"] > 5000
    target = Database.from_url(empty_url, ensure_demo=False)
    try:
        report = load_files(target, [out])
        assert report.committed and report.tables["trades"].inserted == counts["trades"]
        assert target.as_of == desk_db_any.as_of
        source_probe, target_probe = ToolProbe(desk_db_any), ToolProbe(target)
        for name in READ_ONLY:
            expected = source_probe(name)
            assert expected.get("status") == "ok", (name, expected)
            assert target_probe(name) == expected, name
        # The journal's ids continue after the loaded ones (PostgreSQL's serial sequence is moved past them).
        with open(out / "journal.csv.gz", "rb") as raw:
            import gzip
            ids = [int(r["entry_id"]) for r in csv.DictReader(gzip.open(raw, "rt", encoding="utf-8"))]
        added = target_probe("add_journal_entry", pair="EURUSD", setup_tags=["breakout"], notes="after the load")
        assert added["status"] == "ok" and added["entry"]["entry_id"] == max(ids) + 1, added
        again = export_tables(target, tmp_path / "again", tables=[t for t in TABLE_ORDER if t != "journal"])
        for name, rows in again.items():
            assert rows == counts[name], name
    finally:
        target.engine.dispose()
