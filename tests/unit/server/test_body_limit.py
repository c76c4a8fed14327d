from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from server.body_limit import BodyLimitMiddleware


def _client(max_bytes=100):
    app = FastAPI()

    @app.post("/echo")
    async def echo(request: Request):
        return {"size": len(await request.body())}

    app.add_middleware(BodyLimitMiddleware, max_bytes=max_bytes)
    return TestClient(app)


def test_body_under_the_limit_reaches_the_app():
    assert _client().post("/echo", content=b"x" * 100).json() == {"size": 100}


def test_declared_oversized_body_gets_a_413_problem():
    response = _client().post("/echo", content=b"x" * 101)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 413 and "100 bytes" in problem["detail"]


def test_streamed_body_without_length_is_counted_and_refused():
    def chunks():
        for _ in range(5):
            yield b"y" * 40

    response = _client().post("/echo", content=chunks())
    assert response.status_code == 413
