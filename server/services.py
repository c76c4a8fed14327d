"""The one service container of ``fxdesk serve``: built in the app's lifespan, read by routes and middleware.

It holds the composition root's `DeskRuntime` (settings, database, model chain, graph builder) and
what the server adds around it: the Redis client for API records, the compiled graphs, the thread
and run stores, the run executor, the rate limiter, the request audit writer and the metrics.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from server.metrics import Metrics
from server.settings import Settings
from tools.context import Context

if TYPE_CHECKING:
    import redis.asyncio as aioredis
    from langchain_core.tools import BaseTool

    from data.database import Database
    from llm.chain import ModelChain
    from server.auth import JwtKeys
    from server.ratelimit import RateLimiter
    from server.request_audit import AuditWriter
    from server.runs.executor import Executor
    from server.runs.registry import GraphRegistry
    from server.runs.runs_store import RunStore
    from server.runs.threads_store import ThreadStore
    from server.runtime import DeskRuntime

# Look up a user's full entitlements; None when there is no such user.
UserLookup = Callable[[str], Awaitable[Context | None]]

DESK_GRAPH_ID = "fxdesk"


@dataclass
class AppServices:
    """Everything the app's routes and middleware share, for the app's lifetime."""

    settings: Settings
    runtime: DeskRuntime
    redis: aioredis.Redis
    registry: GraphRegistry
    threads: ThreadStore
    runs: RunStore
    executor: Executor
    users: UserLookup
    jwt_keys: JwtKeys
    limiter: RateLimiter
    audit: AuditWriter
    metrics: Metrics
    dev: bool = False
    chat_registry: GraphRegistry | None = None  # the desk graph wrapped for POST /chat (None: not served)
    _user_cache: dict[str, tuple[float, Context | None]] = field(default_factory=dict)
    _panel_tools: dict[str, BaseTool] | None = None

    @property
    def db(self) -> Database:
        """The desk database (one engine for the whole process)."""
        return self.runtime.db

    @property
    def models(self) -> ModelChain:
        """The model chain the desk graph was built with."""
        return self.runtime.models

    @property
    def durability(self) -> str:
        """When checkpoints are written when a run does not say (`Settings.durability`)."""
        return self.settings.durability

    @property
    def panel_tools(self) -> dict[str, BaseTool]:
        """The desk tools by name, over the runtime's scope gate (the web desk's panel calls them)."""
        if self._panel_tools is None:
            from tools.desks import build_desk_tools

            rt = self.runtime
            self._panel_tools = {t.name: t for tools in build_desk_tools(
                rt.db, rt.gate, thresholds=self.settings.psychology, conventions=self.settings.risk,
                schedules=rt.schedules).values()
                for t in tools}
        return self._panel_tools

    async def entitlements(self, user_id: str, max_age: float = 0.0) -> Context | None:
        """Return the user's entitlements; read per request by default, so a grant applies at once (issue 14)."""
        hit = self._user_cache.get(user_id)
        if hit is not None and time.monotonic() - hit[0] < max_age:
            return hit[1]
        found = await self.users(user_id)
        self._user_cache[user_id] = (time.monotonic(), found)
        return found

    def usage_rows(self) -> list[dict[str, Any]]:
        """Return model usage rows for the Prometheus collector (failures summed over their kinds)."""
        rows = []
        for row in self.models.recorder.rows():
            data = row.model_dump()
            data["failures"] = sum(row.failures.values())
            data["cost_usd"] = float(row.cost_usd)
            rows.append(data)
        return rows
