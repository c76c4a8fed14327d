"""ScopeGate over a tiny hand-made database: entitlement checks, narrowing and the audit trail."""

import json

import pytest
from sqlalchemy import insert, select

from data import schema
from data.database import Database
from tools.context import Context
from tools.errors import ToolInputError
from tools.scope import ScopeGate

ARUNA = Context(user_id="trader_aruna", role="trader", books=("FX-G10",), customers=("Cust201", "Cust203"))
SAM = Context(user_id="onboarding_sam", role="onboarding", books=(), customers=("Cust201", "Cust203", "Cust310"))


@pytest.fixture
def gate(tmp_path):
    db = Database.from_url(f"sqlite:///{tmp_path / 'gate.db'}", ensure_demo=False)
    schema.metadata.create_all(db.engine)
    with db.engine.begin() as conn:
        conn.execute(insert(schema.meta), [{"key": "as_of", "value": "2026-11-20"}])
        conn.execute(insert(schema.pairs), [
            {"pair": "EURUSD", "base": "EUR", "quote": "USD", "region": "G10", "book": "FX-G10", "decimals": 5},
            {"pair": "USDMXN", "base": "USD", "quote": "MXN", "region": "EM", "book": "FX-EM", "decimals": 4},
        ])
        conn.execute(insert(schema.role_grants), [
            {"role": "trader", "desk": "position_risk", "tools": "*"},
            {"role": "onboarding", "desk": "compliance", "tools": "get_kyc_status,screen_restricted"},
        ])
    return ScopeGate(db)


def _audit_rows(gate):
    with gate.db.engine.connect() as conn:
        return conn.execute(select(schema.audit).order_by(schema.audit.c.audit_id)).mappings().all()


def test_allowed_call_runs_inside_the_callers_scope_and_is_audited(gate):
    seen = {}
    result = gate.run(ARUNA, desk="position_risk", tool="get_net_open_position", args={"pair": "EURUSD"},
                      compute=lambda scope: seen.setdefault("scope", scope) and {"rows": []}, pairs=["eur/usd"])
    assert result["status"] == "ok"
    assert seen["scope"].books == ("FX-G10",)
    assert str(seen["scope"].as_of) == "2026-11-20"
    (row,) = _audit_rows(gate)
    assert (row["user_id"], row["tool"], row["decision"]) == ("trader_aruna", "get_net_open_position", "allowed")
    assert json.loads(row["args"]) == {"pair": "EURUSD"}


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [({"books": ["FX-EM"]}, "FX-EM"), ({"customers": ["Cust310"]}, "Cust310"), ({"pairs": ["USDMXN"]}, "FX-EM"),
     ({"customers": ["cust 310"]}, "Cust310")],
)
def test_request_outside_scope_is_denied_without_running_and_audited(gate, kwargs, named):
    def must_not_run(scope):
        raise AssertionError("compute ran for a denied request")

    result = gate.run(ARUNA, desk="position_risk", tool="get_var", args=kwargs, compute=must_not_run, **kwargs)
    assert result["status"] == "not_entitled"
    assert named in result["message"]
    assert "rows" not in result
    assert _audit_rows(gate)[-1]["decision"] == "denied"


def test_role_without_a_grant_for_the_tool_is_denied(gate):
    result = gate.run(SAM, desk="position_risk", tool="get_net_open_position", args={},
                      compute=lambda scope: {"rows": [1]})
    assert result["status"] == "not_entitled"
    assert "onboarding" in result["message"]
    allowed = gate.run(SAM, desk="compliance", tool="get_kyc_status", args={}, compute=lambda scope: {"rows": []})
    assert allowed["status"] == "ok"


def test_requested_customer_narrows_the_scope(gate):
    result = gate.run(ARUNA, desk="position_risk", tool="get_pnl", args={}, customers=["Cust203"],
                      compute=lambda scope: {"customers": list(scope.customers)})
    assert result["customers"] == ["Cust203"]


def test_bad_input_inside_compute_is_a_typed_error_and_audited(gate):
    def bad(scope):
        raise ToolInputError("bad_notional", "Notional must be positive.")

    result = gate.run(ARUNA, desk="position_risk", tool="what_if_trade", args={"notional": -5}, compute=bad)
    assert result == {"status": "error", "error": {"type": "bad_notional", "message": "Notional must be positive."}}
    assert _audit_rows(gate)[-1]["decision"] == "error"


def test_unknown_pair_is_an_error_not_a_denial(gate):
    result = gate.run(ARUNA, desk="position_risk", tool="get_net_open_position", args={"pair": "EURXYZ"},
                      compute=lambda scope: {}, pairs=["EURXYZ"])
    assert result["status"] == "error"
    assert result["error"]["type"] == "unknown_pair"


def test_missing_context_is_denied(gate):
    result = gate.run(None, desk="position_risk", tool="get_var", args={}, compute=lambda scope: {})
    assert result["status"] == "not_entitled"
    assert _audit_rows(gate)[-1]["user_id"] == "<none>"


def test_dict_context_from_rest_or_studio_is_coerced(gate):
    result = gate.run({"user_id": "trader_aruna", "role": "trader", "books": ["FX-G10"], "customers": []},
                      desk="position_risk", tool="get_var", args={}, compute=lambda scope: {"books": scope.books})
    assert result["books"] == ["FX-G10"]


def test_audit_ids_never_exceed_the_64_character_columns(gate):
    """Issue 12 finding 2: a thread id over 64 characters would break the audit insert on PostgreSQL."""
    long_thread, short_run = "t" * 10_000, "run-1"
    gate.run(ARUNA, desk="position_risk", tool="get_net_open_position", args={}, compute=lambda scope: {},
             run_meta={"thread_id": long_thread, "run_id": short_run})
    gate.run(ARUNA, desk="position_risk", tool="get_net_open_position", args={}, compute=lambda scope: {},
             run_meta={"thread_id": long_thread + "x", "run_id": None})
    first, second = _audit_rows(gate)
    assert len(first["thread_id"]) == 64 and first["thread_id"].startswith("t" * 40)
    assert first["thread_id"] != second["thread_id"]  # a digest of the whole id keeps them apart
    assert first["run_id"] == short_run and second["run_id"] is None


def test_desk_gate_refuses_an_ungranted_desk_and_audits_it(gate):
    """Issue 12 finding 1: the desk-level check the graph uses for every way into a desk."""
    assert gate.check_desk(ARUNA, "position_risk") is None
    denied = gate.check_desk(SAM, "position_risk", {"thread_id": "t1", "run_id": "r1"})
    assert denied is not None and "Not entitled" in denied.reason and "onboarding" in denied.reason
    assert gate.check_desk(None, "compliance") is not None
    rows = _audit_rows(gate)
    assert [(r["tool"], r["decision"], r["user_id"], r["thread_id"]) for r in rows] == [
        ("desk:position_risk", "denied", "onboarding_sam", "t1"), ("desk:compliance", "denied", "<none>", None)]


def test_one_call_reads_the_grants_and_the_pairs_once_and_the_next_call_reads_them_again(gate):
    from sqlalchemy import delete, event

    from data.queries.rates import _PAIRS
    from tools.scope import _GRANTS

    # The two reference reads, by their exact SQL (a market-data tool's freshness query also names pairs).
    known = {str(_GRANTS.compile(gate.db.engine)): "grants", str(_PAIRS.compile(gate.db.engine)): "pairs"}
    reads: list[str] = []

    def count(conn, cursor, statement, params, context, executemany):
        if statement in known:
            reads.append(known[statement])

    event.listen(gate.db.engine, "before_cursor_execute", count)

    def compute(scope):
        # The tool's own look-ups share the call's read (issue 16).
        assert gate.universe().get("EURUSD").book == "FX-G10" and gate.pair_books()["EURUSD"] == "FX-G10"
        assert gate.grants()[("trader", "position_risk")] == frozenset({"*"})
        return {"ok": True}

    result = gate.run(ARUNA, desk="position_risk", tool="get_net_open_position", args={"pair": "EURUSD"},
                      compute=compute, pairs=["EURUSD", "eur/usd"])
    assert result["status"] == "ok"
    assert sorted(reads) == ["grants", "pairs"], reads
    # A grant revoked between two calls applies to the next call: nothing is kept beyond a call.
    with gate.db.engine.begin() as conn:
        conn.execute(delete(schema.role_grants).where(schema.role_grants.c.role == "trader"))
    again = gate.run(ARUNA, desk="position_risk", tool="get_net_open_position", args={}, compute=compute)
    assert again["status"] == "not_entitled"
    assert sorted(reads) == ["grants", "grants", "pairs"]
