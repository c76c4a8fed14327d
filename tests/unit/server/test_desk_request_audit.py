"""Request audit records: decision by status, the log line and the audit row (server.request_audit)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from server.request_audit import RequestRecord, decision_for


@pytest.mark.parametrize("status, decision", [(200, "allowed"), (202, "allowed"), (304, "allowed"),
                                              (401, "denied"), (403, "denied"), (404, "denied"), (413, "denied"),
                                              (429, "denied"), (500, "error"), (503, "error")])
def test_decision_follows_the_status(status, decision):
    assert decision_for(status) == decision


def _record(**overrides) -> RequestRecord:
    fields = {"at": datetime(2026, 11, 20, 9, 30, tzinfo=UTC), "user_id": "trader_aruna", "role": "trader",
              "method": "POST", "route": "/threads/{thread_id}/runs/wait", "status": 200, "duration_ms": 12.345,
              "thread_id": "t1", "run_id": "r1"}
    return RequestRecord(**{**fields, **overrides})


def test_log_line_is_one_json_object_with_every_field():
    line = json.loads(_record().log_line())
    assert line == {"event": "http_request", "at": "2026-11-20T09:30:00+00:00", "user_id": "trader_aruna",
                    "role": "trader", "method": "POST", "route": "/threads/{thread_id}/runs/wait", "status": 200,
                    "duration_ms": 12.35, "thread_id": "t1", "run_id": "r1", "decision": "allowed"}


def test_audit_row_names_the_http_route_as_the_tool_and_fits_the_columns():
    row = _record(status=429, user_id="u" * 40).row()
    assert row["tool"] == "http:POST /threads/{thread_id}/runs/wait" and row["decision"] == "denied"
    assert row["detail"] == "429 in 12.3 ms" and json.loads(row["args"]) == {"status": 429}
    assert len(row["user_id"]) == 32 and row["at"].tzinfo is None
    assert (row["thread_id"], row["run_id"]) == ("t1", "r1")
    assert _record(thread_id=None, run_id="").row()["run_id"] is None
