"""A demo book of any size in the interchange format: the demo's reference data and N trades, streamed to CSV.

The trades come from the demo generator (`data.demo_trades.generate_trades`, same traders,
customers, pairs, sizes, exits and behaviours) run again with further seeds until N trades are
written, ids ``T0000001`` upwards. The market, books, limits, customers and users are the demo's
(limits are sized for the demo book, so a large book breaches them: that is fine for timing).
Used by ``benchmarks/book_scale.py`` and the large-load tests.
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import numpy as np
from sqlalchemy import create_engine

from data.calendar import business_days
from data.database import Database
from data.demo import AS_OF, RATE_DAYS, SEED, build_demo
from data.demo_market import build_ohlc, simulate_usd_values
from data.demo_trades import generate_trades
from data.interchange.exporter import export_tables
from data.interchange.format import BY_NAME

__all__ = ["write_scaled_book"]


def write_scaled_book(directory: Path | str, trades: int, *, seed: int = SEED, compress: bool = False) -> int:
    """Write the demo reference tables and ``trades`` generated trades to ``directory``; return rows written.

    Args:
        directory: created if missing; gets one CSV per table (no journal: its trade links are the demo's).
        trades: how many trades to write.
        seed: the demo seed (the market is the demo's; further batches use ``[seed, k]``).
        compress: write ``.csv.gz``.

    """
    out = Path(directory)
    engine = create_engine("sqlite://")
    build_demo(engine, seed=seed)
    reference = [name for name in BY_NAME if name not in ("trades", "journal")]
    written = sum(export_tables(Database(engine), out, compress=compress, tables=reference).values())
    engine.dispose()
    rng = np.random.default_rng(seed)
    days = business_days(AS_OF, RATE_DAYS)
    ohlc = build_ohlc(rng, days, simulate_usd_values(rng, len(days)))  # the demo's market, same draws
    columns = [c.name for c in BY_NAME["trades"].columns]
    path = out / f"trades.csv{'.gz' if compress else ''}"
    raw = gzip.open(path, "wb", compresslevel=3) if compress else path.open("wb")
    count, batch = 0, 0
    with raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(columns)
        while count < trades:
            for row in generate_trades(np.random.default_rng([seed, batch]), days, ohlc):
                if count >= trades:
                    break
                count += 1
                row["trade_id"] = f"T{count:07d}"
                writer.writerow(["" if row[c] is None else row[c] for c in columns])
            batch += 1
    return written + count
