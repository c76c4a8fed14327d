"""Issue 14: every row is validated before anything is written; errors name file, line, column and reason."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from data import schema
from data.interchange import LoadRejected, load_files
from tests.interchange_files import RATES_HEADER, TRADES_HEADER, trade_line, write_trades


def _trade_count(db) -> int:
    with db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.trades)).scalar_one()


def _rejected(db, path, **kwargs) -> list:
    before = _trade_count(db)
    with pytest.raises(LoadRejected) as err:
        load_files(db, [path], **kwargs)
    assert _trade_count(db) == before, "a refused load wrote trades"
    return err.value.report.errors


@pytest.mark.parametrize(("line", "column", "reason"), [
    (trade_line(notional="0"), "notional", "must be greater than 0"),
    (trade_line(notional="-250000"), "notional", "must be greater than 0"),
    (trade_line(notional='"1,000,000"'), "notional", "no thousands separators"),
    (trade_line(notional="abc"), "notional", "is not a number"),
    (trade_line(pair="EURXYZ"), "pair", "unknown pair 'EURXYZ'"),
    (trade_line(side="HOLD"), "side", "'HOLD' is not one of BUY | SELL"),
    (trade_line(product="SWAP"), "product", "not one of SPOT | FORWARD"),
    (trade_line(trade_time="yesterday"), "trade_time", "is not a date-time"),
    (trade_line(value_date="24/11/2026"), "value_date", "is not a date (YYYY-MM-DD)"),
    (trade_line(value_date="1899-12-31"), "value_date", "out of range"),
    (trade_line(value_date="2026-11-19"), "value_date", "before the trade date 2026-11-20"),
    (trade_line(trade_time="2099-01-05 10:00:00", booking_time="2099-01-05 10:00:00", value_date="2099-01-07"),
     "trade_time", "in the future"),
    (trade_line(customer="Cust777"), "customer", "unknown customer 'Cust777'"),
    (trade_line(book="FX-XX"), "book", "unknown book 'FX-XX'"),
    (trade_line(exit_rate="1.09"), "exit_time", "an exit (exit_rate) without an exit time"),
    (trade_line(exit_time="2026-11-20 12:00:00"), "exit_rate", "an exit time without an exit_rate"),
    (trade_line(exit_rate="1.09", exit_time="2026-11-20 08:00:00"), "exit_time", "before the trade"),
    (trade_line(trade_id=""), "trade_id", "trade_id is required"),
    (trade_line(trade_id="T" * 17), "trade_id", "longer than 16 characters"),
    (trade_line() + ",extra", None, "expected 14 fields (as in the header), found 15"),
])
def test_each_invalid_trade_field_is_refused_with_file_line_column_and_reason(reference_db, tmp_path, line, column,
                                                                              reason):
    path = tmp_path / "trades.csv"
    path.write_text(f"{TRADES_HEADER}\n{trade_line('N0000001')}\n{line}\n", encoding="utf-8")
    errors = _rejected(reference_db, path)
    assert len(errors) == 1, errors
    error = errors[0]
    assert (error.file, error.line, error.column) == ("trades.csv", 3, column)
    assert reason in error.reason, error.reason
    assert str(error).startswith("trades.csv:3: ")


def test_duplicate_trade_ids_name_both_lines(reference_db, tmp_path):
    path = tmp_path / "trades.csv"
    path.write_text(f"{TRADES_HEADER}\n{trade_line('N1')}\n{trade_line('N2')}\n{trade_line('N1')}\n")
    [error] = _rejected(reference_db, path)
    assert (error.line, error.column) == (4, "trade_id")
    assert "duplicate trade_id=N1: already at trades.csv:2" in error.reason


def test_duplicate_trade_id_across_two_files_of_one_load(reference_db, tmp_path):
    (tmp_path / "trades-a.csv").write_text(f"{TRADES_HEADER}\n{trade_line('N1')}\n")
    (tmp_path / "trades-b.csv").write_text(f"{TRADES_HEADER}\n{trade_line('N1')}\n")
    [error] = _rejected(reference_db, tmp_path)
    assert error.file == "trades-b.csv" and "already at trades-a.csv:2" in error.reason


@pytest.mark.parametrize(("row", "column", "reason"), [
    ("EURUSD,2026-11-23,1.08,1.07,1.09,1.08", "low", "low 1.09 is above high 1.07"),
    ("EURUSD,2026-11-23,1.08,1.09,1.07,1.095", "close", "close 1.095 is outside the day's range 1.07-1.09"),
    ("EURUSD,2026-11-23,0,1.09,1.07,1.08", "open", "must be greater than 0"),
    ("XXXYYY,2026-11-23,1.08,1.09,1.07,1.08", "pair", "unknown pair"),
    ("EURUSD,2026-11-20,1.08,1.09,1.07,1.08\nEURUSD,2026-11-20,1.08,1.09,1.07,1.08", "pair", "duplicate"),
])
def test_invalid_rates_are_refused(reference_db, tmp_path, row, column, reason):
    path = tmp_path / "rates.csv"
    path.write_text(f"{RATES_HEADER}\n{row}\n")
    errors = _rejected(reference_db, path)
    assert errors[-1].column == column and reason in errors[-1].reason, errors


def test_all_errors_are_collected_not_just_the_first(reference_db, tmp_path):
    path = tmp_path / "trades.csv"
    path.write_text("\n".join([TRADES_HEADER, trade_line("N1", side="X"), trade_line("N2"),
                               trade_line("N3", notional="0", side="Y"), trade_line("N4", customer="C0")]) + "\n")
    errors = _rejected(reference_db, path)
    assert [(e.line, e.column) for e in errors] == [(2, "side"), (4, "side"), (4, "notional"), (5, "customer")]
    assert not any(e.reason == "" for e in errors)


def test_errors_stop_at_the_cap_and_say_so(reference_db, tmp_path):
    lines = [TRADES_HEADER] + [trade_line(f"N{i}", side="X") for i in range(20)]
    path = tmp_path / "trades.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(LoadRejected) as err:
        load_files(reference_db, [path], max_errors=5)
    assert len(err.value.report.errors) == 5 and err.value.report.truncated
    assert "stopped at the error cap" in str(err.value)


def test_a_valid_file_after_an_invalid_one_writes_nothing(reference_db, tmp_path):
    """Issue 14: one transaction for the whole load — the valid rates are not written either."""
    (tmp_path / "rates.csv").write_text(f"{RATES_HEADER}\nEURUSD,2026-11-23,1.08,1.09,1.07,1.08\n")
    (tmp_path / "trades.csv").write_text(f"{TRADES_HEADER}\n{trade_line('N1', side='X')}\n")
    _rejected(reference_db, tmp_path)
    with reference_db.engine.connect() as conn:
        assert conn.execute(select(func.max(schema.rates.c.day))).scalar().isoformat() == "2026-11-20"


def test_trade_may_reference_a_book_and_customer_from_the_same_load(reference_db, tmp_path):
    (tmp_path / "books.csv").write_text("book,description,var_limit_usd\nFX-NEW,New book,1000000\n")
    (tmp_path / "customers.csv").write_text(
        "customer,name,kyc_status,kyc_reviewed_on,kyc_expires_on,credit_limit_usd\nCust500,New Co,approved,,,1e7\n")
    (tmp_path / "trades.csv").write_text(f"{TRADES_HEADER}\n{trade_line('N1', book='FX-NEW', customer='Cust500')}\n")
    report = load_files(reference_db, [tmp_path / "trades.csv", tmp_path / "customers.csv", tmp_path / "books.csv"])
    assert report.committed and report.tables["trades"].inserted == 1


def test_dry_run_validates_and_writes_nothing(reference_db, tmp_path):
    path = write_trades(tmp_path / "trades.csv", 50)
    report = load_files(reference_db, [path], dry_run=True)
    assert report.ok and not report.committed and report.tables["trades"].rows == 50
    assert _trade_count(reference_db) == 0


@pytest.mark.slow
def test_one_bad_row_among_100000_loads_nothing_and_says_where(reference_db, tmp_path):
    """Issue 14: a bad row among 100,000 loads nothing and says where it is."""
    path = write_trades(tmp_path / "trades.csv", 100_000, bad_at=73_412)
    [error] = _rejected(reference_db, path)
    assert (error.file, error.line, error.column) == ("trades.csv", 73_413, "notional")


@pytest.mark.parametrize(("name", "text", "column", "reason"), [
    ("nop_limits.csv", "book,currency,limit_usd\nFX-XX,EUR,1e7\n", "book", "unknown book 'FX-XX'"),
    ("nop_limits.csv", "book,currency,limit_usd\nFX-G10,eur,1e7\n", "currency", "not a 3-letter upper-case"),
    ("nop_limits.csv", "book,currency,limit_usd\nFX-G10,EUR,-1\n", "limit_usd", "must be at least 0"),
    ("pairs.csv", "pair,base,quote,region,book,decimals\nUSDSEK,USD,NOK,G10,FX-G10,4\n", "base", "do not spell"),
    ("customers.csv", "customer,name,kyc_status,kyc_reviewed_on,kyc_expires_on,credit_limit_usd\n"
                      "Cust500,X,maybe,,,1e6\n", "kyc_status", "not one of approved | pending"),
    ("customers.csv", "customer,name,kyc_status,kyc_reviewed_on,kyc_expires_on,credit_limit_usd\n"
                      "Cust500,X,approved,2026-01-10,2025-01-10,1e6\n", "kyc_expires_on", "before the review"),
    ("users.csv", "user_id,name,role\nu1,U,boss\n", "role", "'boss' is not one of trader"),
    ("user_books.csv", "user_id,book\nnobody,FX-G10\n", "user_id", "unknown user 'nobody'"),
    ("user_customers.csv", "user_id,customer\ntrader_aruna,Cust777\n", "customer", "unknown customer"),
    ("role_grants.csv", "role,desk,tools\ntrader,trading,*\n", "desk", "'trading' is not one of position_risk"),
    ("restricted.csv", "kind,value,reason\npair,RUB,sanctions\n", "value", "is not a pair"),
    ("journal.csv", "entry_id,user_id,book,trade_id,pair,setup_tags,emotions,notes,created_at,updated_at\n"
                    "1,trader_aruna,FX-G10,T999999,,,,x,2026-11-20 10:00:00,2026-11-20 10:00:00\n",
     "trade_id", "unknown trade 'T999999'"),
])
def test_invalid_reference_data_is_refused(reference_db, tmp_path, name, text, column, reason):
    path = tmp_path / name
    path.write_text(text)
    [error] = _rejected(reference_db, path)
    assert (error.file, error.line, error.column) == (name, 2, column) and reason in error.reason, error


@pytest.mark.parametrize(("line", "column", "reason"), [
    ("2026-11-20,EURXYZ,1M,30,0.00215", "pair", "unknown pair 'EURXYZ'"),
    ("2026-11-20,EURUSD,1M,-3,0.00215", "tenor_days", "must be at least 0"),
    ("2026-11-20,EURUSD,1M,thirty,0.00215", "tenor_days", "is not a whole number"),
    ("2026-11-20,EURUSD,1M,30,abc", "points", "is not a number"),
    ("20/11/2026,EURUSD,1M,30,0.00215", "day", "is not a date (YYYY-MM-DD)"),
])
def test_each_invalid_forward_point_is_refused_with_file_line_column_and_reason(reference_db, tmp_path, line,
                                                                                column, reason):
    path = tmp_path / "forward_points.csv"
    path.write_text(f"day,pair,tenor,tenor_days,points\n2026-11-20,EURUSD,3M,91,0.0061\n{line}\n", encoding="utf-8")
    with reference_db.engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(schema.forward_points)).scalar_one()
    with pytest.raises(LoadRejected) as err:
        load_files(reference_db, [path])
    with reference_db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.forward_points)).scalar_one() == before
    errors = err.value.report.errors
    assert [(e.file, e.line, e.column) for e in errors] == [("forward_points.csv", 3, column)], errors
    assert reason in errors[0].reason, errors[0].reason
