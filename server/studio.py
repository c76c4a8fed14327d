"""The graph ``langgraph dev`` serves for LangGraph Studio (named by ``langgraph.json``).

Built by the composition root from the same `Settings` as the CLI and ``fxdesk serve``, so every
``FXDESK_*`` variable applies here too; compiled without a checkpointer because LangGraph's server
brings its own persistence. The run context (`tools.context.Context`) comes from the run's
``context`` (Studio shows its schema).
"""

from __future__ import annotations

from server.runtime import build_runtime

runtime = build_runtime()
models = runtime.models  # the chain this graph calls, for anything that reports on it
graph = runtime.compile()
