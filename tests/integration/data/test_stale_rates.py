"""Issue 14: tools say when rates are stale or missing for a pair in scope, instead of using old prices silently."""

from __future__ import annotations

from datetime import date

import pytest

from data.database import Database
from data.interchange import export_tables, load_files
from tests.interchange_files import TRADES_HEADER, trade_line
from tests.tool_probes import ToolProbe


@pytest.fixture
def desk_copy(desk_db, tmp_path):
    export_tables(desk_db, tmp_path / "demo")
    db = Database.from_url(f"sqlite:///{tmp_path / 'stale.db'}", ensure_demo=False)
    load_files(db, [tmp_path / "demo"])
    yield db
    db.engine.dispose()


def _warnings(result: dict) -> list[dict]:
    assert result["status"] == "ok", result
    return result.get("rate_warnings", [])


def test_complete_closes_give_no_warning(desk_copy):
    assert _warnings(ToolProbe(desk_copy)("get_net_open_position")) == []


def test_trades_dealt_after_the_last_complete_close_are_announced(desk_copy, tmp_path):
    path = tmp_path / "trades.csv"
    path.write_text(f"{TRADES_HEADER}\n" + trade_line("N1", trade_time="2026-11-23 09:00:00",
                                                      booking_time="2026-11-23 09:01:00", value_date="2026-11-25")
                    + "\n")
    load_files(desk_copy, [path])
    [warning] = _warnings(ToolProbe(desk_copy)("get_pnl"))
    assert warning["code"] == "trades_after_as_of" and warning["book"] == "FX-G10" and warning["trades"] == 1
    assert "1 FX-G10 trade(s) dealt after 2026-11-20 are not included" in warning["message"]


def test_an_as_of_past_the_last_close_warns_per_pair_with_its_last_close(desk_copy):
    later = Database(desk_copy.engine, as_of=date(2026, 11, 24))  # FXDESK_AS_OF past the last close
    warnings = _warnings(ToolProbe(later)("get_net_open_position", book="FX-G10"))
    stale = {w["pair"]: w for w in warnings if w["code"] == "stale_rates"}
    assert set(stale) == {"EURUSD", "GBPUSD", "USDJPY", "AUDUSD", "USDCHF", "USDCAD", "NZDUSD", "EURGBP", "EURJPY"}
    assert stale["EURUSD"]["last_close"] == "2026-11-20" and stale["EURUSD"]["as_of"] == "2026-11-24"
    assert "the last EURUSD close is 2026-11-20, older than the as-of date 2026-11-24" in stale["EURUSD"]["message"]


def test_a_pair_without_any_close_is_reported_missing(desk_copy, tmp_path):
    (tmp_path / "pairs.csv").write_text("pair,base,quote,region,book,decimals\nUSDSEK,USD,SEK,G10,FX-G10,4\n")
    load_files(desk_copy, [tmp_path / "pairs.csv"])
    assert desk_copy.as_of == date(2026, 11, 20)  # a pair without rates does not hold the as-of back
    result = ToolProbe(desk_copy)("get_limit_utilisation")
    missing = [w for w in _warnings(result) if w["code"] == "missing_rates"]
    assert [(w["pair"], w["book"]) for w in missing] == [("USDSEK", "FX-G10")]
    assert "No close for USDSEK on or before 2026-11-20" in missing[0]["message"]
    assert _warnings(ToolProbe(desk_copy)("get_kyc_status")) == []  # reads no market data
