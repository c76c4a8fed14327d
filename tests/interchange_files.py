"""Helpers for interchange tests: the demo exported once, crafted CSV files, a database fingerprint."""

from __future__ import annotations

import hashlib
from pathlib import Path

from data.database import Database
from data.interchange import export_tables

TRADES_HEADER = ("trade_id,trader,customer,book,pair,product,side,notional,rate,trade_time,booking_time,"
                 "value_date,exit_rate,exit_time")
RATES_HEADER = "pair,day,open,high,low,close"


def trade_line(trade_id: str = "N0000001", *, customer: str = "Cust203", book: str = "FX-G10", pair: str = "EURUSD",
               side: str = "BUY", notional: str = "1000000", rate: str = "1.0812",
               trade_time: str = "2026-11-20 09:00:00", booking_time: str = "2026-11-20 09:01:00",
               value_date: str = "2026-11-24", exit_rate: str = "", exit_time: str = "",
               product: str = "SPOT", trader: str = "trader_aruna") -> str:
    """Return one CSV line of a valid trade, with the given fields replaced."""
    return ",".join((trade_id, trader, customer, book, pair, product, side, notional, rate, trade_time,
                     booking_time, value_date, exit_rate, exit_time))


def write_trades(path: Path, count: int, *, bad_at: int | None = None, prefix: str = "N") -> Path:
    """Write ``count`` valid trades (line 2 onwards), the one at data row ``bad_at`` with a negative notional."""
    with path.open("w", encoding="utf-8") as out:
        out.write(TRADES_HEADER + "\n")
        for i in range(1, count + 1):
            notional = "-5" if i == bad_at else str(100_000 * (1 + i % 50))
            minute = i % 60
            out.write(trade_line(f"{prefix}{i:07d}", customer=f"Cust{201 + i % 15}", notional=notional,
                                 side="BUY" if i % 2 else "SELL", trade_time=f"2026-11-1{i % 10} 09:{minute:02d}:00",
                                 booking_time=f"2026-11-1{i % 10} 09:{minute:02d}:30") + "\n")
    return path


def fingerprint(db: Database, tmp: Path) -> dict[str, str]:
    """Return table -> sha256 of its export: two databases with equal fingerprints hold the same rows."""
    counts = export_tables(db, tmp)
    return {name: f"{counts[name]}:" + hashlib.sha256((tmp / f"{name}.csv").read_bytes()).hexdigest()
            for name in counts}
