from fastapi import FastAPI
from fastapi.responses import Response
from fastapi.testclient import TestClient

from server.metrics import Metrics, MetricsMiddleware


def _app(metrics):
    app = FastAPI()

    @app.get("/threads/{thread_id}")
    async def get_thread(thread_id: str):
        return {"thread_id": thread_id}

    @app.get("/metrics")
    async def scrape():
        return Response(metrics.render(), media_type=metrics.content_type)

    app.add_middleware(MetricsMiddleware, metrics=metrics)
    return TestClient(app)


def test_requests_are_counted_under_the_route_template_not_the_raw_path():
    metrics = Metrics()
    client = _app(metrics)
    client.get("/threads/a")
    client.get("/threads/b")
    client.get("/nope")
    text = client.get("/metrics").text
    assert 'fxdesk_http_requests_total{method="GET",route="/threads/{thread_id}",status="200"} 2.0' in text
    assert 'route="<unmatched>",status="404"' in text
    assert "fxdesk_http_request_seconds_bucket" in text


def test_usage_source_is_read_on_every_scrape():
    metrics = Metrics()
    rows = [{"provider": "openai", "model": "gpt-4o-mini", "requests": 3, "fallbacks": 1, "cost_usd": 0.25}]
    metrics.add_usage_source(lambda: rows)
    first = metrics.render().decode()
    assert 'fxdesk_model_requests_total{model="gpt-4o-mini",provider="openai"} 3.0' in first
    rows[0]["requests"] = 5
    assert 'fxdesk_model_requests_total{model="gpt-4o-mini",provider="openai"} 5.0' in metrics.render().decode()
    assert 'fxdesk_model_cost_usd{model="gpt-4o-mini",provider="openai"} 0.25' in first


def test_two_apps_keep_separate_registries():
    a, b = Metrics(), Metrics()
    a.tool_calls.labels(tool="get_var", decision="denied").inc()
    assert b"get_var" not in b.render()
    assert b'fxdesk_tool_calls_total{decision="denied",tool="get_var"} 1.0' in a.render()
