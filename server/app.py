"""The app ``fxdesk serve`` runs: the LangGraph Server API for our graph plus fxdesk's own endpoints.

`create_app` assembles routers and middleware; its lifespan builds, once for the app's lifetime, the
one service container (`server.services.AppServices`) around the composition root's runtime
(`server.runtime.build_runtime`): the Redis client for run and thread records, the Redis
checkpointer, the served graphs compiled with it, the run executor, the rate limiter and the request
audit writer. Everything is closed when the app stops.

Middleware, outermost first: security headers, metrics, the anonymous limit (per address, before auth),
request audit, body size limit, run limits (rate, message length).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis
from fastapi import FastAPI
from langgraph.checkpoint.base import BaseCheckpointSaver
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from server.anonymous_limit import AnonymousLimitMiddleware
from server.auth import JwtKeys
from server.body_limit import BodyLimitMiddleware
from server.chat_turn import chat_registry
from server.limits import LimitsMiddleware
from server.metrics import Metrics, MetricsMiddleware
from server.problems import install_problem_handlers
from server.ratelimit import Rate, RateLimiter
from server.request_audit import AuditWriter, RequestAuditMiddleware
from server.routes import assistants, chat, desk_panel, docs, genai, health, runs, threads, web, webhooks
from server.routes import crons as cron_routes
from server.routes import store as store_routes
from server.run_metrics import observed_registry
from server.runs.executor import Executor
from server.runs.keys import ApiKeys
from server.runs.registry import GraphRegistry, graphs_from_config
from server.runs.relay import EventLog
from server.runs.runs_store import RunStore
from server.runs.threads_store import ThreadStore
from server.runtime import DeskRuntime, build_runtime
from server.security_headers import SecurityHeadersMiddleware
from server.services import DESK_GRAPH_ID, AppServices, UserLookup
from server.settings import Settings
from tools.context import Context

log = logging.getLogger(__name__)
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
# A Redis that is gone refuses connections at once (-> 503 in milliseconds); these bound the wait for one
# that does not answer. Reads get longer: under CPU saturation a busy event loop reads replies late.
REDIS_CONNECT_TIMEOUT_S = 0.5
REDIS_READ_TIMEOUT_S = 3.0
REDIS_POOL_SIZE = 64

STUDIO_SPEC = "server.studio:graph"

CheckpointerFactory = Callable[[], AbstractAsyncContextManager[BaseCheckpointSaver]]


def create_app(*, settings: Settings | None = None, graphs: Mapping[str, Any] | None = None,
               users: UserLookup | None = None, jwt_keys: JwtKeys | None = None, dev: bool = False,
               checkpointer: CheckpointerFactory | None = None,
               runtime: Callable[[Settings], DeskRuntime] = build_runtime) -> FastAPI:
    """Build the ``fxdesk serve`` app.

    Args:
        settings: Process settings (default: read the environment once, now).
        graphs: Graph id -> spec string, builder, compiled graph or factory (default: the runtime's
            desk graph as ``fxdesk``).
        users: Look up a user's entitlements (default: the desk database's user store).
        jwt_keys: Keys that verify bearer tokens (default: from settings).
        dev: Accept ``context.user_id`` without a token (the caller must bind to loopback only).
        checkpointer: Async context manager factory for the saver (default: our Redis saver).
        runtime: The composition root (tests may wrap it).

    """
    settings = settings or Settings()
    rate = Rate.parse(settings.rate_limit, burst=settings.rate_burst)  # fail at start on an unreadable rate
    redis_url = settings.redis_url or DEFAULT_REDIS_URL
    open_saver = checkpointer or (lambda: _redis_saver(settings, redis_url))
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        rt = await asyncio.to_thread(runtime, settings)
        client = records_client(redis_url)
        app.state.store = memory_store(settings, redis_url, client)  # runtime.store and /store (issue 15)
        audit = AuditWriter(rt.db)
        try:
            async with open_saver() as saver:
                served = {gid: rt.builder if _is_desk_graph(spec) else spec
                          for gid, spec in (graphs or {DESK_GRAPH_ID: STUDIO_SPEC}).items()}
                desk_ids = [gid for gid, spec in served.items() if spec is rt.builder]
                registry = GraphRegistry.compile(served, saver, {gid: rt.metadata for gid in desk_ids},
                                                 store=app.state.store)
                keys = ApiKeys(settings.key_prefix)
                runs_store = RunStore(client, keys, settings.run_record_ttl_seconds)
                threads_store = ThreadStore(client, keys, settings.run_record_ttl_seconds)
                services = AppServices(
                    settings=settings, runtime=rt, redis=client, threads=threads_store, runs=runs_store,
                    registry=observed_registry(registry, metrics),  # runs by route, tool calls
                    executor=Executor(runs_store, threads_store, settings.max_concurrent_runs,
                                      events=EventLog(client, keys, settings.stream_max_events,
                                                      settings.stream_ttl_seconds)),
                    users=users or _user_store(rt), jwt_keys=jwt_keys or JwtKeys.from_settings(settings),
                    limiter=RateLimiter(client, rate, prefix=settings.key_prefix), audit=audit,
                    metrics=metrics, dev=dev)
                services.chat_registry = chat_registry(services)
                metrics.add_usage_source(services.usage_rows)
                app.state.services = services
                app.state.webhooks = webhook_sender(settings, runs_store)  # issue 15
                services.executor.finish_hooks.append(app.state.webhooks.on_run_finished)
                if dev:
                    log.warning("DEV MODE: requests without a token may act as any user named in context.user_id")
                audit.start()
                await services.executor.start()
                scheduler = cron_scheduler(settings, app, client, keys)  # issue 15
                rt.schedules.attach(report_scheduler(app))  # the desk's report-schedule tools (issue 15)
                await scheduler.start()
                try:
                    yield
                finally:
                    rt.schedules.detach()
                    await scheduler.stop()
                    await services.executor.stop()
                    await app.state.webhooks.aclose()
                    await audit.stop()
        finally:
            app.state.store.client.close()
            await client.aclose()
            rt.close()

    # /docs is server.routes.docs: Swagger UI from local assets (issue 12).
    app = FastAPI(title="fxdesk", lifespan=lifespan, docs_url=None, redoc_url=None)
    install_problem_handlers(app)
    for router in (assistants.router, threads.router, runs.router, chat.router, genai.router, health.router,
                   desk_panel.router, store_routes.router, cron_routes.router, webhooks.router):
        app.include_router(router)
    web.install_web(app)  # the web desk at / (issue 9)
    docs.install_docs(app)  # Swagger UI from local assets (issue 12)
    # Added innermost first: a request meets metrics, then audit, then the body limit, then run limits.
    app.add_middleware(LimitsMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestAuditMiddleware)
    app.add_middleware(AnonymousLimitMiddleware, key_prefix=settings.key_prefix,  # before auth and audit (#12)
                       rate=Rate.parse(settings.anonymous_rate_limit, burst=settings.anonymous_rate_burst))
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.add_middleware(SecurityHeadersMiddleware)  # CSP, X-Frame-Options, nosniff on every response (#12)
    return app


def cron_scheduler(settings: Settings, app: FastAPI, client: aioredis.Redis, keys: ApiKeys):
    """Put the cron store on ``app.state`` and return this replica's scheduler (not yet started)."""
    from server.crons import CronScheduler, CronStore

    app.state.crons = CronStore(client, keys)
    return CronScheduler(app.state.crons, app.state.services, poll_s=settings.cron_poll_seconds,
                         lease_s=settings.cron_lease_seconds)


def report_scheduler(app: FastAPI):
    """Return the desk tools' report scheduler: crons on inbox threads, on this app's loop and stores."""
    from server.crons.report_scheduler import CronReportScheduler

    return CronReportScheduler(asyncio.get_running_loop(), app.state.services, app.state.crons, app.state.webhooks)


def webhook_sender(settings: Settings, runs_store: RunStore):
    """Return the webhook sender: signing secret, SSRF allow-list and retry policy from settings."""
    from server.webhooks import WebhookGuard, WebhookSender
    from server.webhooks.guard import parse_hosts

    return WebhookSender(runs_store, WebhookGuard(parse_hosts(settings.webhook_allow_hosts)),
                         settings.webhook_secret, attempts=settings.webhook_attempts,
                         backoff_base_s=settings.webhook_backoff_seconds)


def memory_store(settings: Settings, url: str, aclient: aioredis.Redis):
    """Return the Redis `BaseStore` the graphs get as ``runtime.store`` (sync nodes use its own sync client)."""
    import redis

    from store import RedisStore

    client = redis.Redis.from_url(url, socket_timeout=REDIS_READ_TIMEOUT_S,
                                  socket_connect_timeout=REDIS_CONNECT_TIMEOUT_S)
    return RedisStore(client=client, aclient=aclient, prefix=settings.key_prefix,
                      max_value_bytes=settings.store_max_value_bytes)


def _is_desk_graph(spec: Any) -> bool:
    # langgraph.json names the Studio module; serving it here would build a second runtime beside ours.
    if not isinstance(spec, str):
        return False
    return spec == STUDIO_SPEC or spec.replace("\\", "/").endswith("/server/studio.py:graph")


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


def _user_store(rt: DeskRuntime) -> UserLookup:
    from data.users import UnknownUser
    from tools.users import context_for

    def lookup(user_id: str) -> Context | None:
        try:
            return context_for(rt.db, user_id)
        except UnknownUser:
            return None

    async def entitlements(user_id: str) -> Context | None:
        return await asyncio.to_thread(lookup, user_id)

    return entitlements


def app_from_env() -> FastAPI:
    """Build the app from ``FXDESK_*`` variables (the uvicorn factory of ``fxdesk serve --workers N``)."""
    _audit_lines_to_stderr()
    graphs = None
    if spec := os.environ.get("FXDESK_SERVE_GRAPHS"):
        graphs = dict(part.split("=", 1) for part in spec.split(",") if part)
    elif config := os.environ.get("FXDESK_SERVE_CONFIG"):
        graphs = graphs_from_config(Path(config))
    return create_app(graphs=graphs, dev=os.environ.get("FXDESK_SERVE_DEV") == "1")


def _audit_lines_to_stderr() -> None:
    # uvicorn configures only its own loggers: without a handler the INFO audit lines would be dropped.
    audit_log = logging.getLogger("fxdesk.audit")
    if not audit_log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        audit_log.addHandler(handler)
        audit_log.setLevel(logging.INFO)
        audit_log.propagate = False
