"""/healthz and /readyz on the real app: ready with Redis, 503 naming Redis once it is killed.

Uses a redis-server of its own on a free port (never the shared one).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time

import httpx
import pytest
import redis

from tests.integration.server.conftest import auth
from tests.integration.server.desk_app import desk_client
from tests.integration.server.servers import base_env, free_port, start_fxdesk

pytestmark = pytest.mark.slow


@pytest.fixture
def own_redis(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while True:
        try:
            if redis.Redis.from_url(url, socket_connect_timeout=0.2).ping():
                break
        except redis.RedisError:
            if time.monotonic() > deadline:
                proc.kill()
                raise
            time.sleep(0.05)
    yield url, proc
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=5)


async def test_readyz_is_200_with_every_dependency_then_503_naming_redis_when_it_dies(own_redis, fxdesk_home):
    url, proc = own_redis
    async with desk_client(url, "fxdesk-test:readyz:") as client:
        ready = await client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json() == {"status": "ok", "checks": {"redis": "ok", "database": "ok", "models": "ok"}}

        proc.kill()
        proc.wait(timeout=5)
        response = await client.get("/readyz")  # how fast: benchmarks/outage_latency.py (issue 12, finding 10)
        assert response.status_code == 503
        problem = response.json()
        assert problem["status"] == 503 and problem["detail"].startswith("Not ready: redis:")
        assert problem["checks"]["redis"] != "ok"
        assert problem["checks"]["database"] == problem["checks"]["models"] == "ok"
        assert response.headers["content-type"].startswith("application/problem+json")
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        # A turn now fails as an outage (503 problem), never as a trace.
        turn = await client.post("/chat", json={"message": "hi"}, headers=auth())
        assert turn.status_code == 503 and turn.json()["status"] == 503


def test_fxdesk_serve_subprocess_serves_the_desk_endpoints(redis_url, redis_prefix, fxdesk_home, tmp_path):
    server = start_fxdesk(tmp_path, base_env(fxdesk_home, redis_url, redis_prefix), echo=False)
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            assert http.get("/healthz").json() == {"status": "ok"}
            assert http.get("/readyz").status_code == 200
            turn = http.post("/api/risk/position/summary", headers=auth(), json={
                "message": "What's my EUR/USD exposure today?",
                "context": {"user_id": "trader_aruna", "books": ["FX-G10"], "customers": ["Cust203"]}})
            assert turn.status_code == 200, turn.text
            assert turn.json()["tool_calls"][0]["result"]["pairs"][0]["pair"] == "EURUSD"
            metrics = http.get("/metrics").text
            assert 'route="/api/risk/position/summary",status="200"} 1.0' in metrics
        server.stop()
        audit_lines = [json.loads(line) for line in server.log.read_text().splitlines() if '"http_request"' in line]
        summary = next(line for line in audit_lines if line["route"] == "/api/risk/position/summary")
        assert (summary["user_id"], summary["role"], summary["status"]) == ("trader_aruna", "trader", 200)
        assert summary["thread_id"] == turn.json()["thread_id"] and summary["run_id"]
    finally:
        server.stop()
