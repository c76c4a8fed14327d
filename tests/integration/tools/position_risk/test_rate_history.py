"""get_rate_history: daily candles read back against the rates table, scoped by the pair's book (issue 9)."""

from __future__ import annotations

from sqlalchemy import text


def _raw_rows(db, pair: str, start: str, end: str) -> list[tuple]:
    query = text("SELECT day, open, high, low, close FROM rates WHERE pair = :p AND day >= :s AND day <= :e "
                 "ORDER BY day")
    with db.engine.connect() as conn:
        return [(str(r[0])[:10], *r[1:]) for r in conn.execute(query, {"p": pair, "s": start, "e": end})]


def test_rate_history_candles_equal_the_rates_table_rows(call_tool, desk_db_any):
    result, _ = call_tool("trader_aruna", "get_rate_history", pair="eur/usd", window="2026-11-16..2026-11-20")
    assert result["status"] == "ok" and result["pair"] == "EURUSD" and result["book"] == "FX-G10"
    raw = _raw_rows(desk_db_any, "EURUSD", "2026-11-16", "2026-11-20")
    assert len(raw) == 5  # Monday to Friday
    got = [(c["day"], c["open"], c["high"], c["low"], c["close"]) for c in result["candles"]]
    assert [g[0] for g in got] == [r[0] for r in raw]
    for g, r in zip(got, raw, strict=True):
        assert all(abs(a - b) < 1e-5 for a, b in zip(g[1:], r[1:], strict=True))
        assert g[3] <= min(g[1], g[4]) and g[2] >= max(g[1], g[4])  # low <= open, close <= high


def test_rate_history_refuses_a_pair_outside_the_callers_books(call_tool):
    result, _ = call_tool("trader_li", "get_rate_history", pair="EURUSD")
    assert result["status"] == "not_entitled" and "candles" not in result


def test_rate_history_rejects_an_unknown_pair(call_tool):
    result, _ = call_tool("trader_aruna", "get_rate_history", pair="EURXYZ")
    assert result["status"] == "error"
