"""A dead Redis gives 503 problems on runs and threads; the server recovers when Redis is back.

Uses a redis-server of its own on a free port (never the shared one), killed and restarted. How
fast the 503 comes is measured by benchmarks/outage_latency.py, not asserted (issue 12, finding 10).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from uuid import uuid4

import httpx
import pytest
import redis

from tests.integration.server.conftest import auth
from tests.integration.server.servers import base_env, free_port, start_fxdesk

pytestmark = pytest.mark.slow

BODY = {"assistant_id": "echo", "input": {"messages": [{"role": "user", "content": "hi"}]}}


class OwnRedis:
    def __init__(self, workdir):
        self.port, self.workdir, self.proc = free_port(), workdir, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen([shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no", "--dir", str(self.workdir)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)


@pytest.fixture
def own_redis(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.kill()


def test_dead_redis_answers_503_with_retry_after_then_recovers(own_redis, fxdesk_home, tmp_path):
    env = base_env(fxdesk_home, own_redis.url, f"fxdesk-test:{uuid4().hex}:")
    server = start_fxdesk(tmp_path, env)
    try:
        with httpx.Client(base_url=server.url, headers=auth(), timeout=10) as http:
            tid = http.post("/threads", json={}).json()["thread_id"]
            assert http.post(f"/threads/{tid}/runs/wait", json=BODY).status_code == 200

            own_redis.kill()
            for method, path, body in [("POST", f"/threads/{tid}/runs/wait", BODY), ("POST", "/runs/wait", BODY),
                                       ("POST", f"/threads/{tid}/runs/stream", BODY), ("GET", f"/threads/{tid}", None),
                                       ("POST", "/threads", {})]:
                response = http.request(method, path, json=body)
                assert response.status_code == 503, (path, response.text)
                assert response.json()["status"] == 503 and response.headers["retry-after"] == "1"

            own_redis.start()  # same port, empty: the old thread is gone, new work must succeed
            deadline = time.monotonic() + 10
            while True:
                response = http.post("/threads", json={})
                if response.status_code == 200 or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            assert response.status_code == 200, response.text
            tid = response.json()["thread_id"]
            values = http.post(f"/threads/{tid}/runs/wait", json=BODY).json()
            assert values["messages"][-1]["content"] == "echo: hi (user=trader_aruna, books=FX-G10)"
            assert http.post("/runs/wait", json=BODY).status_code == 200
    finally:
        server.stop()


def test_dead_redis_answers_503_on_crons_and_the_store_then_they_work_again(own_redis, fxdesk_home, tmp_path):
    env = base_env(fxdesk_home, own_redis.url, f"fxdesk-test:{uuid4().hex}:")
    server = start_fxdesk(tmp_path, env)
    item = {"namespace": ["users", "trader_aruna", "notes"], "key": "k1", "value": {"text": "watch cable"}}
    search = {"namespace_prefix": ["users", "trader_aruna"]}
    cron = {"assistant_id": "echo", "schedule": "0 7 * * 1-5", "input": BODY["input"]}
    calls = [("PUT", "/store/items", item), ("POST", "/store/items/search", search),
             ("POST", "/runs/crons", cron), ("POST", "/runs/crons/search", {}), ("POST", "/runs/crons/count", {})]
    try:
        with httpx.Client(base_url=server.url, headers=auth(), timeout=10) as http:
            own_redis.kill()
            for method, path, body in calls:
                response = http.request(method, path, json=body)
                assert response.status_code == 503, (path, response.status_code, response.text)
                assert response.json()["status"] == 503 and response.headers["retry-after"] == "1"

            own_redis.start()
            deadline = time.monotonic() + 10
            while http.put("/store/items", json=item).status_code != 204 and time.monotonic() < deadline:
                time.sleep(0.2)
            found = http.post("/store/items/search", json=search).json()["items"]
            assert [i["value"] for i in found] == [{"text": "watch cable"}]
            created = http.post("/runs/crons", json=cron)
            assert created.status_code == 200, created.text
            listed = http.post("/runs/crons/search", json={}).json()
            assert [c["cron_id"] for c in listed] == [created.json()["cron_id"]]
    finally:
        server.stop()
