"""Issue 14: `fxdesk users add|grant|revoke|list`; a changed entitlement or role grant applies on the next request."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import delete
from typer.testing import CliRunner

from data import schema
from data.database import Database
from data.interchange import export_tables, load_files
from data.users import load_user
from graph.routing import granted_desks
from server.cli import app
from server.services import AppServices
from tools.scope import LiveGrants, ScopeGate
from tools.users import context_for


@pytest.fixture
def demo_copy(desk_db, tmp_path, monkeypatch):
    """A private SQLite copy of the demo dataset, set as FXDESK_DATABASE_URL for the CLI."""
    export_tables(desk_db, tmp_path / "demo")
    url = f"sqlite:///{tmp_path / 'users.db'}"
    db = Database.from_url(url, ensure_demo=False)
    load_files(db, [tmp_path / "demo"])
    monkeypatch.setenv("FXDESK_DATABASE_URL", url)
    yield db
    db.engine.dispose()


def _cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_users_add_grant_revoke_and_list(demo_copy):
    out = _cli("users", "add", "trader_jo", "--name", "Jo Park", "--role", "trader", "-b", "FX-G10",
               "-c", "Cust203", "-c", "Cust204")
    assert "trader_jo (trader): books FX-G10; customers Cust203-Cust204 (2)" in out
    _cli("users", "grant", "trader_jo", "--book", "FX-EM", "--customer", "Cust301")
    _cli("users", "revoke", "trader_jo", "--customer", "Cust203")
    record = load_user(demo_copy, "trader_jo")
    assert record.books == ("FX-G10", "FX-EM") and record.customers == ("Cust204", "Cust301")
    assert "trader_jo" in _cli("users", "list") and "Jo Park" in _cli("users")


@pytest.mark.parametrize(("args", "message"), [
    (("users", "add", "trader_aruna", "--name", "X", "--role", "trader"), "exists already"),
    (("users", "add", "x1", "--name", "X", "--role", "boss"), "Unknown role 'boss'"),
    (("users", "grant", "trader_aruna", "--book", "FX-XX"), "Unknown book FX-XX"),
    (("users", "grant", "trader_aruna", "--customer", "Cust777"), "Unknown customer Cust777"),
    (("users", "revoke", "nobody", "--book", "FX-G10"), "Unknown user 'nobody'"),
])
def test_users_commands_refuse_bad_input_with_a_clear_message(demo_copy, args, message):
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 1 and message in result.output


def test_a_granted_book_is_seen_on_the_next_request_without_a_restart(demo_copy):
    """Issue 14: the server's entitlement lookup reads the user store per request (no 30 s cache)."""
    lookup = lambda user_id: asyncio.to_thread(context_for, demo_copy, user_id)  # noqa: E731
    services = AppServices(settings=None, runtime=None, redis=None, registry=None, threads=None, runs=None,
                           executor=None, users=lookup, jwt_keys=None, limiter=None, audit=None, metrics=None)
    assert asyncio.run(services.entitlements("trader_aruna")).books == ("FX-G10",)
    _cli("users", "grant", "trader_aruna", "--book", "FX-EM", "-c", "Cust310")
    after = asyncio.run(services.entitlements("trader_aruna"))
    assert after.books == ("FX-G10", "FX-EM") and "Cust310" in after.customers
    gate = ScopeGate(demo_copy)  # built before the revoke below: the gate holds no scope of its own
    _cli("users", "revoke", "trader_aruna", "--book", "FX-EM")
    ctx = asyncio.run(services.entitlements("trader_aruna"))
    denied = gate.run(ctx, desk="position_risk", tool="get_net_open_position", args={"book": "FX-EM"},
                      compute=lambda scope: {}, books=["FX-EM"])
    assert denied["status"] == "not_entitled"


def test_a_changed_role_grant_applies_to_the_live_gate_and_the_supervisor(demo_copy):
    """Issue 14: role grants were read once at graph build; now each check reads them."""
    gate = ScopeGate(demo_copy)
    live = LiveGrants(gate)
    assert "psychology" in granted_desks(live, "trader")
    ctx = context_for(demo_copy, "trader_aruna")
    allowed = gate.run(ctx, desk="psychology", tool="get_behaviour_report", args={}, compute=lambda scope: {"x": 1})
    assert allowed["status"] == "ok"
    with demo_copy.engine.begin() as conn:
        conn.execute(delete(schema.role_grants).where(schema.role_grants.c.role == "trader",
                                                      schema.role_grants.c.desk == "psychology"))
    assert "psychology" not in granted_desks(live, "trader")
    refused = gate.run(ctx, desk="psychology", tool="get_behaviour_report", args={}, compute=lambda scope: {"x": 1})
    assert refused["status"] == "not_entitled" and "may not use get_behaviour_report" in refused["message"]
