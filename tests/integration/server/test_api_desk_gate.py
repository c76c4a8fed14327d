"""A client's ``command.goto`` cannot run a desk the caller's role may not use (issue 12, finding 1)."""

from __future__ import annotations

from sqlalchemy import select

from data import schema
from server.runs.registry import assistant_id_for
from tests.integration.server.conftest import auth
from tests.integration.server.hardening import answering_client

FXDESK = assistant_id_for("fxdesk")
SAM = ("onboarding_sam", "onboarding")


async def test_onboarding_goto_position_risk_is_not_entitled_with_an_audit_row(redis_url, redis_prefix,
                                                                               fxdesk_home):
    """Issue 12 finding 1: ``command: {goto: position_risk}`` ran the desk for onboarding (only the tools refused)."""
    question = [{"role": "user", "content": "what is my net open position?"}]
    async with answering_client(redis_url, redis_prefix) as client:
        tid = (await client.post("/threads", json={}, headers=auth(*SAM))).json()["thread_id"]
        for command in ({"goto": "position_risk", "update": {"messages": question}},
                        {"goto": ["trade_journal"], "update": {"messages": question}}):
            run = await client.post(f"/threads/{tid}/runs/wait", headers=auth(*SAM),
                                    json={"assistant_id": FXDESK, "command": command})
            assert run.status_code == 200, run.text
            messages = run.json()["messages"]
            assert "not entitled" in messages[-1]["content"].lower()
            assert not [m for m in messages if m["type"] == "tool"]  # no desk tool was called
        await client.app.state.services.audit.flush()
        with client.app.state.services.db.engine.connect() as conn:
            rows = conn.execute(select(schema.audit).where(schema.audit.c.thread_id == tid)).mappings().all()
        desk_rows = {(r["tool"], r["decision"], r["user_id"]) for r in rows if r["tool"].startswith("desk:")}
        assert desk_rows == {("desk:position_risk", "denied", "onboarding_sam"),
                             ("desk:trade_journal", "denied", "onboarding_sam")}
        assert not [r for r in rows if r["tool"].startswith("get_") and r["decision"] == "allowed"]
