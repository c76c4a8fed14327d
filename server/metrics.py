"""Prometheus metrics of one app instance: HTTP traffic, runs by route, tool calls, fallbacks, cache hits.

Each app owns its own `CollectorRegistry` (no process globals), so tests can build many apps.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


class Metrics:
    """The counters and histograms the server updates, in a registry of their own."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("fxdesk_http_requests_total", "HTTP requests by route template and status.",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram("fxdesk_http_request_seconds", "HTTP request latency by route template.",
                                 ["method", "route"], buckets=_LATENCY_BUCKETS, registry=self.registry)
        self.runs = Counter("fxdesk_runs_total", "Graph runs by desk route and outcome.",
                            ["route", "outcome"], registry=self.registry)
        self.run_latency = Histogram("fxdesk_run_seconds", "Graph run latency.", ["kind"],
                                     buckets=_LATENCY_BUCKETS, registry=self.registry)
        self.tool_calls = Counter("fxdesk_tool_calls_total", "Tool calls by tool and scope decision.",
                                  ["tool", "decision"], registry=self.registry)

    def observe_run(self, route: Iterable[str], outcome: str, seconds: float, kind: str) -> None:
        """Count one finished run and its tool calls' route."""
        self.runs.labels(route=">".join(route) or "supervisor", outcome=outcome).inc()
        self.run_latency.labels(kind=kind).observe(seconds)

    def add_usage_source(self, read: Callable[[], list[dict]]) -> None:
        """Expose model usage (requests, fallbacks, cache hits, tokens) read from the llm usage API on scrape."""
        self.registry.register(_UsageCollector(read))

    def render(self) -> bytes:
        """Return the text exposition of every metric."""
        return generate_latest(self.registry)


class _UsageCollector:
    """Reads per-provider usage rows on each scrape: keys provider, model, and counters."""

    _COUNTERS = ("requests", "successes", "failures", "fallbacks", "input_tokens", "output_tokens",
                 "cache_hits", "cache_misses")

    def __init__(self, read: Callable[[], list[dict]]):
        self._read = read

    def collect(self):
        rows = self._read()
        families = {name: CounterMetricFamily(f"fxdesk_model_{name}", f"Model {name.replace('_', ' ')}.",
                                              labels=["provider", "model"]) for name in self._COUNTERS}
        cost = GaugeMetricFamily("fxdesk_model_cost_usd", "Model cost so far in USD.", labels=["provider", "model"])
        for row in rows:
            labels = [str(row.get("provider", "")), str(row.get("model", ""))]
            for name, family in families.items():
                if name in row and row[name] is not None:
                    family.add_metric(labels, float(row[name]))
            if row.get("cost_usd") is not None:
                cost.add_metric(labels, float(row["cost_usd"]))
        yield from families.values()
        yield cost

    def describe(self):
        return []


class MetricsMiddleware:
    """Times every HTTP request and counts it under its route template (not the raw path)."""

    def __init__(self, app: ASGIApp, metrics: Metrics):
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on and record its status and latency."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "<unmatched>"
            method = scope.get("method", "GET")
            self.metrics.requests.labels(method=method, route=template, status=str(status)).inc()
            self.metrics.latency.labels(method=method, route=template).observe(time.perf_counter() - started)
