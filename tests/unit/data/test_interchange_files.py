"""Issue 14: bad input files (not CSV, wrong header, encoding, empty, huge) get a clear message and write nothing."""

from __future__ import annotations

import gzip
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data import schema
from data.interchange import TABLE_ORDER, LoadRejected, format_markdown, load_files
from data.interchange.reader import table_of
from tests.interchange_files import TRADES_HEADER, trade_line
from tools.context import ROLES


def _refused(db, path: Path) -> str:
    with pytest.raises(LoadRejected) as err:
        load_files(db, [path])
    with db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.trades)).scalar_one() == 0
    [error] = err.value.report.errors
    return str(error)


def test_a_file_that_is_not_csv_is_refused(reference_db, tmp_path):
    path = tmp_path / "trades.csv"
    path.write_text('{"trade_id": "T1", "notional": 5}\n')
    assert "not a CSV table for trades: the first line is no header of it" in _refused(reference_db, path)


def test_semicolon_separated_file_says_to_use_commas(reference_db, tmp_path):
    path = tmp_path / "trades.csv"
    path.write_text(TRADES_HEADER.replace(",", ";") + "\n")
    assert "fields are separated by ';'; use commas" in _refused(reference_db, path)


def test_a_spreadsheet_saved_as_csv_name_is_refused(reference_db, tmp_path):
    path = tmp_path / "trades.csv"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert "an .xlsx workbook" in _refused(reference_db, path)


def test_wrong_header_lists_unknown_and_missing_columns(reference_db, tmp_path):
    path = tmp_path / "trades.csv"
    path.write_text(TRADES_HEADER.replace("notional", "amount") + "\n" + trade_line() + "\n")
    message = _refused(reference_db, path)
    assert "trades.csv:1: wrong header for trades: unknown column(s) 'amount'; missing column(s) notional" in message
    assert "Expected: trade_id,trader," in message


def test_wrong_encoding_names_the_line(reference_db, tmp_path):
    path = tmp_path / "trades.csv"
    bad = trade_line("N2", trader="trader_jos\xe9")
    text = f"{TRADES_HEADER}\n{trade_line('N1')}\n{bad}\n"
    path.write_bytes(text.encode("latin-1"))
    assert "trades.csv:3: not UTF-8 text (byte 0xe9" in _refused(reference_db, path)


def test_empty_file_is_refused(reference_db, tmp_path):
    path = tmp_path / "trades.csv"
    path.write_bytes(b"")
    assert "trades.csv: empty file: expected a header row (trade_id,trader," in _refused(reference_db, path)


def test_a_2_gb_file_without_line_breaks_is_refused_at_once(reference_db, tmp_path):
    """Issue 14: a 2 GB file gets a clear message; it is streamed, never read whole (a sparse file here)."""
    path = tmp_path / "trades.csv"
    with path.open("wb") as out:
        out.write(b"trade_id" + b"x" * (2 << 20))
        out.truncate(2 << 30)
    assert "trades.csv:1: line longer than 1 MiB: not a CSV table" in _refused(reference_db, path)


def test_binary_file_is_refused(reference_db, tmp_path):
    path = tmp_path / "trades.csv"
    path.write_bytes(TRADES_HEADER.encode() + b"\n\x00\x01\x02\n")
    assert "NUL bytes" in _refused(reference_db, path)


def test_corrupt_gzip_is_refused(reference_db, tmp_path):
    path = tmp_path / "trades.csv.gz"
    path.write_bytes(gzip.compress(f"{TRADES_HEADER}\n{trade_line()}\n".encode())[:30])
    assert "corrupt gzip data" in _refused(reference_db, path)


def test_unknown_file_name_is_refused_before_reading(reference_db, tmp_path):
    path = tmp_path / "positions.csv"
    path.write_text("a,b\n")
    assert "cannot tell which table this file holds" in _refused(reference_db, path)


def test_gzip_bom_reordered_columns_and_left_out_optional_columns_load(reference_db, tmp_path):
    header = "side,trade_id,trader,customer,book,pair,product,notional,rate,trade_time,booking_time,value_date"
    row = "buy,N1,trader_aruna,Cust203,FX-G10,EURUSD,spot,2000000,1.0812,2026-11-20T10:00:00+01:00," \
          "2026-11-20 09:01:00,2026-11-24"
    path = tmp_path / "trades-extra.csv.gz"
    path.write_bytes(gzip.compress(("\ufeff" + header + "\n" + row + "\n").encode("utf-8")))
    report = load_files(reference_db, [path])
    assert report.tables["trades"].inserted == 1
    with reference_db.engine.connect() as conn:
        trade = conn.execute(select(schema.trades)).mappings().one()
    assert trade["side"] == "BUY" and trade["product"] == "SPOT" and trade["exit_rate"] is None
    assert trade["trade_time"] == datetime(2026, 11, 20, 9, 0)  # +01:00 stored as naive UTC


def test_header_only_file_loads_no_rows(reference_db, tmp_path):
    path = tmp_path / "trades.csv"
    path.write_text(TRADES_HEADER + "\n")
    assert load_files(reference_db, [path]).tables["trades"].rows == 0


@pytest.mark.parametrize(("name", "table"), [
    ("trades.csv", "trades"), ("TRADES.CSV.GZ", "trades"), ("trades-2026-11.csv", "trades"),
    ("rates.2026-11-23.csv", "rates"), ("user_books.csv", "user_books"), ("users.csv", "users"),
    ("trades.txt", None), ("tradesx.csv", None),
])
def test_file_names_map_to_tables(name, table):
    found = table_of(Path(name))
    assert (found.name if found else None) == table


def test_format_table_documents_every_column_and_roles_match_the_context():
    text = format_markdown()
    for table in TABLE_ORDER:
        assert f"| {table}.csv | " in text
    assert "| trades.csv | `notional` | float | base currency | yes | `1000000` |" in text
    from data.interchange.format import ROLES as FORMAT_ROLES
    assert FORMAT_ROLES == ROLES


def test_the_readme_column_table_is_the_generated_one():
    """The README's table of files and columns is `format_markdown()` word for word (no file left out)."""
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    assert format_markdown() in readme
