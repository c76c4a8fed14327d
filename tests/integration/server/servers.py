"""Start `fxdesk serve` and `langgraph dev` as subprocesses on free loopback ports (test helpers)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[3]
ECHO_GRAPH = Path(__file__).resolve().parent / "echo_graph.py"
GRAPH_ID = "echo"
JWT_SECRET = "fxdesk-test-secret-for-the-langgraph-api-suite"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ServerProcess:
    kind: str
    url: str
    proc: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)

    def tail(self) -> str:
        return self.log.read_text()[-3000:] if self.log.exists() else ""


def _wait_up(server: ServerProcess, timeout: float = 180) -> ServerProcess:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"{server.kind} exited with {server.proc.returncode}:\n{server.tail()}")
        try:
            httpx.get(f"{server.url}/openapi.json", timeout=1.0)
            return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"{server.kind} did not answer within {timeout} s:\n{server.tail()}")


def base_env(home: Path, redis_url: str, prefix: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(FXDESK_HOME=str(home), FXDESK_REDIS_URL=redis_url, FXDESK_KEY_PREFIX=prefix,
               FXDESK_JWT_SECRET=JWT_SECRET, PYTHONPATH=str(REPO), LANGSMITH_TRACING="false",
               FXDESK_RATE_LIMIT="100000/minute", FXDESK_RATE_BURST="1000",  # suites outpace a desk user
               FXDESK_PANEL_RATE_LIMIT="100000/minute", FXDESK_PANEL_RATE_BURST="1000",
               FXDESK_ANONYMOUS_RATE_LIMIT="100000/minute", FXDESK_ANONYMOUS_RATE_BURST="1000",
               LANGCHAIN_TRACING_V2="false", LANGGRAPH_CLI_NO_ANALYTICS="1")  # tests never call out
    return env


ECHO = (GRAPH_ID, f"{ECHO_GRAPH}:graph")


def start_fxdesk(workdir: Path, env: dict[str, str], *, port: int | None = None, workers: int = 1,
                 extra: tuple[str, ...] = (), echo: bool = True, graph: tuple[str, str] | None = None,
                 timeout: float = 180) -> ServerProcess:
    """Start `fxdesk serve` on ``graph`` (id, spec); default the echo graph, ``echo=False`` the repo's fxdesk.

    ``timeout`` only bounds the wait for a server that never comes up: a busy shared machine can take
    a minute to import the graph, which is no failure of the server.
    """
    port = port or free_port()
    log = workdir / f"fxdesk-serve-{port}.log"
    graph = graph or (ECHO if echo else None)
    graph_args = ("--graph", f"{graph[0]}={graph[1]}") if graph else ()
    cmd = [sys.executable, "-m", "server.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers), *graph_args, "--log-level", "warning", *extra]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    return _wait_up(ServerProcess("fxdesk", f"http://127.0.0.1:{port}", proc, log), timeout=timeout)


def start_langgraph_dev(workdir: Path, env: dict[str, str], *, graph: tuple[str, str] = ECHO,
                        timeout: float = 180) -> ServerProcess:
    """Start `langgraph dev` serving ``graph`` (id, spec) from a langgraph.json written in ``workdir``."""
    port = free_port()
    config = workdir / "langgraph.json"
    config.write_text(json.dumps({"dependencies": [str(REPO)], "graphs": {graph[0]: graph[1]},
                                  "python_version": "3.11"}))
    binary = shutil.which("langgraph", path=str(Path(sys.executable).parent)) or "langgraph"
    log = workdir / f"langgraph-dev-{port}.log"
    cmd = [binary, "dev", "--no-browser", "--no-reload", "--host", "127.0.0.1", "--port", str(port),
           "--config", str(config)]
    proc = subprocess.Popen(cmd, cwd=workdir, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    return _wait_up(ServerProcess("langgraph-dev", f"http://127.0.0.1:{port}", proc, log), timeout=timeout)


@contextmanager
def fxdesk_replicas(workdir: Path, env: dict[str, str], count: int = 2) -> Iterator[list[ServerProcess]]:
    """Run ``count`` `fxdesk serve` processes on one Redis (``env``) and stop them all afterwards."""
    servers: list[ServerProcess] = []
    try:
        for _ in range(count):
            servers.append(start_fxdesk(workdir, env))
        yield servers
    finally:
        for server in servers:
            server.stop()
