"""A cron runs with its creator's scope read again at every tick (issue 15), in-process on real Redis."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from server.app import create_app
from server.settings import Settings
from tests.integration.server.conftest import KEYS, auth
from tests.integration.server.servers import ECHO
from tools.context import Context

pytestmark = pytest.mark.slow


def aruna(*books: str) -> Context:
    return Context(user_id="trader_aruna", role="trader", books=books, customers=())


async def _wait(predicate, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := await predicate():
            return found
        await asyncio.sleep(0.1)
    raise AssertionError("condition not reached")


async def test_a_revoked_book_stops_applying_at_the_next_tick_and_a_removed_user_disables_the_cron(redis_url,
                                                                                                  redis_prefix):
    entitlements = {"trader_aruna": aruna("FX-G10", "FX-EM")}

    async def users(user_id: str) -> Context | None:
        return entitlements.get(user_id)

    app = create_app(settings=Settings(redis_url=redis_url, key_prefix=redis_prefix, cron_poll_seconds=0.1),
                     graphs={ECHO[0]: ECHO[1]}, users=users, jwt_keys=KEYS)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://fxdesk.test", headers=auth()) as http:
            thread = (await http.post("/threads", json={})).json()["thread_id"]
            cron = (await http.post(f"/threads/{thread}/runs/crons", json={
                "assistant_id": "echo", "schedule": "* * * * * */2", "context": {"books": ["FX-EM"]},
                "input": {"messages": [{"role": "user", "content": "em report"}]}})).json()

            async def last_tick():
                response = await http.post("/runs/crons/search", json={"thread_id": thread})
                found = response.json()
                assert response.status_code == 200, found
                return found[0]["last_tick"] if found else None

            first = await _wait(last_tick)
            assert "error" not in first
            entitlements["trader_aruna"] = aruna("FX-G10")  # FX-EM revoked
            failed = await _wait(lambda: _tick_with(last_tick, "error"))
            assert "FX-EM" in failed["error"]
            runs = (await http.get(f"/threads/{thread}/runs", params={"limit": 100})).json()
            assert failed["run_id"] not in [r["run_id"] for r in runs]  # no run, no data for the revoked book
            del entitlements["trader_aruna"]
            # A removed user's requests are refused at once (entitlements are read per request, issue 14),
            # so the cron is read from the store itself.

            async def stored_tick():
                record = await app.state.crons.get(cron["cron_id"])
                return record["last_tick"] if record else None

            gone = await _wait(lambda: _tick_with(stored_tick, "error", "no longer exists"))
            assert "trader_aruna" in gone["error"]
            disabled = await app.state.crons.get(cron["cron_id"])
            assert disabled["cron_id"] == cron["cron_id"] and disabled["next_run_date"] is None
            assert (await http.post("/runs/crons/search", json={"thread_id": thread})).status_code == 401


async def _tick_with(last_tick, field: str, text: str = ""):
    tick = await last_tick()
    return tick if tick and field in tick and text in tick[field] else None
