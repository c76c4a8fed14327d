"""The composition root: `build_runtime(settings)` assembles what the CLI, ``fxdesk serve`` and Studio run.

One `Settings`, one desk database engine, one model chain, one scope gate and one uncompiled graph
builder. Each entry point only chooses the checkpointer it compiles the builder with:

- the CLI (`open_runtime`): our Redis saver when Redis answers, else SQLite under ``FXDESK_HOME``;
- ``fxdesk serve`` (`server.app`): the async Redis saver, entered in the app's lifespan;
- Studio (`server.studio`, named by ``langgraph.json``): none, LangGraph's server brings its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import redis
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import StateGraph
from langgraph.graph.state import CompiledStateGraph

from agents import AgentOptions
from data.database import Database
from graph.builder import build_graph
from llm.chain import ModelChain
from prompts import PromptRegistry, format_pins
from server.settings import Settings
from tools.desks import build_desk_tools
from tools.schedules import SchedulerSlot
from tools.scope import ScopeGate

GRAPH_NAME = "fxdesk"


@dataclass(frozen=True)
class DeskRuntime:
    """Everything one process runs, built once from `Settings` (see the module docstring)."""

    settings: Settings
    db: Database
    models: ModelChain
    gate: ScopeGate
    options: AgentOptions
    builder: StateGraph  # the supervisor graph, uncompiled: each entry point brings its checkpointer
    redis_available: bool
    # Recorded on every run and checkpoint: the prompt versions in use, as "agent=version,..." (the pin
    # syntax of FXDESK_PROMPT_VERSIONS; a string because checkpoint metadata keeps only scalar values).
    metadata: dict[str, Any] = field(default_factory=dict)
    # Where the desk's report-schedule tools find a scheduler: empty here, filled by ``fxdesk serve``'s
    # lifespan with its cron-backed one (issue 15); the CLI leaves it empty, so those tools say so.
    schedules: SchedulerSlot = field(default_factory=SchedulerSlot)

    def compile(self, checkpointer: BaseCheckpointSaver | None = None) -> CompiledStateGraph:
        """Return the supervisor graph compiled with ``checkpointer`` (None: Studio's own persistence)."""
        return self.builder.compile(checkpointer=checkpointer, name=GRAPH_NAME)

    def close(self) -> None:
        """Release the database engine's connections."""
        self.db.engine.dispose()


def build_runtime(settings: Settings | None = None, *, redis_available: bool | None = None) -> DeskRuntime:
    """Build the process's runtime from ``settings`` (default: read the environment once, now).

    Args:
        settings: The process settings.
        redis_available: Whether Redis answers (default: PING ``settings.redis_url``). Without it the
            model chain keeps usage and its cache in memory and the CLI checkpoints to SQLite.

    Raises:
        prompts.PromptError: a pinned prompt version does not exist.

    """
    from data.queries.rates import pair_universe
    from llm.config import load_models
    from llm.offline.brain import brain_for
    from tools.contract import offline_tables

    settings = settings or Settings()
    if redis_available is None:
        redis_available = bool(settings.redis_url) and redis_answers(settings.redis_url)
    prompts = PromptRegistry.load(pins=settings.prompt_pins)  # a bad pin fails before any database work
    db = Database.from_url(settings.desk_database_url, as_of=settings.as_of)
    try:
        options = AgentOptions(prompts=prompts, history_tokens=settings.history_tokens, as_of=db.as_of)
        # The offline model reads the desk's own pair universe (a loaded book's USDSGD, not only the demo's).
        universe = pair_universe(db.engine)
        tables = offline_tables(pairs=tuple((code, universe.book_of(code)) for code in universe.codes))
        models = load_models(settings.model_env(with_redis=redis_available), offline_tables=tables)
        # Train the offline model now, once per process, not on some user's first question (~0.7 s).
        brain_for(tables)
        gate = ScopeGate(db)
        schedules = SchedulerSlot()
        tools = build_desk_tools(db, gate, thresholds=settings.psychology, conventions=settings.risk,
                                 schedules=schedules)
        builder = build_graph(models, db, options=options, max_desks=settings.max_desks_per_turn,
                              desk_tools=tools, gate=gate)
    except BaseException:
        db.engine.dispose()
        raise
    return DeskRuntime(settings=settings, db=db, models=models, gate=gate, options=options, builder=builder,
                       redis_available=redis_available, schedules=schedules,
                       metadata={"prompt_versions": format_pins(options.prompts.versions())})


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


@dataclass(frozen=True)
class CliSession:
    """A runtime with its graph compiled over the CLI's checkpointer, open for a ``with`` block."""

    runtime: DeskRuntime
    graph: CompiledStateGraph
    checkpointer: str  # e.g. "redis redis://127.0.0.1:6379/0 (prefix fxdesk:)"

    @property
    def db(self) -> Database:
        """The runtime's desk database."""
        return self.runtime.db

    @property
    def settings(self) -> Settings:
        """The runtime's settings."""
        return self.runtime.settings

    @property
    def metadata(self) -> dict[str, Any]:
        """Run metadata: prompt versions in use."""
        return self.runtime.metadata


@contextmanager
def open_runtime(settings: Settings | None = None) -> Iterator[CliSession]:
    """Yield the runtime with its graph compiled over the CLI's checkpointer, closed after the block."""
    runtime = build_runtime(settings)
    try:
        with open_checkpointer(runtime.settings, runtime.redis_available) as (saver, label):
            yield CliSession(runtime=runtime, graph=runtime.compile(saver), checkpointer=label)
    finally:
        runtime.close()


@contextmanager
def open_checkpointer(settings: Settings, use_redis: bool | None = None) -> Iterator[tuple[BaseCheckpointSaver, str]]:
    """Yield the CLI's saver and a one-line description of it."""
    if use_redis is None:
        use_redis = bool(settings.redis_url) and redis_answers(settings.redis_url)
    if use_redis:
        from checkpoint import RedisSaver

        ttl = settings.checkpoint_ttl_seconds
        with RedisSaver.from_conn_string(settings.redis_url, prefix=settings.key_prefix, ttl=ttl) as saver:
            yield saver, f"redis {redact_url(settings.redis_url)} (prefix {settings.key_prefix})"
        return
    from langgraph.checkpoint.sqlite import SqliteSaver

    settings.home.mkdir(parents=True, exist_ok=True)
    path = settings.sqlite_checkpoints
    why = f"; Redis at {redact_url(settings.redis_url)} did not answer" if settings.redis_url else ""
    with SqliteSaver.from_conn_string(str(path)) as saver:
        yield saver, f"sqlite {path}{why}"


def redact_url(url: str | None) -> str:
    """Return ``url`` with any password replaced by ``***``."""
    if not url or "@" not in url:
        return url or ""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://***@{rest.split('@', 1)[1]}"
