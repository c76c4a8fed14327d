"""`/store` on `fxdesk serve`: namespaces scoped to the caller, size limit, and the graph's runtime.store (issue 15)."""

from __future__ import annotations

import httpx
import pytest
from langgraph_sdk import get_client
from langgraph_sdk.errors import APIStatusError

from tests.integration.server.conftest import auth

pytestmark = pytest.mark.slow


@pytest.fixture
def aruna(fxdesk_server):
    return get_client(url=fxdesk_server.url, headers=auth("trader_aruna", "trader"))


@pytest.fixture
def omar(fxdesk_server):
    return get_client(url=fxdesk_server.url, headers=auth("compliance_omar", "compliance"))


async def test_a_trader_cannot_read_or_write_another_traders_namespace(aruna, fxdesk_server):
    li = get_client(url=fxdesk_server.url, headers=auth("trader_li", "trader"))
    await li.store.put_item(["users", "trader_li"], "secret", {"text": "mine"})
    for attempt in (aruna.store.get_item(["users", "trader_li"], "secret"),
                    aruna.store.put_item(["users", "trader_li"], "x", {"a": 1}),
                    aruna.store.delete_item(["users", "trader_li"], "secret"),
                    aruna.store.search_items(["users", "trader_li"]),
                    aruna.store.put_item(["desk", "reports"], "x", {"a": 1})):
        with pytest.raises(APIStatusError) as err:
            await attempt
        assert err.value.response.status_code == 403
    assert (await li.store.get_item(["users", "trader_li"], "secret"))["value"] == {"text": "mine"}


async def test_a_wide_search_is_narrowed_to_the_callers_own_items(aruna, fxdesk_server):
    li = get_client(url=fxdesk_server.url, headers=auth("trader_li", "trader"))
    await li.store.put_item(["users", "trader_li", "notes"], "n", {"text": "li's"})
    await aruna.store.put_item(["users", "trader_aruna", "notes"], "n", {"text": "aruna's"})
    found = await aruna.store.search_items([], limit=100)
    assert {tuple(i["namespace"][:2]) for i in found["items"]} == {("users", "trader_aruna")}
    spaces = (await aruna.store.list_namespaces(max_depth=2))["namespaces"]
    assert spaces == [["users", "trader_aruna"]]


async def test_compliance_reads_and_writes_the_desk_namespace(omar, aruna):
    await omar.store.put_item(["desk", "reports"], "eod", {"breaches": 2})
    assert (await omar.store.get_item(["desk", "reports"], "eod"))["value"] == {"breaches": 2}
    assert ["desk", "reports"] in (await omar.store.list_namespaces())["namespaces"]
    with pytest.raises(APIStatusError) as err:
        await aruna.store.get_item(["desk", "reports"], "eod")
    assert err.value.response.status_code == 403


def test_a_value_over_the_size_limit_is_413_and_a_bad_label_422(fxdesk_server):
    big = {"namespace": ["users", "trader_aruna"], "key": "big", "value": {"text": "x" * 20_000}}
    response = httpx.put(f"{fxdesk_server.url}/store/items", json=big, headers=auth())
    assert response.status_code == 413 and "limit" in response.json()["detail"]
    dotted = {"namespace": ["users", "trader.aruna"], "key": "k", "value": {}}
    assert httpx.put(f"{fxdesk_server.url}/store/items", json=dotted, headers=auth()).status_code == 422
    bad_filter = {"namespace_prefix": ["users", "trader_aruna"], "filter": {"a": {"$regex": "x"}}}
    response = httpx.post(f"{fxdesk_server.url}/store/items/search", json=bad_filter, headers=auth())
    assert response.status_code == 422 and "$regex" in response.json()["detail"]


@pytest.mark.parametrize("field", ["prefix", "suffix"])
def test_an_empty_namespace_label_when_listing_namespaces_is_422_not_500(fxdesk_server, field):
    """Issue 12 (found by the fuzz run): ``suffix: [""]`` on POST /store/namespaces was a 500."""
    body = {"limit": 100, "offset": 0, "max_depth": None, field: [""]}
    response = httpx.post(f"{fxdesk_server.url}/store/namespaces", json=body, headers=auth())
    assert response.status_code == 422 and "namespace label" in response.json()["detail"]
