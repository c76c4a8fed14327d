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
       "by_book": [{"book": "FX-G10", "pnl_usd": 1750.25, "price_effect_usd": 1700.25, "fx_translation_usd": 50.0,
                    "realised_usd": -749.75}],
       "by_pair": [{"book": "FX-G10", "pair": "EURUSD", "pnl_usd": 2500.0, "price_effect_usd": 2500.0,
                    "fx_translation_usd": 0.0, "realised_usd": 0.0, "trades": 1, "closed_trades": 0},
                   {"book": "FX-G10", "pair": "GBPUSD", "pnl_usd": -749.75, "price_effect_usd": -799.75,
                    "fx_translation_usd": 50.0, "realised_usd": -749.75, "trades": 2, "closed_trades": 2}],
       "total_pnl_usd": 1750.25, "total_price_effect_usd": 1700.25, "total_fx_translation_usd": 50.0,
       "total_realised_usd": -749.75}
VAR = {"status": "ok", "as_of": "2026-11-20", "scope": SCOPE, "method": "both", "confidence_pct": 99.0,
       "horizon_days": 1, "ewma_lambda": 0.94, "returns_used": 250,
       "by_book": [{"book": "FX-G10", "parametric_var_usd": 12345.67, "historical_var_usd": 13579.01}],
       "total": {"parametric_var_usd": 12345.67, "historical_var_usd": 13579.01},
       "exposures": [{"book": "FX-G10", "currency": "EUR", "usd": 1082500.0}]}
VAR_BACKTEST = {"status": "ok", "as_of": "2026-11-20", "scope": SCOPE, "method": "parametric", "confidence_pct": 99.0,
                "observations": 250, "exceptions": 6, "expected_exceptions": 2.5, "zone": "yellow",
                "zone_thresholds": {"green_max": 4, "yellow_max": 9},
                "exception_days": [{"day": "2026-10-06", "pnl_usd": -4467086.45, "var_usd": 4055574.75,
                                    "exception": True}],
                "days_with_position": 139,
                "worst_day": {"day": "2026-10-06", "pnl_usd": -4467086.45, "var_usd": 4055574.75, "exception": True}}
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
                        "evidence": {"baseline": {"used": 8.0}, "flagged_days": [{"day": "2026-11-11", "trades": 17}]}},
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

# Issue 17 skills. Tilt: baseline of 10 trades (mean 2m, 6 of 10 closed won = 60 %); after 1 big win the
# next 3 trades average 3m (1.5×) and won 1 of 3 (−26.67 points).
_SET = {"trades": 10, "mean_size_usd": 2000000.0, "closed": 10, "wins": 6, "win_rate_pct": 60.0,
        "median_hold_minutes": 45.0}
TILT = {"status": "ok", "as_of": "2026-11-20", "window": WINDOW, "scope": SCOPE, "next_trades": 3,
        "big_win_from_usd": 20000.0, "baseline": _SET, "tilted": True, "books": ["FX-G10"],
        "conditions": [
            {"condition": "after_big_win", "definition": "the next 3 trades after a win of ≥ 2× your median win",
             "triggers": 1, "trigger_trade_ids": ["T000101"], "after_trade_ids": ["T000102", "T000103", "T000104"],
             "after": {"trades": 3, "mean_size_usd": 3000000.0, "closed": 3, "wins": 1, "win_rate_pct": 33.33,
                       "median_hold_minutes": 20.0},
             "size_ratio": 1.5, "hold_ratio": 0.44, "win_rate_change_pct_points": -26.67, "flagged": True,
             "reasons": ["mean size 1.5× your baseline (flag at 1.25×)"]},
            {"condition": "after_losing_streak", "definition": "the next 3 trades after 3 losses in a row",
             "triggers": 0, "trigger_trade_ids": [], "after_trade_ids": [],
             "after": {"trades": 0, "mean_size_usd": None, "closed": 0, "wins": 0, "win_rate_pct": None,
                       "median_hold_minutes": None},
             "size_ratio": None, "hold_ratio": None, "win_rate_change_pct_points": None, "flagged": False,
             "reasons": []}]}
# Feelings: 2 anxious days (3 closed, 1 won, −12,000 USD) vs 5 other days (10 closed, 6 won, +25,000 USD).
FEELING = {"status": "ok", "as_of": "2026-11-20", "window": WINDOW, "scope": SCOPE, "feeling": "anxious",
           "entry": {"entry_id": 12, "user_id": "trader_aruna", "book": "FX-G10", "emotions": ["anxious"],
                     "setup_tags": ["check-in"], "notes": "so anxious today"},
           "feeling_days": {"days": 2, "trading_days": 2, "closed": 3, "wins": 1, "win_rate_pct": 33.33,
                            "pnl_usd": -12000.0, "avg_pnl_per_trading_day_usd": -6000.0},
           "other_days": {"days": 5, "trading_days": 5, "closed": 10, "wins": 6, "win_rate_pct": 60.0,
                          "pnl_usd": 25000.0, "avg_pnl_per_trading_day_usd": 5000.0},
           "feeling_day_list": [{"day": "2026-11-10", "closed": 2, "wins": 1, "pnl_usd": -2000.0},
                                {"day": "2026-11-12", "closed": 1, "wins": 0, "pnl_usd": -10000.0}],
           "win_rate_difference_pct_points": -26.67, "avg_day_pnl_difference_usd": -11000.0}
DISCIPLINE = {"status": "ok", "as_of": "2026-11-20", "window": WINDOW, "scope": SCOPE, "flagged": True,
              "loss_limit": {"daily_loss_limit_usd": 50000.0, "days_hit": 1, "trades_after_limit": 2, "flagged": True,
                             "days": [{"day": "2026-11-11", "limit_hit_at": "2026-11-11T14:05:00",
                                       "realised_at_hit_usd": -52000.0, "day_realised_usd": -61000.0,
                                       "trades_after": 2, "trade_ids": ["T000201", "T000202"], "books": ["FX-G10"]}]},
              "oversize": {"median_size_usd": 4000000.0, "oversize_from_usd": 10000000.0,
                           "observed": {"count": 1, "of": 40, "pct": 2.5},
                           "baseline": {"count": 2, "of": 200, "pct": 1.0},
                           "times_baseline": 2.5, "flagged": True,
                           "trades": [{"trade_id": "T000203", "book": "FX-G10", "customer": "Cust203", "pair": "EURUSD",
                                       "opened_at": "2026-11-12T10:00:00", "size_usd": 12000000.0,
                                       "times_median": 3.0}]}}
# long 5m GBPUSD at 1.2710, stop 1.2650: 0.006 × 5m = 30,000 USD at risk; target 1.2830 → 2 R.
JOURNAL_TRADE = {"status": "ok", "as_of": "2026-11-20", "scope": SCOPE, "booked": False, "quote_currency": "USD",
                 "warnings": [],
                 "record": {"record_id": 3, "user_id": "trader_aruna", "book": "FX-G10", "pair": "GBPUSD",
                            "side": "BUY", "size": 5000000.0, "entry": 1.271, "stop": 1.265, "target": 1.283,
                            "exit": None, "setup_tags": ["breakout"], "emotions": ["fomo"], "notes": "",
                            "source_text": "long 5m cable 1.2710 stop 1.2650 tp 1.2830 breakout, felt fomo",
                            "created_at": "2026-11-20T09:15:00", "stop_distance": 0.006, "risk_quote": 30000.0,
                            "reward_risk": 2.0, "outcome": None, "result_quote": None, "r_multiple": None}}
_TALLY = {"journaled": 8, "entries": 6, "trade_records": 2, "with_outcome": 5, "wins": 3, "losses": 2,
          "breakeven": 0, "hit_rate_pct": 60.0, "current_streak": {"kind": "win", "length": 2},
          "longest_win_streak": 2, "longest_loss_streak": 1}
BREAKDOWN = {"status": "ok", "as_of": "2026-11-20", "window": WINDOW, "scope": SCOPE, "by": "tag", "totals": _TALLY,
             "groups": [{"group": "breakout", **_TALLY, "journaled": 4, "entries": 3, "trade_records": 1,
                         "with_outcome": 3, "wins": 2, "losses": 1, "hit_rate_pct": 66.67}]}

# Report schedules (issue 15): a cron on an inbox thread, as the server's scheduler returns it.
SCHEDULE = {"schedule_id": "5f0c", "report": "get_limit_breaches", "title": "limit breaches", "cron": "0 17 * * 1-5",
            "timezone": "America/New_York", "description": "every weekday at 17:00 (America/New_York)",
            "book": "FX-G10", "thread_id": "inbox-1", "webhook": None, "enabled": True,
            "next_run": "2026-11-23T22:00:00+00:00",
            "last_run": {"tick": "2026-11-20T22:00:00+00:00", "run_id": "run-9"}}
SCHEDULED = {"status": "ok", "as_of": "2026-11-20", "schedule": SCHEDULE}
SCHEDULES = {"status": "ok", "as_of": "2026-11-20", "count": 1, "schedules": [SCHEDULE]}
CANCELLED = {"status": "ok", "as_of": "2026-11-20", "cancelled": [SCHEDULE]}

BY_TOOL = {
    "get_net_open_position": NOP, "get_pnl": PNL, "get_var": VAR, "get_var_backtest": VAR_BACKTEST,
    "get_limit_utilisation": LIMITS,
    "what_if_trade": WHAT_IF, "add_journal_entry": ADD_ENTRY, "update_journal_entry": UPDATE_ENTRY,
    "list_journal_entries": ENTRIES, "get_journal_stats": STATS, "get_behaviour_report": BEHAVIOUR,
    "get_limit_breaches": BREACHES, "get_credit_utilisation": CREDIT, "screen_restricted": SCREEN,
    "pre_trade_check": PRE_TRADE, "get_off_market_trades": OFF_MARKET, "get_late_bookings": LATE,
    "get_kyc_status": KYC, "get_rate_history": RATE_HISTORY, "get_tilt_check": TILT, "check_in_feeling": FEELING,
    "get_discipline_report": DISCIPLINE, "log_journal_trade": JOURNAL_TRADE, "get_journal_breakdown": BREAKDOWN,
    "schedule_compliance_report": SCHEDULED, "schedule_risk_report": SCHEDULED, "list_scheduled_reports": SCHEDULES,
    "cancel_scheduled_report": CANCELLED,
}
