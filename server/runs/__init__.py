"""Runs and threads of the LangGraph Server API: Redis records, per-thread queue, executor, SSE."""

from server.runs.caller import Caller, Forbidden, run_context
from server.runs.executor import Executor, RunJob
from server.runs.keys import ApiKeys
from server.runs.registry import GraphRegistry, assistant_id_for
from server.runs.runs_store import Rejected, RunStore
from server.runs.threads_store import ThreadStore

__all__ = ["ApiKeys", "Caller", "Executor", "Forbidden", "GraphRegistry", "Rejected", "RunJob", "RunStore",
           "ThreadStore", "assistant_id_for", "run_context"]
