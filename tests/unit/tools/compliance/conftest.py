"""A tiny hand-made desk database for the compliance tools, small enough to check every figure by hand.

As of Friday 2026-11-20. Closes that day: EURUSD 1.0900, GBPUSD 1.2500, USDJPY 150.00, USDMXN 17.10.

| trade | trader | customer | book   | pair   | side | notional | rate    | dealt       | booked      | closed      |
|-------|--------|----------|--------|--------|------|----------|---------|-------------|-------------|-------------|
| T1    | aruna  | Cust201  | FX-G10 | EURUSD | BUY  | 2m       | 1.0850  | 19th 10:00  | 10:05       | open        |
| T2    | aruna  | Cust201  | FX-G10 | GBPUSD | SELL | 1m       | 1.2550  | 19th 11:00  | 12:15 (75') | open        |
| T3    | aruna  | Cust203  | FX-G10 | EURUSD | BUY  | 1m       | 1.0746  | 19th 14:00  | 14:01       | open        |
| T4    | aruna  | Cust203  | FX-G10 | USDJPY | SELL | 0.5m     | 150.50  | 20th 09:00  | 09:40 (40') | 20th 12:00  |
| T5    | li     | Cust310  | FX-EM  | USDMXN | BUY  | 3m       | 17.50   | 20th 10:00  | 13:00 (180')| open        |
| T6    | ben    | Cust216  | FX-G10 | EURUSD | SELL | 1m       | 1.0900  | 20th 10:00  | 11:00 (60') | open        |

Credit limits (pre-settlement exposure, issue 13): Cust201 60,000, Cust203 25,000, Cust207 5m, Cust310 10m.
Ranges: EURUSD 19th 1.0800-1.0900, so T3 is 0.5 % below the low; USDMXN 20th 17.00-17.20, so T5
is (17.50 - 17.20) / 17.20 = 1.744 % above the high.
"""

from datetime import date, datetime

import pytest
from sqlalchemy import insert

from data import schema
from data.database import Database
from tools.context import Context

AS_OF = date(2026, 11, 20)
D19, D20 = date(2026, 11, 19), AS_OF

ARUNA = Context(user_id="trader_aruna", role="trader", books=("FX-G10",),
                customers=("Cust201", "Cust203", "Cust207"))
LI = Context(user_id="trader_li", role="trader", books=("FX-EM",), customers=("Cust310",))
ALL_CUSTOMERS = ("Cust201", "Cust203", "Cust207", "Cust216", "Cust310", "Cust999")
OMAR = Context(user_id="compliance_omar", role="compliance", books=("FX-G10", "FX-EM"), customers=ALL_CUSTOMERS)
MAYA = Context(user_id="analyst_maya", role="analyst", books=("FX-G10", "FX-EM"), customers=ALL_CUSTOMERS)
SAM = Context(user_id="onboarding_sam", role="onboarding", books=(), customers=ALL_CUSTOMERS)

_READ = ("get_limit_breaches,get_credit_utilisation,screen_restricted,get_off_market_trades,"
         "get_late_bookings,get_kyc_status")


def _t(trade_id, trader, customer, book, pair, side, notional, rate, dealt, booked, closed=None):
    return {"trade_id": trade_id, "trader": trader, "customer": customer, "book": book, "pair": pair,
            "product": "SPOT", "side": side, "notional": notional, "rate": rate, "trade_time": dealt,
            "booking_time": booked, "value_date": date(2026, 11, 24), "exit_rate": None if closed is None else rate,
            "exit_time": closed}


def fill(engine) -> None:
    """Write the table above (plus reference data) into an empty database."""
    schema.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(schema.meta), [{"key": "as_of", "value": AS_OF.isoformat()}])
        conn.execute(insert(schema.pairs), [
            {"pair": p, "base": p[:3], "quote": p[3:], "region": r, "book": b, "decimals": d}
            for p, r, b, d in (("EURUSD", "G10", "FX-G10", 5), ("GBPUSD", "G10", "FX-G10", 5),
                               ("USDJPY", "G10", "FX-G10", 3), ("USDMXN", "EM", "FX-EM", 4),
                               ("USDRUB", "EM", "FX-EM", 4))
        ])
        conn.execute(insert(schema.rates), [
            {"pair": p, "day": d, "open": c, "high": hi, "low": lo, "close": c}
            for p, d, lo, hi, c in (
                ("EURUSD", D19, 1.0800, 1.0900, 1.0850), ("EURUSD", D20, 1.0850, 1.0950, 1.0900),
                ("GBPUSD", D19, 1.2500, 1.2600, 1.2550), ("GBPUSD", D20, 1.2450, 1.2550, 1.2500),
                ("USDJPY", D19, 150.00, 151.00, 150.50), ("USDJPY", D20, 149.50, 150.80, 150.00),
                ("USDMXN", D19, 17.00, 17.20, 17.10), ("USDMXN", D20, 17.00, 17.20, 17.10),
                ("USDRUB", D19, 90.0, 92.0, 91.0), ("USDRUB", D20, 90.0, 92.0, 91.0))
        ])
        conn.execute(insert(schema.books), [
            {"book": "FX-G10", "description": "G10", "var_limit_usd": 40_000.0},
            {"book": "FX-EM", "description": "EM", "var_limit_usd": 100_000.0},
        ])
        conn.execute(insert(schema.nop_limits), [
            {"book": "FX-G10", "currency": "EUR", "limit_usd": 3_000_000.0},
            {"book": "FX-G10", "currency": "GBP", "limit_usd": 1_300_000.0},
            {"book": "FX-G10", "currency": "JPY", "limit_usd": 5_000_000.0},
            {"book": "FX-EM", "currency": "MXN", "limit_usd": 2_000_000.0},
        ])
        conn.execute(insert(schema.customers), [
            {"customer": c, "name": f"{c} Ltd", "kyc_status": s, "kyc_reviewed_on": rev, "kyc_expires_on": exp,
             "credit_limit_usd": lim}
            for c, s, rev, exp, lim in (
                ("Cust201", "approved", date(2025, 6, 1), date(2027, 6, 1), 60_000.0),
                ("Cust203", "approved", date(2024, 12, 20), date(2026, 12, 20), 25_000.0),
                ("Cust207", "pending", None, None, 5_000_000.0),
                ("Cust216", "approved", date(2025, 1, 10), date(2027, 1, 10), 5_000_000.0),
                ("Cust310", "approved", date(2025, 3, 1), date(2027, 3, 1), 10_000_000.0),
                ("Cust999", "rejected", date(2026, 1, 5), None, 0.0))
        ])
        conn.execute(insert(schema.restricted), [
            {"kind": "customer", "value": "Cust999", "reason": "Sanctions screening hit."},
            {"kind": "pair", "value": "USDRUB", "reason": "Sanctioned currency."},
        ])
        conn.execute(insert(schema.role_grants), [
            *({"role": "trader", "desk": d, "tools": "*"}
              for d in ("position_risk", "trade_journal", "psychology", "compliance")),
            {"role": "analyst", "desk": "compliance", "tools": _READ},
            {"role": "compliance", "desk": "compliance", "tools": "*"},
            {"role": "compliance", "desk": "position_risk", "tools": "*"},
            {"role": "onboarding", "desk": "compliance", "tools": "get_kyc_status,screen_restricted"},
        ])
        conn.execute(insert(schema.trades), [
            _t("T1", "trader_aruna", "Cust201", "FX-G10", "EURUSD", "BUY", 2e6, 1.0850,
               datetime(2026, 11, 19, 10), datetime(2026, 11, 19, 10, 5)),
            _t("T2", "trader_aruna", "Cust201", "FX-G10", "GBPUSD", "SELL", 1e6, 1.2550,
               datetime(2026, 11, 19, 11), datetime(2026, 11, 19, 12, 15)),
            _t("T3", "trader_aruna", "Cust203", "FX-G10", "EURUSD", "BUY", 1e6, 1.0746,
               datetime(2026, 11, 19, 14), datetime(2026, 11, 19, 14, 1)),
            _t("T4", "trader_aruna", "Cust203", "FX-G10", "USDJPY", "SELL", 5e5, 150.50,
               datetime(2026, 11, 20, 9), datetime(2026, 11, 20, 9, 40), datetime(2026, 11, 20, 12)),
            _t("T5", "trader_li", "Cust310", "FX-EM", "USDMXN", "BUY", 3e6, 17.50,
               datetime(2026, 11, 20, 10), datetime(2026, 11, 20, 13)),
            _t("T6", "trader_ben", "Cust216", "FX-G10", "EURUSD", "SELL", 1e6, 1.0900,
               datetime(2026, 11, 20, 10), datetime(2026, 11, 20, 11)),
        ])


@pytest.fixture
def tiny_db(tmp_path) -> Database:
    db = Database.from_url(f"sqlite:///{tmp_path / 'compliance.db'}", ensure_demo=False)
    fill(db.engine)
    return db
