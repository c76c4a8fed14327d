"""Every response of the web desk and the API carries the security headers; /docs is served locally (issue 12)."""

from __future__ import annotations

from tests.integration.server.conftest import auth
from tests.integration.server.desk_app import desk_client


async def test_security_headers_on_page_api_problems_and_docs(redis_url, redis_prefix, fxdesk_home):
    """Regression for issue 12 (finding 9): no CSP, X-Frame-Options or nosniff on any response."""
    async with desk_client(redis_url, redis_prefix) as client:
        responses = [await client.get(path) for path in ("/", "/healthz", "/openapi.json", "/docs", "/threads/x",
                                                          "/no/such/path")]
        responses.append(await client.post("/threads", json=[], headers=auth()))  # a 422 problem
        responses.append(await client.get("/desk/panel/journal", headers=auth()))
    for response in responses:
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 401, 404, 422, 200]


async def test_docs_page_loads_swagger_ui_from_this_server_only(redis_url, redis_prefix, fxdesk_home):
    """Regression for issue 12 (finding 9): /docs loaded Swagger UI's script and CSS from a public CDN."""
    async with desk_client(redis_url, redis_prefix) as client:
        page = (await client.get("/docs")).text
        assert "http://" not in page and "https://" not in page and "<script>" not in page
        for asset in ("/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css", "/docs/init.js"):
            assert f'"{asset}"' in page
            response = await client.get(asset)
            assert response.status_code == 200 and len(response.content) > 100, asset
        init = (await client.get("/docs/init.js")).text
        assert '"/openapi.json"' in init and "SwaggerUIBundle(" in init
        bundle = (await client.get("/docs/assets/swagger-ui-bundle.js")).text
        assert "SwaggerUIBundle" in bundle
