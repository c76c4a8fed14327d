"""The graphs a server serves, one assistant each, compiled once with the app's checkpointer.

Graphs are named by specs like ``langgraph.json`` uses: ``path/to/file.py:attr`` or
``package.module:attr``, where ``attr`` is a `StateGraph`, a compiled graph (its builder is
recompiled with our checkpointer) or a zero-argument factory returning either. The assistant id is
``uuid5(NAMESPACE_GRAPH, graph_id)``, the scheme `langgraph dev` uses, so clients may pass either
the graph id or that uuid.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from uuid import UUID, uuid5

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import StateGraph
from langgraph.pregel import Pregel
from langgraph.store.base import BaseStore

from server.runs.clock import now_iso

NAMESPACE_GRAPH = UUID("6ba7b821-9dad-11d1-80b4-00c04fd430c8")


def assistant_id_for(graph_id: str) -> str:
    """Return the stable assistant id of a graph, as `langgraph dev` derives it."""
    return str(uuid5(NAMESPACE_GRAPH, graph_id))


@dataclass(frozen=True)
class Assistant:
    """One served graph and its assistant record."""

    graph_id: str
    graph: Pregel
    created_at: str = field(default_factory=now_iso)
    module: ModuleType | None = field(default=None, compare=False, repr=False)  # where a spec string found it
    run_metadata: Mapping[str, Any] = field(default_factory=dict)  # added to every run's metadata (prompt versions)

    @property
    def assistant_id(self) -> str:
        """The stable uuid of this assistant."""
        return assistant_id_for(self.graph_id)

    def record(self) -> dict[str, Any]:
        """Return the assistant as the API reports it."""
        return {"assistant_id": self.assistant_id, "graph_id": self.graph_id, "config": {}, "context": {},
                "metadata": {"created_by": "system"}, "name": self.graph_id, "created_at": self.created_at,
                "updated_at": self.created_at, "version": 1, "description": None}


class GraphRegistry:
    """Assistants by graph id and by assistant id."""

    def __init__(self, assistants: Mapping[str, Assistant]):
        self._by_graph = dict(assistants)
        self._by_id = {a.assistant_id: a for a in self._by_graph.values()}

    @classmethod
    def compile(cls, graphs: Mapping[str, Any], checkpointer: BaseCheckpointSaver | None,
                run_metadata: Mapping[str, Mapping[str, Any]] | None = None,
                store: BaseStore | None = None) -> GraphRegistry:
        """Compile each graph (spec string, builder, compiled graph or factory) with ``checkpointer``.

        Args:
            graphs: Graph id -> what to serve.
            checkpointer: The saver every graph is compiled with.
            run_metadata: Graph id -> metadata recorded on each of its runs (e.g. prompt versions).
            store: The long-term store graphs get as ``runtime.store`` (issue 15).

        """
        run_metadata = run_metadata or {}
        return cls({gid: Assistant(gid, _compile(load_graph(obj), checkpointer, gid, store),
                                   module=_import_module(obj) if isinstance(obj, str) else None,
                                   run_metadata=dict(run_metadata.get(gid) or {}))
                    for gid, obj in graphs.items()})

    def resolve(self, assistant_id: str) -> Assistant | None:
        """Find an assistant by its uuid or by its graph id."""
        return self._by_id.get(str(assistant_id)) or self._by_graph.get(str(assistant_id))

    def all(self) -> list[Assistant]:
        """Return every assistant, in registration order."""
        return list(self._by_graph.values())


def load_graph(obj: Any) -> Any:
    """Resolve a spec string to its object; call factories; return a builder or compiled graph."""
    if isinstance(obj, str):
        obj = _import_spec(obj)
    if callable(obj) and not isinstance(obj, (StateGraph, Pregel)):
        obj = obj()
    if not isinstance(obj, (StateGraph, Pregel)):
        raise TypeError(f"Expected a StateGraph or compiled graph, got {type(obj).__name__}")
    return obj


def graphs_from_config(path: Path) -> dict[str, str]:
    """Read the ``graphs`` table of a ``langgraph.json``, with file paths made absolute."""
    config = json.loads(path.read_text())
    out = {}
    for graph_id, spec in config.get("graphs", {}).items():
        target, _, attr = spec.rpartition(":")
        if target.endswith(".py") and not Path(target).is_absolute():
            target = str((path.parent / target).resolve())
        out[graph_id] = f"{target}:{attr}"
    return out


def _import_spec(spec: str) -> Any:
    return getattr(_import_module(spec), spec.rpartition(":")[2])


def _import_module(spec: str) -> ModuleType:
    """Return the module a spec names, importing a file path once (cached in ``sys.modules``)."""
    target, _, attr = spec.rpartition(":")
    if not target or not attr:
        raise ValueError(f"Graph spec {spec!r} must look like 'path/file.py:name' or 'package.module:name'")
    if not target.endswith(".py"):
        return importlib.import_module(target)
    path = Path(target).resolve()
    name = f"_fxdesk_graph_{abs(hash(str(path)))}"
    module = sys.modules.get(name)
    if module is None:
        module_spec = importlib.util.spec_from_file_location(name, path)
        if module_spec is None or module_spec.loader is None:
            raise ImportError(f"Cannot load graph module from {path}")
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[name] = module
        module_spec.loader.exec_module(module)
    return module


def _compile(obj: Any, checkpointer: BaseCheckpointSaver | None, graph_id: str,
             store: BaseStore | None = None) -> Pregel:
    if isinstance(obj, StateGraph):
        return obj.compile(checkpointer=checkpointer, store=store, name=graph_id)
    builder = getattr(obj, "builder", None)
    if isinstance(builder, StateGraph):
        return builder.compile(checkpointer=checkpointer, store=store,
                               interrupt_before=obj.interrupt_before_nodes or None,
                               interrupt_after=obj.interrupt_after_nodes or None, name=obj.name or graph_id)
    obj.checkpointer = checkpointer
    if store is not None:
        obj.store = store
    return obj
