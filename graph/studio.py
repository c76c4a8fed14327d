"""The graph served by ``langgraph dev`` (see ``langgraph.json``): compiled without a checkpointer.

LangGraph's server brings its own persistence; the run context (``tools.context.Context``) comes
from the run's ``context`` (Studio shows its schema).
"""

from __future__ import annotations

from data.database import Database
from graph.builder import build_graph
from llm.config import load_models

# The chain is module-level so `fxdesk serve` can report providers, health and usage of this very chain.
models = load_models()
graph = build_graph(models, Database.from_url()).compile(name="fxdesk")
