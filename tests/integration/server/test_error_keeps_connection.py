"""A 500 is an answer, not a dropped connection: the client's keep-alive connection survives it (issue 12)."""

from __future__ import annotations

import threading
import time

import httpx
import uvicorn
from fastapi import FastAPI, Request

from server.problems import install_problem_handlers
from tests.integration.server.servers import free_port


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/boom")
    async def boom() -> dict:
        raise RuntimeError("a bug the server did not expect")

    @app.get("/whoami")
    async def whoami(request: Request) -> dict:
        return {"client_port": request.client.port if request.client else None}

    return app


def test_an_unexpected_error_answers_500_and_keeps_the_connection_open():
    """Issue 12 finding 3: a 5xx closed the keep-alive connection under the client."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(_app(), host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            first = client.get("/whoami").json()["client_port"]
            failed = client.get("/boom")
            assert failed.status_code == 500 and failed.headers["content-type"] == "application/problem+json"
            assert failed.json()["detail"] == "An internal error occurred." and "RuntimeError" not in failed.text
            assert failed.headers.get("connection", "").lower() != "close"
            assert client.get("/whoami").json()["client_port"] == first  # the same TCP connection
    finally:
        server.should_exit = True
        thread.join(timeout=10)
