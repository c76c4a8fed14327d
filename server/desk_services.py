"""What fxdesk's own endpoints and middleware share: settings, metrics, the model chain, database, limiter, audit.

Built when the app is assembled (`server.fxdesk_app`) and filled in by its lifespan, after the
LangGraph API services exist: the model chain is the very one the served graph was built with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request

from server.metrics import Metrics
from server.settings import Settings

if TYPE_CHECKING:
    from data.database import Database
    from llm.chain import ModelChain
    from server.ratelimit import RateLimiter
    from server.request_audit import AuditWriter
    from server.runs.registry import Assistant, GraphRegistry

DESK_GRAPH_ID = "fxdesk"


@dataclass
class DeskServices:
    """Per-app state of the fxdesk endpoints; the optional fields are set in the lifespan."""

    settings: Settings
    metrics: Metrics = field(default_factory=Metrics)
    models: ModelChain | None = None
    db: Database | None = None
    limiter: RateLimiter | None = None
    audit: AuditWriter | None = None
    chat_registry: GraphRegistry | None = None

    def usage_rows(self) -> list[dict[str, Any]]:
        """Return model usage rows for the Prometheus collector (failures summed over their kinds)."""
        if self.models is None:
            return []
        rows = []
        for row in self.models.recorder.rows():
            data = row.model_dump()
            data["failures"] = sum(row.failures.values())
            data["cost_usd"] = float(row.cost_usd)
            rows.append(data)
        return rows


def served_models(assistant: Assistant) -> ModelChain | None:
    """Return the `ModelChain` of the module that defined the served graph (e.g. ``graph/studio.py``), if any."""
    from llm.chain import ModelChain

    models = getattr(assistant.module, "models", None)
    return models if isinstance(models, ModelChain) else None


def get_desk(request: Request) -> DeskServices:
    """Return the app's `DeskServices`."""
    return request.app.state.desk


Desk = Annotated[DeskServices, Depends(get_desk)]
