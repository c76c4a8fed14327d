"""Which requests are run-creating, and how user message length is measured (server.limits)."""

from __future__ import annotations

import pytest

from server.limits import is_run_creating, message_too_long, user_messages


@pytest.mark.parametrize("method, path, expected", [
    ("POST", "/chat", True), ("POST", "/api/risk/position/summary", True),
    ("POST", "/threads/t1/runs", True), ("POST", "/threads/t1/runs/wait", True),
    ("POST", "/threads/t1/runs/stream", True), ("POST", "/runs/wait", True), ("POST", "/runs/stream", True),
    ("POST", "/runs", True),
    ("POST", "/threads/t1/runs/r1/cancel", False), ("GET", "/threads/t1/runs", False),
    ("POST", "/threads", False), ("POST", "/threads/search", False), ("GET", "/chat", False),
])
def test_only_requests_that_start_a_run_are_rate_limited(method, path, expected):
    assert is_run_creating(method, path) is expected


def test_user_messages_come_from_every_shape_a_client_sends():
    body = {"input": {"messages": [
        {"role": "user", "content": "a" * 3},
        {"type": "human", "content": [{"type": "text", "text": "bb"}, {"type": "image_url", "image_url": "x"}]},
        ["user", "cccc"], "ddddd",
        {"role": "assistant", "content": "not the user's" * 100},
    ]}, "command": {"resume": "yes"}}
    assert list(user_messages(body)) == ["aaa", "bb", "cccc", "ddddd", "yes"]
    assert list(user_messages({"message": "hello"})) == ["hello"]
    assert list(user_messages({"input": None})) == []
    assert list(user_messages(["not", "a", "body"])) == []


def test_message_limit_is_inclusive_and_the_detail_says_both_numbers():
    assert message_too_long({"message": "x" * 4000}, 4000) is None
    detail = message_too_long({"message": "x" * 4001}, 4000)
    assert detail is not None and "4,001 characters" in detail and "at most 4,000" in detail
    assert message_too_long({"input": {"messages": [{"role": "user", "content": "x" * 11}]}}, 10) is not None
