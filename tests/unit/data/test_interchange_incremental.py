"""Issue 14: loads are idempotent, upsert by key with an audit row per amendment, and new closes move the as-of."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from data import schema
from data.database import Database
from data.interchange import load_files
from tests.interchange_files import RATES_HEADER, TRADES_HEADER, trade_line


def _amendments(db) -> list[dict]:
    a = schema.audit
    with db.engine.connect() as conn:
        rows = conn.execute(select(a).where(a.c.tool == "data_load", a.c.decision == "amended")
                            .order_by(a.c.audit_id)).mappings().all()
    return [dict(r) for r in rows]


def test_loading_the_same_file_twice_changes_nothing(reference_db, tmp_path):
    path = tmp_path / "trades.csv"
    path.write_text(f"{TRADES_HEADER}\n{trade_line('N1')}\n{trade_line('N2', side='SELL')}\n")
    first = load_files(reference_db, [path])
    second = load_files(reference_db, [path])
    assert vars(first.tables["trades"]) == {"rows": 2, "inserted": 2, "updated": 0, "unchanged": 0}
    assert vars(second.tables["trades"]) == {"rows": 2, "inserted": 0, "updated": 0, "unchanged": 2}
    assert _amendments(reference_db) == []


def test_an_amendment_updates_the_trade_and_leaves_an_audit_row_saying_what_changed(reference_db, tmp_path):
    """Issue 14: a later file upserts by trade id; the amendment is audited with old and new values."""
    (tmp_path / "day1").mkdir()
    (tmp_path / "day2").mkdir()
    (tmp_path / "day1" / "trades.csv").write_text(f"{TRADES_HEADER}\n{trade_line('N1')}\n{trade_line('N2')}\n")
    amended = trade_line("N1", rate="1.0815", exit_rate="1.0850", exit_time="2026-11-20 15:30:00")
    (tmp_path / "day2" / "trades.csv").write_text(f"{TRADES_HEADER}\n{amended}\n{trade_line('N3')}\n")
    load_files(reference_db, [tmp_path / "day1"])
    report = load_files(reference_db, [tmp_path / "day2"], by="ops_loader")
    assert vars(report.tables["trades"]) == {"rows": 2, "inserted": 1, "updated": 1, "unchanged": 0}
    [audit] = _amendments(reference_db)
    assert audit["user_id"] == "ops_loader" and audit["role"] == "loader"
    assert json.loads(audit["args"]) == {"table": "trades", "key": {"trade_id": "N1"}}
    assert json.loads(audit["detail"]) == {"rate": {"old": 1.0812, "new": 1.0815},
                                           "exit_rate": {"old": None, "new": 1.085},
                                           "exit_time": {"old": None, "new": "2026-11-20 15:30:00"}}
    with reference_db.engine.connect() as conn:
        trade = conn.execute(select(schema.trades).where(schema.trades.c.trade_id == "N1")).mappings().one()
    assert trade["rate"] == 1.0815 and trade["exit_rate"] == 1.085
    assert load_files(reference_db, [tmp_path / "day2"]).tables["trades"].unchanged == 2
    assert len(_amendments(reference_db)) == 1


def _closes(day: str, pairs) -> str:
    return "\n".join(f"{p},{day},1.0,1.2,0.9,1.1" for p in pairs)


def test_a_new_days_closes_append_and_move_the_as_of_date(reference_db, tmp_path):
    with reference_db.engine.connect() as conn:
        pairs = list(conn.execute(select(schema.pairs.c.pair)).scalars())
    assert reference_db.as_of == date(2026, 11, 20)
    path = tmp_path / "rates-2026-11-23.csv"
    path.write_text(f"{RATES_HEADER}\n{_closes('2026-11-23', pairs)}\n")
    report = load_files(reference_db, [path])
    assert report.tables["rates"].inserted == len(pairs) and report.as_of == date(2026, 11, 23)
    assert reference_db.as_of == date(2026, 11, 23)
    partial = tmp_path / "rates-2026-11-24.csv"
    partial.write_text(f"{RATES_HEADER}\n{_closes('2026-11-24', pairs[:3])}\n")
    assert load_files(reference_db, [partial]).as_of == date(2026, 11, 23)  # not complete: as-of stays
    assert Database(reference_db.engine, as_of=date(2026, 11, 18)).as_of == date(2026, 11, 18)  # the override
