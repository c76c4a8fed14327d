"""Assistants: one per served graph, with its drawable graph and JSON schemas."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import create_model

from server.deps import CurrentCaller, Services
from server.ids import AssistantIdPath
from server.problems import Problem
from server.routes.responses import json_response
from server.runs.registry import Assistant
from server.runs.requests import AssistantSearch

router = APIRouter(tags=["assistants"])


def _assistant(services, assistant_id: str) -> Assistant:
    assistant = services.registry.resolve(assistant_id)
    if assistant is None:
        raise Problem(404, f"Assistant {assistant_id} not found")
    return assistant


@router.post("/assistants/search")
async def search_assistants(body: AssistantSearch, caller: CurrentCaller, services: Services) -> Response:
    """List the assistants, filtered by graph id, name or metadata."""
    found = [a.record() for a in services.registry.all()
             if (body.graph_id is None or a.graph_id == body.graph_id)
             and (body.name is None or body.name in a.graph_id)
             and all(a.record()["metadata"].get(k) == v for k, v in (body.metadata or {}).items())]
    return json_response(found[body.offset:body.offset + body.limit])


@router.post("/assistants/count")
async def count_assistants(body: AssistantSearch, caller: CurrentCaller, services: Services) -> Response:
    """Count the assistants matching the filters."""
    return json_response(sum(1 for a in services.registry.all()
                             if body.graph_id is None or a.graph_id == body.graph_id))


@router.get("/assistants/{assistant_id}")
async def get_assistant(assistant_id: AssistantIdPath, caller: CurrentCaller, services: Services) -> Response:
    """Return one assistant, by uuid or graph id."""
    return json_response(_assistant(services, assistant_id).record())


@router.get("/assistants/{assistant_id}/graph")
async def get_assistant_graph(assistant_id: AssistantIdPath, caller: CurrentCaller, services: Services,
                              xray: str | None = None) -> Response:
    """Return the drawable graph (nodes and edges); ``xray`` expands subgraphs (true or a depth)."""
    graph = _assistant(services, assistant_id).graph
    drawable = await graph.aget_graph(xray=_xray(xray))
    body = drawable.to_json()
    for node in body.get("nodes", []):
        if isinstance(node.get("data"), dict):
            node["data"].pop("id", None)
    return json_response(body)


@router.get("/assistants/{assistant_id}/schemas")
async def get_assistant_schemas(assistant_id: AssistantIdPath, caller: CurrentCaller, services: Services) -> Response:
    """Return the graph's input, output, state, config and context JSON schemas."""
    assistant = _assistant(services, assistant_id)
    return json_response({"graph_id": assistant.graph_id, **_schemas(assistant.graph)})


def _xray(value: str | None) -> bool | int:
    if value in (None, "", "false", "False"):
        return False
    if value in ("true", "True"):
        return True
    try:
        depth = int(value)
    except ValueError:
        raise Problem(422, "Invalid xray value") from None
    if depth <= 0:
        raise Problem(422, "Invalid xray value")
    return depth


def _schemas(graph: Any) -> dict[str, Any]:
    def attempt(fn):
        try:
            return fn()
        except Exception:
            return None

    return {"input_schema": attempt(graph.get_input_jsonschema),
            "output_schema": attempt(graph.get_output_jsonschema),
            "state_schema": attempt(lambda: _state_schema(graph)),
            "config_schema": attempt(lambda: graph.get_config_jsonschema().get("properties", {})
                                     .get("configurable") or {}),
            "context_schema": attempt(graph.get_context_jsonschema)}


def _state_schema(graph: Any) -> dict[str, Any]:
    fields = {}
    for key in graph.stream_channels_list:
        fields[key] = (graph.channels[key].UpdateType, None)
    return create_model(graph.get_name("State"), **fields).model_json_schema()
