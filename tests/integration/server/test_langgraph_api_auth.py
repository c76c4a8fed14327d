"""Authentication, scope and ownership on `fxdesk serve`'s LangGraph API (problem bodies, no traces)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest

from server.auth import ISSUER
from tests.integration.server.conftest import auth, token_for

pytestmark = pytest.mark.slow

ARUNA = {"user_id": "trader_aruna", "role": "trader"}
BODY = {"assistant_id": "echo", "input": {"messages": [{"role": "user", "content": "hi"}]}}


@pytest.fixture
def http(fxdesk_server):
    with httpx.Client(base_url=fxdesk_server.url, timeout=10) as client:
        yield client


def assert_problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert set(body) == {"type", "title", "detail", "status"} and body["status"] == status
    assert "Traceback" not in response.text
    return body


def _expired_token() -> str:
    return token_for("trader_aruna", "trader", ttl=timedelta(seconds=-60))


def _foreign_token() -> str:
    now = datetime.now(UTC)
    claims = {"sub": "trader_aruna", "role": "trader", "iss": ISSUER, "iat": int(now.timestamp()),
              "exp": int((now + timedelta(hours=1)).timestamp())}
    return jwt.encode(claims, "some-other-secret-that-is-long-enough-for-hs256", algorithm="HS256")


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Basic dXNlcjpwYXNz"},
    {"Authorization": f"Bearer {_expired_token()}"},
    {"Authorization": f"Bearer {_foreign_token()}"},
], ids=["missing", "not-bearer", "expired", "wrongly-signed"])
@pytest.mark.parametrize("method,path", [
    ("POST", "/assistants/search"), ("POST", "/threads"), ("POST", "/threads/search"),
    ("POST", "/runs/wait"), ("GET", "/threads/00000000-0000-0000-0000-000000000000/state"),
])
def test_requests_without_a_valid_token_get_401(http, headers, method, path):
    response = http.request(method, path, headers=headers, json=BODY)
    body = assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"
    assert body["detail"]


def test_expired_token_is_told_it_expired(http):
    response = http.post("/threads", headers={"Authorization": f"Bearer {_expired_token()}"}, json={})
    assert "expired" in assert_problem(response, 401)["detail"]


@pytest.mark.parametrize("context,needle", [
    ({"user_id": "trader_li", "role": "trader"}, "trader_li"),
    ({**ARUNA, "role": "compliance"}, "compliance"),
    ({**ARUNA, "books": ["FX-G10", "FX-EM"]}, "FX-EM"),
    ({**ARUNA, "customers": ["Cust310"]}, "Cust310"),
])
def test_context_naming_another_user_or_widening_scope_gets_403(http, context, needle):
    thread = http.post("/threads", headers=auth(), json={}).json()
    for path in (f"/threads/{thread['thread_id']}/runs/wait", "/runs/wait",
                 f"/threads/{thread['thread_id']}/runs/stream", f"/threads/{thread['thread_id']}/runs"):
        body = assert_problem(http.post(path, headers=auth(), json={**BODY, "context": context}), 403)
        assert needle in body["detail"]
    assert http.get(f"/threads/{thread['thread_id']}/runs", headers=auth()).json() == []


def test_narrowed_context_runs_with_the_narrower_scope(http):
    response = http.post("/runs/wait", headers=auth(), json={**BODY, "context": {"books": []}})
    assert response.status_code == 200
    assert response.json()["messages"][-1]["content"] == "echo: hi (user=trader_aruna, books=)"


def test_without_context_the_run_gets_the_users_full_entitlements(http):
    response = http.post("/runs/wait", headers=auth(), json=BODY)
    assert response.json()["messages"][-1]["content"] == "echo: hi (user=trader_aruna, books=FX-G10)"


def test_another_users_thread_is_404_on_every_thread_and_run_endpoint(http):
    tid = http.post("/threads", headers=auth(), json={"metadata": {"owner": "aruna"}}).json()["thread_id"]
    run = http.post(f"/threads/{tid}/runs", headers=auth(), json=BODY).json()
    http.get(f"/threads/{tid}/runs/{run['run_id']}/join", headers=auth())
    li = auth("trader_li")
    calls = [
        ("GET", f"/threads/{tid}", None), ("PATCH", f"/threads/{tid}", {"metadata": {"x": 1}}),
        ("DELETE", f"/threads/{tid}", None), ("GET", f"/threads/{tid}/state", None),
        ("POST", f"/threads/{tid}/state", {"values": {"turns": 9}}),
        ("GET", f"/threads/{tid}/history", None), ("POST", f"/threads/{tid}/history", {"limit": 5}),
        ("POST", f"/threads/{tid}/runs/wait", BODY), ("POST", f"/threads/{tid}/runs/stream", BODY),
        ("POST", f"/threads/{tid}/runs", BODY), ("GET", f"/threads/{tid}/runs", None),
        ("GET", f"/threads/{tid}/runs/{run['run_id']}", None),
        ("GET", f"/threads/{tid}/runs/{run['run_id']}/join", None),
        ("GET", f"/threads/{tid}/runs/{run['run_id']}/stream", None),
        ("POST", f"/threads/{tid}/runs/{run['run_id']}/cancel", None),
        ("DELETE", f"/threads/{tid}/runs/{run['run_id']}", None),
    ]
    for method, path, body in calls:
        assert_problem(http.request(method, path, headers=li, json=body), 404)
    found = http.post("/threads/search", headers=li, json={"metadata": {"owner": "aruna"}}).json()
    assert found == []
    # ...and nothing above changed the owner's thread.
    mine = http.get(f"/threads/{tid}", headers=auth()).json()
    assert mine["metadata"] == {"owner": "aruna", "graph_id": "echo", "assistant_id": run["assistant_id"]}
    assert [r["run_id"] for r in http.get(f"/threads/{tid}/runs", headers=auth()).json()] == [run["run_id"]]


def test_unknown_assistant_and_malformed_body_get_problems(http):
    assert_problem(http.post("/runs/wait", headers=auth(), json={**BODY, "assistant_id": "nope"}), 404)
    assert_problem(http.post("/runs/wait", headers=auth(), json={"input": {}}), 422)
    assert_problem(http.post("/runs/wait", headers=auth(), json={**BODY, "context": {"desk": "x"}}), 422)


def test_dev_mode_accepts_context_user_id_without_a_token_and_nothing_else(server_env, tmp_path):
    from tests.integration.server.servers import start_fxdesk

    server = start_fxdesk(tmp_path, server_env, extra=("--dev",))
    try:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            as_li = {**BODY, "context": {"user_id": "trader_li"}}
            response = http.post("/runs/wait", json=as_li)
            assert response.status_code == 200
            assert response.json()["messages"][-1]["content"] == "echo: hi (user=trader_li, books=FX-EM)"
            assert_problem(http.post("/runs/wait", json=BODY), 401)
            assert_problem(http.post("/runs/wait", json={**BODY, "context": {"user_id": "nobody"}}), 401)
            # A token still wins over the body: the context may not name someone else.
            assert_problem(http.post("/runs/wait", headers=auth(), json=as_li), 403)
    finally:
        server.stop()


def test_unsupported_stream_mode_is_refused_before_running(http):
    body = assert_problem(http.post("/runs/stream", headers=auth(), json={**BODY, "stream_mode": ["events"]}), 422)
    assert "events" in body["detail"]
