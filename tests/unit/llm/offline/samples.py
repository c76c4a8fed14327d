"""Hand-made tool results shaped like the committed desk tools' results (small, with hand-worked figures)."""

from __future__ import annotations

SCOPE = {"books": ["FX-G10"], "customers": 15}
WINDOW = {"label": "last week", "start": "2026-11-09", "end": "2026-11-13"}

# long 1,000,000 EURUSD at 1.08, close 1.0825: +1,000,000 EUR, -1,080,000 USD; EUR worth 1,082,500 USD.
NOP = {"status": "ok", "as_of": "2026-11-20", "scope": SCOPE, "pair": "EURUSD", "currency": None,
       "currencies": [{"book": "FX-G10", "currency": "EUR", "position": 1000000.0, "usd_rate": 1.0825,
                       "usd_equivalent": 1082500.0},
                      {"book": "FX-G10", "currency": "USD", "position": -1080000.0, "usd_rate": 1.0,
                       "usd_equivalent": -1080000.0}],
       "pairs": [{"book": "FX-G10", "pair": "EURUSD", "net_base": 1000000.0, "net_quote": -1080000.0,
                  "average_rate": 1.08, "close": 1.0825, "base_usd_equivalent": 1082500.0,
                  "unrealised_pnl_usd": 2500.0, "open_trades": 1}],
       "books": [{"book": "FX-G10", "gross_usd": 1082500.0, "net_usd": 1082500.0}]}
PNL = {"status": "ok", "as_of": "2026-11-20", "scope": SCOPE, "pair": None, "window": WINDOW,
       "previous_close": "2026-11-06",
       "by_book": [{"book": "FX-G10", "pnl_usd": 1750.25, "realised_usd": -749.75, "unrealised_usd": 2500.0}],
       "by_pair": [{"book": "FX-G10", "pair": "EURUSD", "pnl_usd": 2500.0, "realised_usd": 0.0,
                    "unrealised_usd": 2500.0, "trades": 1},
                   {"book": "FX-G10", "pair": "GBPUSD", "pnl_usd": -749.75, "realised_usd": -749.75,
                    "unrealised_usd": 0.0, "trades": 2}],
       "total_pnl_usd": 1750.25}
VAR = {"status": "ok", "as_of": "2026-11-20", "scope": SCOPE, "method": "both", "confidence_pct": 99.0,
       "horizon_days": 1, "ewma_lambda": 0.94, "returns_used": 250,
       "by_book": [{"book": "FX-G10", "parametric_var_usd": 12345.67, "historical_var_usd": 13579.01}],
       "total": {"parametric_var_usd": 12345.67, "historical_var_usd": 13579.01},
       "exposures": [{"book": "FX-G10", "currency": "EUR", "usd": 1082500.0}]}
LIMITS = {"status": "ok", "as_of": "2026-11-20", "scope": SCOPE,
          "nop": [{"book": "FX-G10", "currency": "EUR", "nop_usd": 1082500.0, "limit_usd": 1100000.0,
                   "utilisation_pct": 98.41, "headroom_usd": 17500.0, "status": "warning"}],
          "var": [{"book": "FX-G10", "var_usd": 12345.67, "limit_usd": 50000.0, "utilisation_pct": 24.69,
                   "headroom_usd": 37654.33, "status": "ok"}],
          "breaches": 0, "warnings": 1}
WHAT_IF = {"status": "ok", "as_of": "2026-11-20", "scope": SCOPE,
           "trade": {"book": "FX-G10", "pair": "GBPUSD", "side": "buy", "notional": 20000000.0, "rate": 1.27,
                     "close": 1.27, "mtm_at_close_usd": 0.0,
                     "legs": [{"currency": "GBP", "amount": 20000000.0, "usd_equivalent": 25400000.0},
                              {"currency": "USD", "amount": -25400000.0, "usd_equivalent": -25400000.0}]},
           "nop": [{"book": "FX-G10", "currency": "GBP", "nop_before_usd": 5000000.0, "nop_after_usd": 30400000.0,
                    "limit_usd": 25000000.0, "utilisation_before_pct": 20.0, "utilisation_after_pct": 121.6,
                    "headroom_before_usd": 20000000.0, "headroom_after_usd": -5400000.0, "status_after": "breach"}],
           "var": {"book": "FX-G10", "limit_usd": 500000.0, "parametric_before_usd": 100000.0,
                   "parametric_after_usd": 150000.0, "historical_before_usd": 110000.0,
                   "historical_after_usd": 160000.0, "utilisation_before_pct": 20.0, "utilisation_after_pct": 30.0,
                   "headroom_before_usd": 400000.0, "headroom_after_usd": 350000.0, "status_after": "ok"},
           "breaches_after": ["GBP"]}
ENTRY = {"entry_id": 9, "user_id": "trader_aruna", "book": "FX-G10", "customer": "Cust203", "trade_id": "T004211",
         "pair": "EURUSD", "setup_tags": ["breakout"], "emotions": ["fomo"], "notes": "Chased the NFP spike.",
         "created_at": "2026-11-20T09:15:00", "updated_at": "2026-11-20T09:15:00"}
ADD_ENTRY = {"status": "ok", "as_of": "2026-11-20", "scope": {"user_id": "trader_aruna", "books": ["FX-G10"]},
             "entry": ENTRY}
UPDATE_ENTRY = {**ADD_ENTRY, "updated_fields": ["emotions"], "entry": {**ENTRY, "emotions": ["calm"]}}
ENTRIES = {"status": "ok", "as_of": "2026-11-20", "window": WINDOW, "scope": ADD_ENTRY["scope"],
           "filters": {"tag": None, "pair": None}, "count": 1, "entries": [ENTRY]}
# 4 closed trades: +300, +100, -200, -100 -> win rate 50%, avg win 200, avg loss -150, expectancy 25, PF 4/3.
STATS = {"status": "ok", "as_of": "2026-11-20", "window": WINDOW, "scope": ADD_ENTRY["scope"], "pair": None,
         "group_by": "none",
         "stats": {"trades": 4, "wins": 2, "losses": 2, "breakeven": 0, "win_rate_pct": 50.0, "avg_win_usd": 200.0,
                   "avg_loss_usd": -150.0, "expectancy_usd": 25.0, "profit_factor": 1.33, "gross_win_usd": 400.0,
                   "gross_loss_usd": -300.0, "total_pnl_usd": 100.0, "longest_win_streak": 2,
                   "longest_loss_streak": 2, "books": ["FX-G10"]},
         "open_trades_excluded": 3,
         "best_trade": {"trade_id": "T000001", "book": "FX-G10", "customer": "Cust203", "pair": "EURUSD",
                        "side": "BUY", "notional": 1000000.0, "exit_time": "2026-11-10T10:00:00", "pnl_usd": 300.0},
         "worst_trade": {"trade_id": "T000003", "book": "FX-G10", "customer": "Cust203", "pair": "GBPUSD",
                         "side": "SELL", "notional": 1000000.0, "exit_time": "2026-11-11T10:00:00",
                         "pnl_usd": -200.0}}
BEHAVIOUR = {"status": "ok", "as_of": "2026-11-20", "window": WINDOW, "scope": ADD_ENTRY["scope"],
             "trades_in_window": 24, "closed_in_window": 10, "books": ["FX-G10"],
             "flags": [{"check": "overtrading", "flagged": True, "severity": "high",
                        "explanation": "1 day(s) had at least 16 trades, 2× the baseline of 8 per day.",
                        "evidence": {"baseline_used": 8.0, "flagged_days": [{"day": "2026-11-11", "trades": 17}]}},
                       {"check": "streaks", "flagged": False, "severity": "none",
                        "explanation": "Current streak: 1 loss(s); alert at 4 losses in a row.",
                        "evidence": {"longest_loss_streak": 2}}]}
BREACHES = {"status": "ok", "as_of": "2026-11-20", "scope": {"books": ["FX-G10", "FX-EM"]}, "warning_pct": 90.0,
            "var_method": "parametric", "limits_checked": 3,
            "breaches": [{"kind": "nop", "book": "FX-EM", "currency": "TRY", "value_usd": 9286476.06,
                          "limit_usd": 8930000.0, "excess_usd": 356476.06, "headroom_usd": -356476.06,
                          "utilisation_pct": 103.99, "status": "breach"}],
            "warnings": []}
CREDIT = {"status": "ok", "as_of": "2026-11-20", "scope": {"books": ["FX-G10"]}, "basis": "unsettled notional",
          "customers": [{"customer": "Cust203", "books": ["FX-G10"], "by_book_usd": {"FX-G10": 5000000.0},
                         "exposure_usd": 5000000.0, "limit_usd": 20000000.0, "utilisation_pct": 25.0,
                         "headroom_usd": 15000000.0, "status": "ok"}]}
SCREEN = {"status": "ok", "as_of": "2026-11-20",
          "customer": {"customer": "Cust999", "name": "Aldgate Capital LLC", "restricted": True,
                       "reason": "Sanctions screening hit: trading prohibited.", "kyc_status": "rejected",
                       "kyc_expires_on": None, "kyc_ok": False},
          "pair": None, "hits": [{"kind": "customer", "value": "Cust999", "reason": "Sanctions hit."}], "clear": False}
PRE_TRADE = {"status": "ok", "as_of": "2026-11-20", "scope": {"books": ["FX-EM"]},
             "trade": {"book": "FX-EM", "customer": "Cust310", "pair": "USDTRY", "side": "buy", "notional": 5000000.0,
                       "rate": None, "close": 34.05},
             "verdict": "breach",
             "reasons": [{"code": "nop_limit", "severity": "breach",
                          "message": "FX-EM TRY net open position would be 14,286,476.06 USD against a limit of "
                                     "8,930,000.00 USD."}],
             "checks": {"restricted": {"pair": None, "customer": None},
                        "nop": [{"book": "FX-EM", "currency": "TRY", "nop_before_usd": -9286476.06,
                                 "nop_after_usd": -14286476.06, "limit_usd": 8930000.0,
                                 "utilisation_before_pct": 103.99, "utilisation_after_pct": 159.98}],
                        "kyc": {"customer": "Cust310", "kyc_status": "approved", "expires_on": "2028-04-30"},
                        "credit": {"customer": "Cust310", "credit_before_usd": 28200000.0,
                                   "credit_after_usd": 33200000.0, "limit_usd": 105000000.0,
                                   "utilisation_after_pct": 31.62}, "rate": None},
             "not_checked": ["rate (no rate proposed)"]}
OFF_MARKET = {"status": "ok", "as_of": "2026-11-20", "window": WINDOW, "scope": {"books": ["FX-EM"]},
              "tolerance_pct": 0.1, "trades_checked": 40,
              "off_market": [{"trade_id": "T004992", "book": "FX-EM", "customer": "Cust303", "trader": "trader_li",
                              "pair": "USDTRY", "day": "2026-11-10", "rate": 33.3654, "day_low": 33.7687,
                              "day_high": 34.0642, "distance_pct": 1.19, "direction": "below_low"}]}
LATE = {"status": "ok", "as_of": "2026-11-20", "window": WINDOW, "scope": {"books": ["FX-G10"]},
        "threshold_minutes": 30, "trades_checked": 40,
        "late_bookings": [{"trade_id": "T005072", "book": "FX-G10", "customer": "Cust209", "trader": "trader_aruna",
                           "pair": "GBPUSD", "trade_time": "2026-11-10T09:53:13",
                           "booking_time": "2026-11-10T13:27:30", "delay_minutes": 214.3}]}
KYC = {"status": "ok", "as_of": "2026-11-20", "status_filter": None, "counts": {"approved": 1},
       "customers": [{"customer": "Cust203", "name": "Meridian Shipping Pte", "kyc_status": "approved",
                      "reviewed_on": "2025-09-02", "expires_on": "2027-09-02", "days_to_expiry": 286}]}
RATE_HISTORY = {"status": "ok", "as_of": "2026-11-20", "scope": {"books": ["FX-G10"], "customers": 15},
                "book": "FX-G10", "pair": "EURUSD",
                "window": {"label": "last 2 days", "start": "2026-11-19", "end": "2026-11-20"}, "decimals": 5,
                "candles": [{"day": "2026-11-19", "open": 1.08257, "high": 1.08337, "low": 1.07504, "close": 1.07665},
                            {"day": "2026-11-20", "open": 1.07694, "high": 1.08594, "low": 1.07492, "close": 1.0812}]}

BY_TOOL = {
    "get_net_open_position": NOP, "get_pnl": PNL, "get_var": VAR, "get_limit_utilisation": LIMITS,
    "what_if_trade": WHAT_IF, "add_journal_entry": ADD_ENTRY, "update_journal_entry": UPDATE_ENTRY,
    "list_journal_entries": ENTRIES, "get_journal_stats": STATS, "get_behaviour_report": BEHAVIOUR,
    "get_limit_breaches": BREACHES, "get_credit_utilisation": CREDIT, "screen_restricted": SCREEN,
    "pre_trade_check": PRE_TRADE, "get_off_market_trades": OFF_MARKET, "get_late_bookings": LATE,
    "get_kyc_status": KYC, "get_rate_history": RATE_HISTORY,
}
