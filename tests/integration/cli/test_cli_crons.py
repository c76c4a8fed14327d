"""`fxdesk crons list|delete` in a subprocess, on the crons `fxdesk serve` keeps in Redis (issue 15)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from server.crons import CronStore
from server.runs.keys import ApiKeys

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow


def fxdesk(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server.cli", "crons", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


async def test_list_shows_the_users_crons_and_delete_removes_only_their_own(redis_url, redis_prefix, tmp_path):
    client = aioredis.Redis.from_url(redis_url)
    store = CronStore(client, ApiKeys(redis_prefix))
    record = {"cron_id": "c-1", "assistant_id": "a", "thread_id": None, "user_id": "trader_aruna",
              "schedule": "0 17 * * 1-5", "timezone": "America/New_York", "end_time": None, "enabled": True,
              "metadata": {}, "on_run_completed": None, "payload": {}, "created_at": "x", "updated_at": "x"}
    await store.save(record, 1_900_000_000_000)
    await client.aclose()
    env = {**os.environ, "FXDESK_REDIS_URL": redis_url, "FXDESK_KEY_PREFIX": redis_prefix,
           "FXDESK_HOME": str(tmp_path)}
    listed = fxdesk(env, "list", "--user", "trader_aruna")
    assert listed.returncode == 0, listed.stderr
    assert "c-1" in listed.stdout and "'0 17 * * 1-5' America/New_York" in listed.stdout
    assert "2030-03-17T17:46:40+00:00" in listed.stdout and "not run yet" in listed.stdout
    assert json.loads(fxdesk(env, "list", "--user", "trader_aruna", "--json").stdout)[0]["cron_id"] == "c-1"
    assert "has no crons" in fxdesk(env, "list", "--user", "trader_li").stdout
    assert fxdesk(env, "delete", "c-1", "--user", "trader_li").returncode == 1
    assert fxdesk(env, "delete", "c-1", "--user", "trader_aruna").returncode == 0
    assert "has no crons" in fxdesk(env, "list", "--user", "trader_aruna").stdout
