"""The OpenAPI document tells the truth about errors (RFC 9457 problem bodies) and bearer auth.

FastAPI documents every 422 as its own ``HTTPValidationError`` (``detail`` a list), but
`server.problems` answers validation errors, and every other error, with a problem body (``detail``
a sentence). This rewrites the generated document so each operation's 422 and a ``default``
response (every other error status) point at one ``Problem`` schema served as
``application/problem+json``. The ``Authorization`` header the dependencies read is documented
as what it is, an HTTP bearer security scheme, not a free-form header parameter. Clients and the
schemathesis run in CI (issue 12) then check real responses against a true document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "An error (RFC 9457): a stable ``type``, a short ``title`` and a ``detail`` for people.",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "URI naming the kind of problem."},
        "title": {"type": "string", "description": "Short summary of the kind of problem."},
        "status": {"type": "integer", "minimum": 400, "maximum": 599, "description": "The HTTP status."},
        "detail": {"type": "string", "description": "What went wrong with this request, and what to do."},
    },
}
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")
BEARER_SCHEME = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                 "description": "A token from `fxdesk token --user USER` (HS256 or RS256)."}
_METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options", "trace"})


def problem_response(description: str) -> dict[str, Any]:
    """Return an OpenAPI response object whose body is a ``Problem``."""
    return {"description": description, "content": {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_REF}}}


def with_problem_responses(document: dict[str, Any]) -> dict[str, Any]:
    """Rewrite an OpenAPI document in place so every error response is a ``Problem``; return it.

    Each operation's 422 becomes a ``Problem``; every error response declared without a body gets
    the ``Problem`` body; a ``default`` response covers the error statuses not listed; and an
    operation that reads the ``Authorization`` header requires the ``bearer`` security scheme.
    """
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    components.setdefault("securitySchemes", {})["bearer"] = BEARER_SCHEME
    for path_item in document.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in _METHODS:
                continue
            _bearer_security(operation)
            responses = operation.setdefault("responses", {})
            for status, response in list(responses.items()):
                if status == "422":
                    responses[status] = problem_response("The request is not valid (problem+json).")
                elif status[:1] in "45" and not response.get("content"):
                    response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_REF}}
            responses.setdefault("default", problem_response("Any other error (problem+json)."))
    if not _references_any(document, _FASTAPI_VALIDATION_SCHEMAS):
        for name in _FASTAPI_VALIDATION_SCHEMAS:
            schemas.pop(name, None)
    return document


def document_problems(app: FastAPI) -> FastAPI:
    """Make ``app``'s OpenAPI document describe its problem responses (see the module docstring)."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = with_problem_responses(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _bearer_security(operation: dict[str, Any]) -> None:
    parameters = operation.get("parameters") or []
    kept = [p for p in parameters if not (p.get("in") == "header" and p.get("name", "").lower() == "authorization")]
    if len(kept) != len(parameters):
        operation["parameters"] = kept
        operation["security"] = [{"bearer": []}]
        if not kept:
            del operation["parameters"]


def _references_any(node: Any, names: tuple[str, ...]) -> bool:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.rsplit("/", 1)[-1] in names:
            return True
        return any(_references_any(value, names) for key, value in node.items() if key != "components")
    if isinstance(node, list):
        return any(_references_any(item, names) for item in node)
    return False
