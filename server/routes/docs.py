"""The API documentation at ``/docs``: Swagger UI served from this server, no CDN, no inline script.

The Swagger UI bundle and stylesheet ship in the ``fastapi-swagger`` package and are served under
``/docs/assets``; the page starts them with ``/docs/init.js``, so the strict content security
policy of `server.security_headers` holds for the documentation too (issue 12).
"""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

SWAGGER_ASSETS = resources.files("fastapi_swagger.resources")
DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>fxdesk API</title>
<link rel="icon" href="/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
"""
INIT_SCRIPT = """window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  persistAuthorization: false,
  presets: [SwaggerUIBundle.presets.apis],
});
"""

router = APIRouter(include_in_schema=False)


@router.get("/docs")
async def docs_page() -> HTMLResponse:
    """Serve the Swagger UI page."""
    return HTMLResponse(DOCS_PAGE)


@router.get("/docs/init.js")
async def docs_init() -> Response:
    """Serve the script that starts Swagger UI on ``/openapi.json``."""
    return Response(INIT_SCRIPT, media_type="text/javascript")


def install_docs(app: FastAPI) -> FastAPI:
    """Mount the documentation page and its assets on ``app`` (create the app with ``docs_url=None``)."""
    app.include_router(router)
    app.mount("/docs/assets", StaticFiles(directory=str(SWAGGER_ASSETS)), name="docs-assets")
    return app
