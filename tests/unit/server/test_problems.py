from fastapi import FastAPI
from fastapi.testclient import TestClient
from redis.exceptions import ConnectionError as RedisConnectionError

from server.auth import AuthError
from server.problems import Problem, install_problem_handlers
from server.runs.caller import Forbidden
from server.runs.runs_store import Rejected


def _client() -> TestClient:
    app = FastAPI()
    install_problem_handlers(app)
    raised = {"problem": Problem(404, "Thread t not found"), "auth": AuthError("no token"),
              "forbidden": Forbidden("not yours"), "busy": Rejected("t"),
              "redis": RedisConnectionError("Error 111 connecting to 127.0.0.1:6390"),
              "bug": RuntimeError("secret internals at /srv/app.py line 3")}

    @app.get("/{name}")
    async def fail(name: str):
        raise raised[name]

    @app.get("/typed/{n}")
    async def typed(n: int):
        return n

    return TestClient(app, raise_server_exceptions=False)


def _problem(response, status):
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert set(body) == {"type", "title", "detail", "status"} and body["status"] == status
    return body


def test_each_error_kind_maps_to_its_status_with_a_problem_body():
    client = _client()
    assert _problem(client.get("/problem"), 404)["detail"] == "Thread t not found"
    assert _problem(client.get("/auth"), 401)["title"] == "Unauthorized"
    assert _problem(client.get("/forbidden"), 403)["detail"] == "not yours"
    assert "multitask strategy" in _problem(client.get("/busy"), 409)["detail"]
    assert _problem(client.get("/typed/x"), 422)["detail"].startswith("path.n")


def test_unavailable_redis_is_503_with_retry_after():
    response = _client().get("/redis")
    assert "Redis" in _problem(response, 503)["detail"] and response.headers["retry-after"] == "1"


def test_unexpected_errors_are_500_without_internals():
    response = _client().get("/bug")
    assert _problem(response, 500)["detail"] == "An internal error occurred."
    assert "secret" not in response.text and "Traceback" not in response.text


def test_malformed_json_body_is_a_422_that_says_where_the_json_breaks():
    from pydantic import BaseModel

    app = FastAPI()
    install_problem_handlers(app)

    class Body(BaseModel):
        message: str

    @app.post("/chat")
    async def chat(body: Body):
        return body

    response = TestClient(app).post("/chat", content=b'{"message": "hi"', headers={"content-type": "application/json"})
    body = _problem(response, 422)
    assert body["detail"].startswith("The request body is not valid JSON at character")
