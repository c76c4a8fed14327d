"""The FastAPI app factory: the LangGraph Server API over Redis, for any compiled graph.

The lifespan opens, once for the app's lifetime, the Redis client for run and thread records and
the Redis checkpointer, compiles the served graphs with that checkpointer and starts the run
executor; everything is closed when the app stops.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis
from fastapi import APIRouter, FastAPI
from langgraph.checkpoint.base import BaseCheckpointSaver
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from server.auth import JwtKeys
from server.deps import ApiServices, UserLookup
from server.problems import install_problem_handlers
from server.routes import assistants, runs, threads
from server.runs.executor import Executor
from server.runs.keys import ApiKeys
from server.runs.registry import GraphRegistry, graphs_from_config
from server.runs.runs_store import RunStore
from server.runs.threads_store import ThreadStore
from server.settings import Settings
from tools.context import Context

log = logging.getLogger(__name__)
REPO_CONFIG = Path(__file__).resolve().parents[1] / "langgraph.json"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
# A Redis that is gone refuses connections at once (-> 503 in milliseconds); these bound the wait for one
# that does not answer. Reads get longer: under CPU saturation a busy event loop reads replies late.
REDIS_CONNECT_TIMEOUT_S = 0.5
REDIS_READ_TIMEOUT_S = 3.0
REDIS_POOL_SIZE = 64

CheckpointerFactory = Callable[[], AbstractAsyncContextManager[BaseCheckpointSaver]]


def create_app(*, settings: Settings | None = None, graphs: Mapping[str, Any] | None = None,
               users: UserLookup | None = None, jwt_keys: JwtKeys | None = None, dev: bool = False,
               checkpointer: CheckpointerFactory | None = None, routers: Sequence[APIRouter] = ()) -> FastAPI:
    """Build the app serving ``graphs`` (default: the repo's ``langgraph.json``) on Redis.

    Args:
        settings: Process settings (Redis URL, key prefix, checkpoint TTL, database URL).
        graphs: Graph id -> spec string, builder, compiled graph or factory.
        users: Look up a user's entitlements (default: the desk database's user store).
        jwt_keys: Keys that verify bearer tokens (default: `JwtKeys.from_env`).
        dev: Accept ``context.user_id`` without a token (the caller must bind to loopback only).
        checkpointer: Async context manager factory for the saver (default: our Redis saver).
        routers: Extra routers to mount (the fxdesk-specific endpoints).

    """
    settings = settings or Settings()
    redis_url = settings.redis_url or DEFAULT_REDIS_URL
    graphs = dict(graphs) if graphs is not None else graphs_from_config(REPO_CONFIG)
    open_saver = checkpointer or (lambda: _redis_saver(settings, redis_url))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        client = records_client(redis_url)
        try:
            async with open_saver() as saver:
                registry = GraphRegistry.compile(graphs, saver)
                keys = ApiKeys(settings.key_prefix)
                runs_store = RunStore(client, keys, settings.run_record_ttl_seconds)
                threads_store = ThreadStore(client, keys, settings.run_record_ttl_seconds)
                executor = Executor(runs_store, threads_store, settings.max_concurrent_runs)
                app.state.redis = client
                app.state.api = ApiServices(registry=registry, threads=threads_store, runs=runs_store,
                                            executor=executor, users=users or _user_store(settings),
                                            jwt_keys=jwt_keys or JwtKeys.from_env(), dev=dev,
                                            durability=settings.durability)
                if dev:
                    log.warning("DEV MODE: requests without a token may act as any user named in context.user_id")
                await executor.start()
                try:
                    yield
                finally:
                    await executor.stop()
        finally:
            await client.aclose()

    app = FastAPI(title="fxdesk", lifespan=lifespan, docs_url="/docs", redoc_url=None)
    install_problem_handlers(app)
    for router in (assistants.router, threads.router, runs.router, *routers):
        app.include_router(router)
    return app


def records_client(url: str) -> aioredis.Redis:
    """Return the Redis client for API records: short timeouts and no retries, so outages answer fast."""
    # A blocking pool makes a burst of requests wait briefly for a connection instead of failing
    # with "Too many connections" (the default pool raises at its limit).
    pool = aioredis.BlockingConnectionPool.from_url(url, max_connections=REDIS_POOL_SIZE, timeout=REDIS_READ_TIMEOUT_S,
                                                    socket_timeout=REDIS_READ_TIMEOUT_S,
                                                    socket_connect_timeout=REDIS_CONNECT_TIMEOUT_S,
                                                    health_check_interval=0)
    return aioredis.Redis(connection_pool=pool, retry=Retry(NoBackoff(), 0))


@asynccontextmanager
async def _redis_saver(settings: Settings, url: str) -> AsyncIterator[BaseCheckpointSaver]:
    from checkpoint import AsyncRedisSaver

    async with AsyncRedisSaver.from_conn_string(url, prefix=settings.key_prefix,
                                                ttl=settings.checkpoint_ttl_seconds) as saver:
        yield saver


def _user_store(settings: Settings) -> UserLookup:
    from data.database import Database
    from data.users import UnknownUser
    from tools.users import context_for

    db = Database.from_url(settings.database_url)

    def lookup(user_id: str) -> Context | None:
        try:
            return context_for(db, user_id)
        except UnknownUser:
            return None

    async def entitlements(user_id: str) -> Context | None:
        return await asyncio.to_thread(lookup, user_id)

    return entitlements


def app_from_env() -> FastAPI:
    """Build the app from ``FXDESK_*`` variables (uvicorn factory for ``fxdesk serve --workers N``)."""
    graphs = None
    if spec := os.environ.get("FXDESK_SERVE_GRAPHS"):
        graphs = dict(part.split("=", 1) for part in spec.split(",") if part)
    elif config := os.environ.get("FXDESK_SERVE_CONFIG"):
        graphs = graphs_from_config(Path(config))
    return create_app(graphs=graphs, dev=os.environ.get("FXDESK_SERVE_DEV") == "1")
