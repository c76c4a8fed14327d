"""The ``/store`` API of the LangGraph Server on our Redis store, scoped to the caller's namespaces."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from server.deps import CurrentCaller
from server.problems import Problem
from server.routes.responses import json_response
from server.store_scope import StoreForbidden, check_namespace, search_roots
from store import RedisStore, ValueTooLarge
from store.filters import InvalidFilter

router = APIRouter(tags=["store"])


def _labels(namespace: list[str]) -> list[str]:
    for label in namespace:
        if not label or "." in label:
            raise ValueError(f"namespace label {label!r} must be a non-empty string without periods")
    return namespace


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class PutItem(_Body):
    """Body of ``PUT /store/items``."""

    namespace: list[str] = Field(min_length=1)
    key: str = Field(min_length=1)
    value: dict[str, Any]
    index: Any = None
    ttl: float | None = Field(None, gt=0, description="Minutes until the item expires.")
    _ns = field_validator("namespace")(_labels)


class DeleteItem(_Body):
    """Body of ``DELETE /store/items``."""

    namespace: list[str] = Field(min_length=1)
    key: str
    _ns = field_validator("namespace")(_labels)


class SearchItems(_Body):
    """Body of ``POST /store/items/search``."""

    namespace_prefix: list[str] = Field(default_factory=list)
    filter: dict[str, Any] | None = None
    limit: int = Field(10, ge=1, le=1000)
    offset: int = Field(0, ge=0)
    query: str | None = None
    refresh_ttl: bool | None = None
    _ns = field_validator("namespace_prefix")(_labels)


class ListNamespaces(_Body):
    """Body of ``POST /store/namespaces``."""

    prefix: list[str] | None = None
    suffix: list[str] | None = None
    max_depth: int | None = Field(None, ge=1)
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)

    @field_validator("prefix", "suffix")
    @classmethod
    def _optional_labels(cls, labels: list[str] | None) -> list[str] | None:
        # An empty label ("") was a 500 in the store's key matching (found by the fuzz run, issue 12).
        return None if labels is None else _labels(labels)


def get_store(request: Request) -> RedisStore:
    """Return the app's store."""
    return request.app.state.store


Store = Annotated[RedisStore, Depends(get_store)]


def _check(caller, namespace) -> None:
    try:
        check_namespace(caller.entitlements, tuple(namespace))
    except StoreForbidden as exc:
        raise Problem(403, exc.detail) from None


@router.put("/store/items", status_code=204)
async def put_item(body: PutItem, caller: CurrentCaller, store: Store) -> Response:
    """Store or replace an item (413 when the value is over the size limit)."""
    _check(caller, body.namespace)
    try:
        await store.aput(tuple(body.namespace), body.key, body.value, ttl=body.ttl)
    except ValueTooLarge as exc:
        raise Problem(413, str(exc)) from None
    return Response(status_code=204)


@router.get("/store/items")
async def get_item(caller: CurrentCaller, store: Store, key: str, namespace: str = "",
                   refresh_ttl: Annotated[bool | None, Query()] = None) -> Response:
    """Return one item, or ``null`` when there is none (as `langgraph dev` answers)."""
    labels = tuple(namespace.split(".")) if namespace else ()
    if not labels or not all(labels):
        raise Problem(422, "namespace must be dot-separated non-empty labels, e.g. 'users.trader_aruna'")
    _check(caller, labels)
    item = await store.aget(labels, key, refresh_ttl=refresh_ttl)
    return json_response(item.dict() if item is not None else None)


@router.delete("/store/items", status_code=204)
async def delete_item(body: DeleteItem, caller: CurrentCaller, store: Store) -> Response:
    """Delete an item (no error if it is already gone)."""
    _check(caller, body.namespace)
    await store.adelete(tuple(body.namespace), body.key)
    return Response(status_code=204)


@router.post("/store/items/search")
async def search_items(body: SearchItems, caller: CurrentCaller, store: Store) -> Response:
    """Search items under a namespace prefix, narrowed to the caller's namespaces."""
    try:
        prefixes = search_roots(caller.entitlements, tuple(body.namespace_prefix))
    except StoreForbidden as exc:
        raise Problem(403, exc.detail) from None
    found = []
    try:
        for prefix in prefixes:
            found += await store.asearch(prefix, filter=body.filter, limit=body.offset + body.limit, offset=0,
                                         query=body.query, refresh_ttl=body.refresh_ttl)
    except InvalidFilter as exc:
        raise Problem(422, str(exc)) from None
    if body.query:
        found.sort(key=lambda item: item.score or 0.0, reverse=True)
    return json_response({"items": [i.dict() for i in found[body.offset:body.offset + body.limit]]})


@router.post("/store/namespaces")
async def list_namespaces(body: ListNamespaces, caller: CurrentCaller, store: Store) -> Response:
    """List the namespaces the caller may see, filtered by prefix, suffix and depth."""
    try:
        prefixes = search_roots(caller.entitlements, tuple(body.prefix or ()))
    except StoreForbidden as exc:
        raise Problem(403, exc.detail) from None
    spaces: set[tuple[str, ...]] = set()
    for prefix in prefixes:
        found = await store.alist_namespaces(prefix=prefix or None, suffix=tuple(body.suffix) if body.suffix else None,
                                             limit=100_000)
        spaces.update(ns[:body.max_depth] if body.max_depth else ns for ns in found)
    ordered = sorted(spaces)[body.offset:body.offset + body.limit]
    return json_response({"namespaces": [list(ns) for ns in ordered]})
