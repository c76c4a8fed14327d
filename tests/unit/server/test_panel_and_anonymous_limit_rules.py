"""What a panel request costs and which paths the anonymous limit leaves alone (issue 12, finding 4)."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from server.anonymous_limit import is_exempt
from server.panel_limit import PNL_DEFAULT_DAYS, panel_cost


def _request(path: str, query: str = "") -> Request:
    return Request({"type": "http", "method": "GET", "path": path, "query_string": query.encode(), "headers": []})


@pytest.mark.parametrize(("path", "query", "cost"), [
    ("/desk/panel/positions", "", 3), ("/desk/panel/pnl", "days=30", 30), ("/desk/panel/pnl", "days=1", 1),
    ("/desk/panel/pnl", "", PNL_DEFAULT_DAYS), ("/desk/panel/pnl", "days=abc", PNL_DEFAULT_DAYS),
    ("/desk/panel/pnl", "days=0", PNL_DEFAULT_DAYS), ("/desk/panel/journal", "", 1),
    ("/desk/panel/behaviour/", "", 1), ("/desk/panel/rates", "pair=EURUSD", 1),
])
def test_panel_request_costs_its_tool_calls(path, query, cost):
    assert panel_cost(_request(path, query)) == cost


@pytest.mark.parametrize(("path", "exempt"), [
    ("/healthz", True), ("/readyz", True), ("/metrics", True), ("/", True), ("/assets/index-x.js", True),
    ("/docs", True), ("/docs/assets/swagger-ui.css", True), ("/openapi.json", True),
    ("/threads", False), ("/chat", False), ("/desk/panel/pnl", False), ("/genai/usage", False),
    ("/dev/token", False), ("/assetsX", False),
])
def test_only_public_cheap_paths_skip_the_anonymous_limit(path, exempt):
    assert is_exempt(path) is exempt
