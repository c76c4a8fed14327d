"""The OpenAPI document declares the problem bodies the app really sends, and bearer auth (issue 12)."""

from __future__ import annotations

from typing import Annotated

import httpx
import jsonschema
from fastapi import FastAPI, Header
from pydantic import BaseModel

from server.openapi_doc import PROBLEM_MEDIA_TYPE
from server.problems import install_problem_handlers


class Body(BaseModel):
    name: str


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/things")
    async def create(body: Body, authorization: Annotated[str | None, Header()] = None) -> dict:
        return {"name": body.name}

    @app.get("/open", responses={404: {"description": "Not there"}})
    async def open_endpoint() -> dict:
        return {}

    return app


def _resolve(document: dict, schema: dict) -> dict:
    return {**schema, "components": document["components"]} if "$ref" in schema else schema


async def test_validation_error_body_matches_the_documented_422():
    """Regression for issue 12: the 422 was documented as FastAPI's list but answered as a problem."""
    app = _app()
    document = app.openapi()
    declared = document["paths"]["/things"]["post"]["responses"]["422"]["content"][PROBLEM_MEDIA_TYPE]["schema"]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await client.post("/things", json=[])
    assert response.status_code == 422 and response.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
    jsonschema.validate(response.json(), {"$ref": "#/components/schemas/Problem", **document})
    assert declared == {"$ref": "#/components/schemas/Problem"}
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_every_operation_has_a_problem_default_and_bodies_on_declared_errors():
    document = _app().openapi()
    for path_item in document["paths"].values():
        for operation in path_item.values():
            assert operation["responses"]["default"]["content"][PROBLEM_MEDIA_TYPE]
    not_there = document["paths"]["/open"]["get"]["responses"]["404"]
    assert not_there["content"][PROBLEM_MEDIA_TYPE]["schema"] == {"$ref": "#/components/schemas/Problem"}


def test_authorization_header_is_documented_as_bearer_security_not_a_parameter():
    document = _app().openapi()
    operation = document["paths"]["/things"]["post"]
    assert all(p["name"].lower() != "authorization" for p in operation.get("parameters", []))
    assert operation["security"] == [{"bearer": []}]
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert "security" not in document["paths"]["/open"]["get"]
