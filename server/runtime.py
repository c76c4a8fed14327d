"""Assemble what a CLI or server process runs: database, model chain, prompts and the compiled graph.

The checkpointer is entered once for the runtime's lifetime: our Redis saver when a Redis URL is
configured and answers, otherwise SQLite under ``FXDESK_HOME``. The choice is reported to the caller.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import redis
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph.state import CompiledStateGraph

from agents import AgentOptions
from data.database import Database
from graph.builder import build_graph
from prompts import PromptRegistry
from server.settings import Settings


@dataclass(frozen=True)
class DeskRuntime:
    """A compiled graph over one database and checkpointer, with a description of the saver."""

    graph: CompiledStateGraph
    db: Database
    settings: Settings
    checkpointer: str  # e.g. "redis redis://127.0.0.1:6379/0 (prefix fxdesk:)"
    metadata: dict  # recorded on every run: prompt versions in use


def redis_answers(url: str, timeout: float = 0.5) -> bool:
    """Return True when a Redis at ``url`` answers PING."""
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError):
        return False


@contextmanager
def open_checkpointer(settings: Settings, use_redis: bool | None = None) -> Iterator[tuple[BaseCheckpointSaver, str]]:
    """Yield the saver for this process and a one-line description of it."""
    if use_redis is None:
        use_redis = bool(settings.redis_url) and redis_answers(settings.redis_url)
    if use_redis:
        from checkpoint import RedisSaver

        ttl = settings.checkpoint_ttl_seconds
        with RedisSaver.from_conn_string(settings.redis_url, prefix=settings.key_prefix, ttl=ttl) as saver:
            yield saver, f"redis {_redact(settings.redis_url)} (prefix {settings.key_prefix})"
        return
    from langgraph.checkpoint.sqlite import SqliteSaver

    settings.home.mkdir(parents=True, exist_ok=True)
    path = settings.sqlite_checkpoints
    why = f"; Redis at {_redact(settings.redis_url)} did not answer" if settings.redis_url else ""
    with SqliteSaver.from_conn_string(str(path)) as saver:
        yield saver, f"sqlite {path}{why}"


def agent_options(settings: Settings, db: Database) -> AgentOptions:
    """Return the agents' options from settings: pinned prompts and the history budget."""
    return AgentOptions(prompts=PromptRegistry.load(pins=settings.prompt_pins),
                        history_tokens=settings.history_tokens, as_of=db.as_of)


@contextmanager
def open_runtime(settings: Settings) -> Iterator[DeskRuntime]:
    """Yield the compiled graph with its database and checkpointer, open for the block's lifetime."""
    from llm.config import load_models

    use_redis = bool(settings.redis_url) and redis_answers(settings.redis_url)
    env = dict(os.environ)
    if not use_redis:
        # The model chain keeps usage and its cache in Redis too; without an answering Redis it stays in memory.
        env.pop("FXDESK_REDIS_URL", None)
    db = Database.from_url(settings.database_url)
    try:
        options = agent_options(settings, db)
        graph = build_graph(load_models(env), db, options=options, max_hops=settings.max_hops)
        with open_checkpointer(settings, use_redis) as (saver, label):
            yield DeskRuntime(graph=graph.compile(checkpointer=saver), db=db, settings=settings,
                              checkpointer=label, metadata={"prompt_versions": options.prompts.versions()})
    finally:
        db.engine.dispose()


def _redact(url: str | None) -> str:
    if not url or "@" not in url:
        return url or ""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://***@{rest.split('@', 1)[1]}"
