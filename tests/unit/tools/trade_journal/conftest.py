"""A tiny hand-made desk database for the journal and psychology tools, every figure checkable by hand.

As of Friday 2026-11-20. Closes: USDJPY 150.00 (19th) and 160.00 (20th); GBPUSD 1.20 (19th) and
1.25 (20th); EURUSD 1.08 both days; USDMXN 17.10 both days.

|trade|trader|customer|book  |pair  |side|notional|rate  |opened    |exit rate|closed    |P&L USD    |
|-----|------|--------|------|------|----|--------|------|----------|---------|----------|-----------|
|T1   |aruna |Cust201 |FX-G10|EURUSD|BUY |1m      |1.0800|19th 09:00|1.0850   |19th 10:00|+5,000     |
|T2   |aruna |Cust203 |FX-G10|USDJPY|SELL|1m      |150.00|19th 10:30|151.20   |19th 11:00|−8,000 (1) |
|T3   |aruna |Cust201 |FX-G10|EURGBP|BUY |1m      |0.8500|19th 12:00|0.8520   |20th 09:00|+2,500 (2) |
|T4   |aruna |Cust201 |FX-G10|EURUSD|BUY |2m      |1.0900|20th 10:00|open     |          |           |
|T5   |li    |Cust310 |FX-EM |USDMXN|BUY |3m      |17.50 |20th 10:00|17.60    |20th 11:00|(li's)     |
|T6   |ben   |Cust216 |FX-G10|EURUSD|SELL|1m      |1.0900|20th 10:00|1.0800   |20th 11:00|(ben's)    |
|T7   |aruna |Cust201 |FX-G10|EURUSD|BUY |1m      |1.0800|20th 12:00|1.0900   |23rd 09:00|after as-of|

(1) −1m × (151.20 − 150.00) = −1,200,000 JPY at the exit day's USDJPY 150.00 → −8,000 USD.
(2) +1m × 0.0020 = +2,000 GBP at the exit day's GBPUSD 1.25 → +2,500 USD (1.20 on the trade day).
T7 closes after the desk date, so on 2026-11-20 it is still open.

Journal: entry 1 by aruna on T1 tagged "breakout"; entry 2 by aruna on T3 tagged "breakout,news";
entry 3 by li on T5 tagged "carry".
"""

from datetime import date, datetime

import pytest
from sqlalchemy import insert

from data import schema
from data.database import Database
from tools.context import Context

AS_OF = date(2026, 11, 20)

ARUNA = Context(user_id="trader_aruna", role="trader", books=("FX-G10",), customers=("Cust201", "Cust203"))
LI = Context(user_id="trader_li", role="trader", books=("FX-EM",), customers=("Cust310",))
SAM = Context(user_id="onboarding_sam", role="onboarding", books=(), customers=("Cust201", "Cust310"))


def _dt(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute)


def _trade(tid, trader, customer, book, pair, side, notional, rate, opened, exit_rate=None, closed=None):
    return {"trade_id": tid, "trader": trader, "customer": customer, "book": book, "pair": pair, "product": "SPOT",
            "side": side, "notional": notional, "rate": rate, "trade_time": opened, "booking_time": opened,
            "value_date": date(2026, 11, 24), "exit_rate": exit_rate, "exit_time": closed}


@pytest.fixture
def tiny_db(tmp_path):
    db = Database.from_url(f"sqlite:///{tmp_path / 'journal.db'}", ensure_demo=False)
    schema.metadata.create_all(db.engine)
    pairs = {"EURUSD": ("EUR", "USD", "G10", "FX-G10", 5), "USDJPY": ("USD", "JPY", "G10", "FX-G10", 3),
             "GBPUSD": ("GBP", "USD", "G10", "FX-G10", 5), "EURGBP": ("EUR", "GBP", "G10", "FX-G10", 5),
             "USDMXN": ("USD", "MXN", "EM", "FX-EM", 4)}
    closes = {"USDJPY": (150.0, 160.0), "GBPUSD": (1.20, 1.25), "EURUSD": (1.08, 1.08), "EURGBP": (0.85, 0.85),
              "USDMXN": (17.10, 17.10)}
    with db.engine.begin() as conn:
        conn.execute(insert(schema.meta), [{"key": "as_of", "value": AS_OF.isoformat()}])
        conn.execute(insert(schema.pairs), [
            {"pair": p, "base": b, "quote": q, "region": r, "book": bk, "decimals": d}
            for p, (b, q, r, bk, d) in pairs.items()])
        conn.execute(insert(schema.rates), [
            {"pair": p, "day": date(2026, 11, day), "open": c, "high": c, "low": c, "close": c}
            for p, both in closes.items() for day, c in zip((19, 20), both, strict=True)])
        conn.execute(insert(schema.books), [{"book": "FX-G10", "description": "", "var_limit_usd": 1e6},
                                            {"book": "FX-EM", "description": "", "var_limit_usd": 1e6}])
        conn.execute(insert(schema.customers), [
            {"customer": c, "name": c, "kyc_status": "approved", "credit_limit_usd": 1e7}
            for c in ("Cust201", "Cust203", "Cust216", "Cust310")])
        conn.execute(insert(schema.role_grants), [
            {"role": "trader", "desk": "trade_journal", "tools": "*"},
            {"role": "trader", "desk": "psychology", "tools": "*"},
            {"role": "onboarding", "desk": "compliance", "tools": "get_kyc_status,screen_restricted"},
        ])
        conn.execute(insert(schema.trades), [
            _trade("T1", "trader_aruna", "Cust201", "FX-G10", "EURUSD", "BUY", 1e6, 1.0800, _dt(19, 9), 1.0850,
                   _dt(19, 10)),
            _trade("T2", "trader_aruna", "Cust203", "FX-G10", "USDJPY", "SELL", 1e6, 150.00, _dt(19, 10, 30), 151.20,
                   _dt(19, 11)),
            _trade("T3", "trader_aruna", "Cust201", "FX-G10", "EURGBP", "BUY", 1e6, 0.8500, _dt(19, 12), 0.8520,
                   _dt(20, 9)),
            _trade("T4", "trader_aruna", "Cust201", "FX-G10", "EURUSD", "BUY", 2e6, 1.0900, _dt(20, 10)),
            _trade("T5", "trader_li", "Cust310", "FX-EM", "USDMXN", "BUY", 3e6, 17.50, _dt(20, 10), 17.60,
                   _dt(20, 11)),
            _trade("T6", "trader_ben", "Cust216", "FX-G10", "EURUSD", "SELL", 1e6, 1.0900, _dt(20, 10), 1.0800,
                   _dt(20, 11)),
            _trade("T7", "trader_aruna", "Cust201", "FX-G10", "EURUSD", "BUY", 1e6, 1.0800, _dt(20, 12), 1.0900,
                   _dt(23, 9)),
        ])
        conn.execute(insert(schema.journal), [
            {"user_id": "trader_aruna", "book": "FX-G10", "trade_id": "T1", "pair": "EURUSD", "setup_tags": "breakout",
             "emotions": "calm", "notes": "plan", "created_at": _dt(19, 10, 30), "updated_at": _dt(19, 10, 30)},
            {"user_id": "trader_aruna", "book": "FX-G10", "trade_id": "T3", "pair": "EURGBP",
             "setup_tags": "breakout,news", "emotions": "", "notes": "cpi", "created_at": _dt(20, 9, 30),
             "updated_at": _dt(20, 9, 30)},
            {"user_id": "trader_li", "book": "FX-EM", "trade_id": "T5", "pair": "USDMXN", "setup_tags": "carry",
             "emotions": "", "notes": "", "created_at": _dt(20, 11, 30), "updated_at": _dt(20, 11, 30)},
        ])
    yield db
    db.engine.dispose()
