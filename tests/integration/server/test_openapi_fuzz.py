"""Schemathesis drives `fxdesk serve`'s own OpenAPI with a valid token: no server errors, true responses (issue 12).

A real `fxdesk serve` subprocess (the repo's fxdesk graph, offline model) on 127.0.0.1 with a
private Redis key prefix. Every non-streaming operation gets a bounded, deterministic set of cases
(schemathesis' coverage phase plus a few generated ones, valid and invalid); the streaming
operations get a smaller set. Each response must not be a 5xx and must match the schema the
document declares for its status (problem bodies included, `server.openapi_doc`).

Marked ``fuzz`` (and ``slow``); it runs in the plain ``uv run pytest`` of CI.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import schemathesis
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.pytest.lazy import get_all_tests
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.integration.server.conftest import auth
from tests.integration.server.servers import ServerProcess, start_fxdesk

# A few minutes on an idle 2-core machine; the bound leaves room for a shared, loaded one.
pytestmark = [pytest.mark.fuzz, pytest.mark.slow, pytest.mark.timeout(1800)]

SEED = 12  # the issue number: deterministic cases, same run every time
STREAMING = r"/stream$"
REQUEST_TIMEOUT_S = 60
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture(scope="module")
def fuzz_server(server_env, tmp_path_factory) -> Iterator[ServerProcess]:
    # The panel's own limit stays at its default: pnl?days=30 cases then meet documented 429s too.
    env = {**server_env, "FXDESK_PANEL_RATE_LIMIT": "300/minute", "FXDESK_PANEL_RATE_BURST": "60"}
    server = start_fxdesk(tmp_path_factory.mktemp("fxdesk-fuzz"), env, echo=False, timeout=120)
    yield server
    server.stop()


def _schema(server: ServerProcess, max_examples: int, *, coverage: bool) -> schemathesis.BaseSchema:
    config = schemathesis.Config.from_dict({
        # The coverage phase: schemathesis' deterministic boundary and negative cases (missing, wrong
        # type, out of range) of every parameter and body field; then ``max_examples`` generated ones.
        "phases": {"coverage": {"enabled": coverage}, "stateful": {"enabled": False}},
        "seed": SEED,
        "request-timeout": REQUEST_TIMEOUT_S,
        "suppress-health-check": ["all"],  # path parameters are filtered hard; bounded runs need no warnings
        "generation": {"max-examples": max_examples, "deterministic": True, "database": "none",
                       "no-shrink": True},
    })
    return schemathesis.openapi.from_url(f"{server.url}/openapi.json", config=config)


@dataclass
class OperationRun:
    label: str
    cases: int = 0
    seconds: float = 0.0
    failure: str | None = None


def _fuzz(server: ServerProcess, *, streaming: bool, max_examples: int) -> list[OperationRun]:
    """Run every (non-)streaming operation's cases against ``server``; one record per operation.

    Streaming operations get generated cases only: each valid one runs the graph to its end.
    """
    schema = _schema(server, max_examples, coverage=not streaming)
    schema = schema.include(path_regex=STREAMING) if streaming else schema.exclude(path_regex=STREAMING)
    runs: dict[str, OperationRun] = {}

    def check(case: Case) -> None:
        run = runs[case.operation.label]
        run.cases += 1
        response = case.call(headers=auth("trader_aruna"), timeout=REQUEST_TIMEOUT_S)
        case.validate_response(response, checks=CHECKS)

    # schemathesis builds one Hypothesis test per operation: its coverage cases, examples and fuzzing.
    for result in get_all_tests(schema=schema, test_func=check, settings=None, seed=SEED,
                                as_strategy_kwargs=None, given_kwargs=None):
        operation, test = result.ok()  # an unreadable operation raises here, failing the test
        run = runs[operation.label] = OperationRun(operation.label)
        started = time.perf_counter()
        try:
            test()
        except Exception as exc:  # noqa: BLE001 - every failure is reported with its operation below
            run.failure = f"{type(exc).__name__}: {exc}"[:3000]
        run.seconds = time.perf_counter() - started
    _print_table(list(runs.values()))
    return list(runs.values())


def _print_table(runs: list[OperationRun]) -> None:
    print(f"\n{'operation':58} {'cases':>6} {'s':>6}  result")
    for run in runs:
        print(f"{run.label:58} {run.cases:6d} {run.seconds:6.1f}  {'FAIL' if run.failure else 'ok'}")


def _assert_clean(runs: list[OperationRun]) -> None:
    assert runs, "the schema lists no operations"
    failures = [f"{run.label}:\n{run.failure}" for run in runs if run.failure]
    assert not failures, "\n\n".join(failures)


def test_every_operation_answers_without_server_error_as_documented(fuzz_server) -> None:
    _assert_clean(_fuzz(fuzz_server, streaming=False, max_examples=4))


def test_streaming_operations_answer_without_server_error_as_documented(fuzz_server) -> None:
    runs = _fuzz(fuzz_server, streaming=True, max_examples=4)
    assert {run.label for run in runs} >= {"POST /runs/stream", "POST /threads/{thread_id}/runs/stream"}
    _assert_clean(runs)
