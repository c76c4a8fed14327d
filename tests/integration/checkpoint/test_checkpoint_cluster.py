"""The savers on a real Redis Cluster (three local nodes): hash tags keep each thread in one slot."""

from __future__ import annotations

import random
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis
from langgraph.checkpoint.base import empty_checkpoint
from langgraph.checkpoint.conformance import checkpointer_test, validate
from redis.asyncio.cluster import RedisCluster as AsyncRedisCluster
from redis.cluster import RedisCluster

from checkpoint import AsyncRedisSaver, RedisSaver


def _bindable(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def _free_ports(n: int) -> list[int]:
    """Free ports whose cluster-bus twin (port + 10000) is free too, so below 55536."""
    ports: list[int] = []
    for port in random.sample(range(20000, 45000), 400):
        if _bindable(port) and _bindable(port + 10000):
            ports.append(port)
            if len(ports) == n:
                return ports
    raise RuntimeError("no free ports for a local Redis Cluster")


@pytest.fixture(scope="module")
def cluster_url(tmp_path_factory) -> Iterator[str]:
    """A throw-away three-primary Redis Cluster on 127.0.0.1 (needs redis-server and redis-cli)."""
    server, cli = shutil.which("redis-server"), shutil.which("redis-cli")
    if not server or not cli:
        pytest.skip("redis-server / redis-cli not installed: cannot start a local Redis Cluster")
    ports = _free_ports(3)
    procs = []
    for port in ports:
        workdir = tmp_path_factory.mktemp(f"cluster-{port}")
        procs.append(subprocess.Popen(
            [server, "--port", str(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
             "--cluster-config-file", str(workdir / "nodes.conf"), "--save", "", "--appendonly", "no",
             "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    try:
        for port in ports:
            deadline = time.monotonic() + 10
            while True:
                try:
                    redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.2).ping()
                    break
                except redis.ConnectionError:
                    assert time.monotonic() < deadline, f"cluster node {port} did not start"
                    time.sleep(0.05)
        subprocess.run([cli, "--cluster", "create", *(f"127.0.0.1:{p}" for p in ports), "--cluster-replicas",
                        "0", "--cluster-yes"], check=True, capture_output=True, timeout=30)
        deadline = time.monotonic() + 10
        first = redis.Redis(host="127.0.0.1", port=ports[0])
        while b"cluster_state:ok" not in first.execute_command("CLUSTER", "INFO"):
            assert time.monotonic() < deadline, "cluster did not converge"
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{ports[0]}/0"
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=10)


@pytest.mark.slow
async def test_async_saver_passes_full_conformance_on_redis_cluster(cluster_url):
    @checkpointer_test(name="AsyncRedisSaver on Cluster")
    async def factory():
        client = AsyncRedisCluster.from_url(cluster_url)
        saver = AsyncRedisSaver(client, prefix="cp:")
        await saver.asetup()
        yield saver
        await client.aclose()

    report = await validate(factory)
    assert {n: r.failures for n, r in report.results.items() if r.failures} == {}
    assert report.conformance_level() == "FULL"


@pytest.mark.slow
def test_sync_saver_lists_threads_on_every_cluster_node(cluster_url):
    client = RedisCluster.from_url(cluster_url)
    saver = RedisSaver(client, prefix="list-all:")
    saver.setup()
    threads = [f"thread-{i}" for i in range(12)]
    for t in threads:
        cp = empty_checkpoint()
        saver.put({"configurable": {"thread_id": t, "checkpoint_ns": ""}}, cp, {"run_id": "r"}, {})
    slots_by_node = {client.get_node_from_key(saver.layout.thread(t).idx).name for t in threads}
    assert len(slots_by_node) > 1  # the threads really are spread over several nodes
    listed = {tup.config["configurable"]["thread_id"] for tup in saver.list(None)}
    assert listed == set(threads)
    saver.delete_for_runs(["r"])
    assert list(saver.list(None)) == []
    client.close()
