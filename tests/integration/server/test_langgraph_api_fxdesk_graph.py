"""`fxdesk serve` with no graph option serves the real supervisor graph from langgraph.json."""

from __future__ import annotations

import pytest
from langgraph_sdk import get_client

from server.runs.registry import assistant_id_for
from tests.integration.server.conftest import auth
from tests.integration.server.servers import start_fxdesk

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def desk_server(server_env, tmp_path_factory):
    server = start_fxdesk(tmp_path_factory.mktemp("desk"), server_env, echo=False)
    yield server
    server.stop()


async def test_fxdesk_assistant_answers_a_position_question_in_the_callers_scope(desk_server):
    client = get_client(url=desk_server.url, headers=auth())
    [assistant] = await client.assistants.search()
    assert assistant["graph_id"] == "fxdesk" and assistant["assistant_id"] == assistant_id_for("fxdesk")
    thread = await client.threads.create()
    question = {"messages": [{"role": "user", "content": "what is my net open position?"}]}
    values = await client.runs.wait(thread["thread_id"], "fxdesk", input=question)
    answer = values["messages"][-1]["content"]
    assert values["messages"][-1]["type"] == "ai" and "FX-G10" in answer and "FX-EM" not in answer


async def test_fxdesk_stream_starts_with_metadata_and_follow_up_keeps_the_thread(desk_server):
    client = get_client(url=desk_server.url, headers=auth("trader_li"))
    thread = await client.threads.create()
    first = {"messages": [{"role": "user", "content": "what is my net open position?"}]}
    events = [e async for e in client.runs.stream(thread["thread_id"], "fxdesk", input=first,
                                                  stream_mode=["values", "updates", "messages-tuple"])]
    assert events[0].event == "metadata" and "error" not in [e.event for e in events]
    assert {"values", "updates", "messages"} <= {e.event for e in events}
    follow_up = {"messages": [{"role": "user", "content": "and the 1-day VaR?"}]}
    values = await client.runs.wait(thread["thread_id"], "fxdesk", input=follow_up)
    humans = [m["content"] for m in values["messages"] if m["type"] == "human"]
    assert humans == ["what is my net open position?", "and the 1-day VaR?"]
    assert "FX-EM" in values["messages"][-1]["content"]
