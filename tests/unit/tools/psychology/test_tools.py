"""get_behaviour_report end to end over a tiny hand-made database: wiring, scope, thresholds, refusals.

As of Friday 2026-11-20; EURUSD closes at 1.0000 all week, so USD sizes equal EUR notionals.
aruna: A1, A2 (1m each, Tue 17th, open); L1 1m BUY 1.10 → 1.09 closed Wed 18th 09:30 (−10,000 USD);
R1 3m opened 09:40, ten minutes after that loss. Median size of (1, 1, 1, 3)m = 1m, so R1 is 3× it;
none of her other three trades is outsized (0 of 3), so 1 of 1 after a loss is above any multiple of that.
li (FX-EM) and ben (FX-G10, Cust216) each open a 10m trade minutes after aruna's loss: not hers.
"""

from datetime import date, datetime

import pytest
from langgraph.prebuilt import ToolRuntime
from sqlalchemy import insert, select

from data import schema
from data.database import Database
from tools.catalog import TOOL_ARGS, tools_of
from tools.context import Context
from tools.psychology.thresholds import BehaviourThresholds
from tools.psychology.tools import build_tools
from tools.scope import ScopeGate

ARUNA = Context(user_id="trader_aruna", role="trader", books=("FX-G10",), customers=("Cust201", "Cust216"))
SAM = Context(user_id="onboarding_sam", role="onboarding", books=(), customers=("Cust201",))
MAYA = Context(user_id="analyst_maya", role="analyst", books=("FX-G10", "FX-EM"), customers=("Cust201",))


def _trade(tid, trader, customer, book, pair, notional, rate, opened, exit_rate=None, closed=None):
    return {"trade_id": tid, "trader": trader, "customer": customer, "book": book, "pair": pair, "product": "SPOT",
            "side": "BUY", "notional": notional, "rate": rate, "trade_time": opened, "booking_time": opened,
            "value_date": date(2026, 11, 24), "exit_rate": exit_rate, "exit_time": closed}


@pytest.fixture
def gate(tmp_path):
    db = Database.from_url(f"sqlite:///{tmp_path / 'psy.db'}", ensure_demo=False)
    schema.metadata.create_all(db.engine)
    with db.engine.begin() as conn:
        conn.execute(insert(schema.meta), [{"key": "as_of", "value": "2026-11-20"}])
        conn.execute(insert(schema.pairs), [
            {"pair": "EURUSD", "base": "EUR", "quote": "USD", "region": "G10", "book": "FX-G10", "decimals": 5},
            {"pair": "USDMXN", "base": "USD", "quote": "MXN", "region": "EM", "book": "FX-EM", "decimals": 4}])
        conn.execute(insert(schema.rates), [
            {"pair": p, "day": date(2026, 11, d), "open": c, "high": c, "low": c, "close": c}
            for p, c in (("EURUSD", 1.0), ("USDMXN", 17.0)) for d in range(16, 21)])
        conn.execute(insert(schema.books), [{"book": b, "description": "", "var_limit_usd": 1e6}
                                            for b in ("FX-G10", "FX-EM")])
        conn.execute(insert(schema.customers), [
            {"customer": c, "name": c, "kyc_status": "approved", "credit_limit_usd": 1e7}
            for c in ("Cust201", "Cust216", "Cust310")])
        conn.execute(insert(schema.role_grants), [
            {"role": "trader", "desk": "psychology", "tools": "*"},
            {"role": "analyst", "desk": "position_risk", "tools": "*"}])
        conn.execute(insert(schema.trades), [
            _trade("A1", "trader_aruna", "Cust201", "FX-G10", "EURUSD", 1e6, 1.10, datetime(2026, 11, 17, 9)),
            _trade("A2", "trader_aruna", "Cust201", "FX-G10", "EURUSD", 1e6, 1.10, datetime(2026, 11, 17, 10)),
            _trade("L1", "trader_aruna", "Cust201", "FX-G10", "EURUSD", 1e6, 1.10, datetime(2026, 11, 18, 9),
                   1.09, datetime(2026, 11, 18, 9, 30)),
            _trade("R1", "trader_aruna", "Cust201", "FX-G10", "EURUSD", 3e6, 1.09, datetime(2026, 11, 18, 9, 40)),
            _trade("X1", "trader_li", "Cust310", "FX-EM", "USDMXN", 1e7, 17.0, datetime(2026, 11, 18, 9, 35)),
            _trade("X2", "trader_ben", "Cust216", "FX-G10", "EURUSD", 1e7, 1.09, datetime(2026, 11, 18, 9, 45)),
        ])
    yield ScopeGate(db)
    db.engine.dispose()


def _behaviour_tool(tools):
    return next(t for t in tools if t.name == "get_behaviour_report")


def report(gate, ctx=ARUNA, thresholds=None, **args):
    tool = _behaviour_tool(build_tools(gate, thresholds or BehaviourThresholds()))
    runtime = ToolRuntime(state={}, context=ctx, config={"configurable": {"thread_id": "th-p"}},
                          stream_writer=None, tool_call_id="call-1", store=None)
    return tool.invoke({**args, "runtime": runtime})


def test_build_tools_returns_the_psychology_catalogue_without_runtime_in_the_schema(gate):
    tools = build_tools(gate, BehaviourThresholds())
    assert [t.name for t in tools] == tools_of("psychology")
    for tool in tools:
        props = tool.tool_call_schema.model_json_schema()["properties"]
        assert "runtime" not in props and set(props) == set(TOOL_ARGS[tool.name][1].model_fields)


def test_revenge_trade_is_found_with_evidence_from_the_callers_own_trades(gate):
    out = report(gate, window="this week", thresholds=BehaviourThresholds(revenge_min_episodes=1))
    assert out["status"] == "ok"
    flags = {f["check"]: f for f in out["flags"]}
    assert list(flags) == ["overtrading", "revenge_trading", "loss_chasing", "time_of_day", "streaks"]
    revenge = flags["revenge_trading"]
    assert revenge["flagged"] and revenge["severity"] == "high"  # 100 % vs 0 %: above any ratio
    assert revenge["evidence"]["observed"] == {"count": 1, "of": 1, "pct": 100.0}
    assert revenge["evidence"]["baseline"] == {"count": 0, "of": 3, "pct": 0.0}
    (ep,) = revenge["evidence"]["episodes"]
    assert (ep["loss_trade_id"], ep["trade_id"], ep["minutes_after_loss"]) == ("L1", "R1", 10.0)
    assert ep["loss_usd"] == -10000.0 and ep["times_median_size"] == 3.0 and ep["book"] == "FX-G10"
    assert revenge["evidence"]["median_size_usd"] == 1_000_000
    assert out["trades_in_window"] == 4 and out["closed_in_window"] == 1
    assert out["thresholds"]["revenge_minutes"] == 30


def test_report_contains_no_other_traders_trade_ids(gate):
    text = str(report(gate, window="this week"))
    assert "X1" not in text and "X2" not in text


def test_checks_argument_selects_checks(gate):
    out = report(gate, window="this week", checks=["streaks"])
    assert [f["check"] for f in out["flags"]] == ["streaks"]


def test_thresholds_given_to_build_tools_drive_the_flags(gate):
    assert not {f["check"]: f for f in report(gate, window="this week")["flags"]}["streaks"]["flagged"]
    out = report(gate, window="this week", thresholds=BehaviourThresholds(streak_alert=1))
    streak = {f["check"]: f for f in out["flags"]}["streaks"]
    assert streak["flagged"] and streak["evidence"]["current_streak"]["trade_ids"] == ["L1"]


def test_thresholds_default_to_the_environment_read_when_tools_are_built(gate, monkeypatch):
    monkeypatch.setenv("FXDESK_PSY_REVENGE_SIZE_RATIO", "5")
    tool = _behaviour_tool(build_tools(gate))
    monkeypatch.setenv("FXDESK_PSY_REVENGE_SIZE_RATIO", "1.5")  # read once: later changes do not apply
    runtime = ToolRuntime(state={}, context=ARUNA, config={}, stream_writer=None, tool_call_id="c", store=None)
    out = tool.invoke({"window": "this week", "runtime": runtime})
    assert out["thresholds"]["revenge_size_ratio"] == 5
    assert not {f["check"]: f for f in out["flags"]}["revenge_trading"]["flagged"]


@pytest.mark.parametrize("ctx", [SAM, MAYA], ids=["onboarding", "analyst"])
def test_roles_without_a_psychology_grant_are_denied_and_audited(gate, ctx):
    out = report(gate, ctx=ctx, window="this week")
    assert out["status"] == "not_entitled" and "flags" not in out
    with gate.db.engine.connect() as conn:
        row = conn.execute(select(schema.audit).order_by(schema.audit.c.audit_id.desc())).mappings().first()
    assert (row["tool"], row["decision"], row["user_id"]) == ("get_behaviour_report", "denied", ctx.user_id)


def test_bad_window_is_an_error(gate):
    assert report(gate, window="next fortnight")["error"]["type"] == "bad_window"
