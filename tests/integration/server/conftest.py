"""Server fixtures for the LangGraph API tests: `fxdesk serve` and `langgraph dev` on the echo graph."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from uuid import uuid4

import pytest

from server.auth import JwtKeys, mint_token
from tests.integration.server.servers import JWT_SECRET, ServerProcess, base_env, start_fxdesk, start_langgraph_dev
from tests.redis_keys import delete_prefix

KEYS = JwtKeys("HS256", JWT_SECRET, JWT_SECRET)


def token_for(user_id: str, role: str, ttl: timedelta = timedelta(hours=1)) -> str:
    return mint_token(user_id, role, KEYS, ttl=ttl)


def auth(user_id: str = "trader_aruna", role: str = "trader") -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(user_id, role)}"}


@pytest.fixture(scope="module")
def module_prefix(redis_url: str) -> Iterator[str]:
    prefix = f"fxdesk-test:{uuid4().hex}:"
    yield prefix
    delete_prefix(redis_url, prefix)


@pytest.fixture(scope="module")
def server_env(fxdesk_home, redis_url, module_prefix) -> dict[str, str]:
    return base_env(fxdesk_home, redis_url, module_prefix)


@pytest.fixture(scope="module")
def fxdesk_server(server_env, tmp_path_factory) -> Iterator[ServerProcess]:
    server = start_fxdesk(tmp_path_factory.mktemp("fxdesk-serve"), server_env)
    yield server
    server.stop()


@pytest.fixture(scope="module", params=["fxdesk", "langgraph-dev"])
def api_server(request, server_env, tmp_path_factory) -> Iterator[ServerProcess]:
    """The same contract suite runs against our server and against the reference one."""
    workdir = tmp_path_factory.mktemp(request.param)
    server = start_fxdesk(workdir, server_env) if request.param == "fxdesk" else start_langgraph_dev(workdir,
                                                                                                      server_env)
    yield server
    server.stop()
