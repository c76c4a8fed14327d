"""Bad input is a 4xx problem in one ``type`` scheme, never a 500 or library text (issue 12, findings 3, 8, 9)."""

from __future__ import annotations

import jwt

from server.runs.registry import assistant_id_for
from tests.integration.server.conftest import auth
from tests.integration.server.hardening import RUN_INPUT, answering_client, assert_problem
from tests.integration.server.servers import JWT_SECRET

FXDESK = assistant_id_for("fxdesk")
BIG_INT = b"123456789012345678901234567890"
JSON = {"content-type": "application/json"}


async def _thread(client, user: str = "trader_aruna", role: str = "trader") -> str:
    created = await client.post("/threads", json={}, headers=auth(user, role))
    assert created.status_code == 200, created.text
    return created.json()["thread_id"]


async def _ran(client, tid: str) -> None:
    run = await client.post(f"/threads/{tid}/runs/wait", json={"assistant_id": FXDESK, "input": RUN_INPUT},
                            headers=auth())
    assert run.status_code == 200, run.text


async def test_chunked_body_over_the_limit_is_413_not_400(redis_url, redis_prefix, fxdesk_home):
    """Issue 12 finding 9: a chunked (no Content-Length) oversize body answered 400."""
    async def chunks():
        for _ in range(8):
            yield b'{"metadata": {"pad": "' + b"y" * 400 + b'"'

    async with answering_client(redis_url, redis_prefix, max_body_bytes=2048) as client:
        for path in ["/threads", "/chat", "/threads/search"]:
            response = await client.post(path, content=chunks(), headers={**auth(), **JSON})
            problem = assert_problem(response, 413, "2,048 bytes")
            assert problem["type"] == "https://fxdesk.dev/problems/request-entity-too-large"


async def test_every_problem_uses_one_type_scheme_including_413(redis_url, redis_prefix, fxdesk_home):
    """Issue 12 finding 9: the 413 problem's ``type`` was ``about:blank#...`` unlike every other problem."""
    async with answering_client(redis_url, redis_prefix, max_body_bytes=2048) as client:
        too_large = await client.post("/threads", json={"metadata": {"pad": "y" * 3000}}, headers=auth())
        unprocessable = await client.get("/threads/x/history?limit=0", headers=auth())
        not_found = await client.get("/threads/nope", headers=auth())
        unauthorised = await client.get("/threads/nope")
        for response, status in [(too_large, 413), (unprocessable, 422), (not_found, 404), (unauthorised, 401)]:
            problem = assert_problem(response, status)
            assert problem["type"].rsplit("/", 1)[1] == problem_slug(status)


def problem_slug(status: int) -> str:
    from http import HTTPStatus

    return HTTPStatus(status).phrase.lower().replace(" ", "-")


async def test_history_limits_outside_1_to_1000_are_422(redis_url, redis_prefix, fxdesk_home):
    """Issue 12 finding 3: history ``limit=0`` / ``-1`` / ``1001`` answered 500."""
    async with answering_client(redis_url, redis_prefix) as client:
        tid = await _thread(client)
        await _ran(client, tid)
        for limit in (0, -1, 1001):
            assert_problem(await client.get(f"/threads/{tid}/history?limit={limit}", headers=auth()), 422, "limit")
            assert_problem(await client.post(f"/threads/{tid}/history", json={"limit": limit}, headers=auth()),
                           422, "limit")
        ok = await client.get(f"/threads/{tid}/history?limit=1000", headers=auth())
        assert ok.status_code == 200 and ok.json()


async def test_state_updates_the_graph_cannot_take_are_422(redis_url, redis_prefix, fxdesk_home):
    """Issue 12 finding 3: ``as_node`` unknown or empty, ``values`` a list, ``messages: 5`` answered 500."""
    async with answering_client(redis_url, redis_prefix) as client:
        tid = await _thread(client)
        await _ran(client, tid)
        cases = [({"values": {"messages": []}, "as_node": "nope"}, "as_node"),
                 ({"values": {"messages": []}, "as_node": ""}, "as_node"),
                 ({"values": [{"messages": []}]}, "values"),
                 ({"values": {"messages": 5}}, "values.messages"),
                 ({"values": {"messages": [{"role": "user", "content": 5}]}}, "values.messages")]
        for body, field in cases:
            assert_problem(await client.post(f"/threads/{tid}/state", json=body, headers=auth()), 422, field)
        good = await client.post(f"/threads/{tid}/state", headers=auth(), json={
            "values": {"messages": [{"role": "user", "content": "noted"}]}, "as_node": "supervisor"})
        assert good.status_code == 200, good.text


async def test_metadata_json_cannot_store_is_422_on_threads_patch_and_runs(redis_url, redis_prefix, fxdesk_home):
    """Issue 12 finding 3: a lone surrogate or an integer beyond 64 bits in metadata answered 500."""
    async with answering_client(redis_url, redis_prefix) as client:
        tid = await _thread(client)
        for value in (b'"\\udc00"', BIG_INT, b"-" + BIG_INT, b'{"deep": [' + BIG_INT + b"]}"):
            metadata = b'{"metadata": {"a": ' + value + b"}"
            assert_problem(await client.post("/threads", content=metadata + b"}", headers={**auth(), **JSON}),
                           422, "metadata")
            assert_problem(await client.patch(f"/threads/{tid}", content=metadata + b"}",
                                              headers={**auth(), **JSON}), 422, "metadata")
            run = b'{"assistant_id": "' + FXDESK.encode() + b'", ' + metadata[1:] + b"}"
            assert_problem(await client.post(f"/threads/{tid}/runs", content=run, headers={**auth(), **JSON}),
                           422, "metadata")
        assert (await client.get(f"/threads/{tid}", headers=auth())).json()["metadata"] == {}


async def test_token_with_an_expiry_beyond_the_calendar_is_401(redis_url, redis_prefix, fxdesk_home):
    """Issue 12 finding 3: a correctly signed token with ``exp = 2**40`` answered 500."""
    token = jwt.encode({"sub": "trader_aruna", "role": "trader", "iss": "fxdesk", "iat": 1, "exp": 2**40},
                       JWT_SECRET, algorithm="HS256")
    async with answering_client(redis_url, redis_prefix) as client:
        assert_problem(await client.get("/threads/x", headers={"Authorization": f"Bearer {token}"}), 401, "exp")


async def test_panel_window_before_the_calendar_is_422_not_500(redis_url, redis_prefix, fxdesk_home):
    """Issue 12 finding 3: ``/desk/panel/behaviour?window=since 0001-01-01`` overflowed into a 500."""
    async with answering_client(redis_url, redis_prefix) as client:
        for path in ["/desk/panel/behaviour", "/desk/panel/journal", "/desk/panel/rates?pair=EURUSD"]:
            sep = "&" if "?" in path else "?"
            response = await client.get(f"{path}{sep}window=since 0001-01-01", headers=auth())
            assert_problem(response, 422, "window")


async def test_run_input_messages_the_graph_cannot_read_are_422_naming_the_field(redis_url, redis_prefix,
                                                                                fxdesk_home):
    """Issue 12 finding 8: ``ValidationError: 2 validation errors for HumanMessage`` reached the run body."""
    async with answering_client(redis_url, redis_prefix) as client:
        tid = await _thread(client)
        cases = [({"messages": [{"role": "user", "content": 5}]}, "input.messages[0].content"),
                 ({"messages": [{"foo": 1}]}, "input.messages[0]"),
                 ({"messages": [{"role": "user", "content": "hi"}, {"role": "wizard", "content": "x"}]},
                  "input.messages[1]"),
                 ({"messages": 5}, "input.messages")]
        for graph_input, field in cases:
            for path in [f"/threads/{tid}/runs/wait", f"/threads/{tid}/runs/stream", f"/threads/{tid}/runs",
                         "/runs/wait"]:
                response = await client.post(path, json={"assistant_id": FXDESK, "input": graph_input},
                                             headers=auth())
                assert_problem(response, 422, field)
        command = {"assistant_id": FXDESK, "command": {"update": {"messages": [{"role": "user", "content": 5}]}}}
        assert_problem(await client.post(f"/threads/{tid}/runs/wait", json=command, headers=auth()), 422,
                       "command.update.messages[0].content")
        assert (await client.get(f"/threads/{tid}/runs", headers=auth())).json() == []


async def test_reserved_langgraph_config_keys_are_stripped_and_the_run_behaves_as_without_them(
        redis_url, redis_prefix, fxdesk_home):
    """Issue 12 finding 7: ``__pregel_*`` keys in ``config.configurable`` reached the graph."""
    reserved = {"__pregel_send": "not a function", "__pregel_checkpointer": "nope", "__pregel_read": 1,
                "__pregel_scratchpad": {}, "__whatever": True, "user_setting": "kept"}
    question = {"messages": [{"role": "user", "content": "what is my net open position?"}]}
    async with answering_client(redis_url, redis_prefix) as client:
        answers = []
        for configurable in ({}, reserved):
            tid = await _thread(client)
            run = await client.post(f"/threads/{tid}/runs/wait", headers=auth(), json={
                "assistant_id": FXDESK, "input": question, "config": {"configurable": configurable}})
            assert run.status_code == 200 and "__error__" not in run.json(), run.text[:300]
            answers.append(run.json()["messages"][-1]["content"])
            [record] = (await client.get(f"/threads/{tid}/runs", headers=auth())).json()
            kept = record["kwargs"]["config"]["configurable"]
            assert not [k for k in kept if k.startswith("__")]
        assert answers[0] == answers[1] and "FX-G10" in answers[0]
        assert kept["user_setting"] == "kept"


async def test_run_options_the_graph_cannot_take_are_422_not_a_failed_run(redis_url, redis_prefix, fxdesk_home):
    """Issue 12 finding 8: a bad ``context.books``, ``command.goto`` or ``recursion_limit`` ended as a 500 or a
    run body carrying the library's error text."""
    async with answering_client(redis_url, redis_prefix) as client:
        tid = await _thread(client)
        base = {"assistant_id": FXDESK, "input": RUN_INPUT}
        for extra, field in [({"context": {"books": 5}}, "books"), ({"context": {"customers": [1]}}, "customers"),
                             ({"config": {"recursion_limit": -1}}, "config.recursion_limit"),
                             ({"config": {"recursion_limit": "x"}}, "config.recursion_limit"),
                             ({"command": {"goto": 5}}, "command.goto")]:
            body = {**base, **extra} if "command" not in extra else {"assistant_id": FXDESK, **extra}
            assert_problem(await client.post(f"/threads/{tid}/runs/wait", json=body, headers=auth()), 422, field)
