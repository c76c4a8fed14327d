"""JSON problem bodies (RFC 9457: type, title, detail, status) and the app's exception handlers.

Every error a client sees is one of these, with a ``detail`` written for them; unexpected errors
are logged with their traceback on the server and answered with a generic 500, never a trace.
A Redis that does not answer becomes 503 so callers and load balancers can retry elsewhere.

One ``type`` scheme for every problem, whoever writes it (routes, middleware, the body limit):
``https://fxdesk.dev/problems/<status phrase>``, e.g. ``.../unprocessable-entity`` for every 422;
the ``title`` may be more specific. An unexpected error is answered by `ErrorAnswerMiddleware`
inside the app, so the server never sees it escape and keeps the client's connection open (issue 12).
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from checkpoint import CheckpointStoreUnavailable
from server.auth import AuthError
from server.ids import ID_PATTERN, ID_RULE, InvalidId
from server.runs.caller import Forbidden, InvalidContext
from server.runs.input_check import InvalidInput
from server.runs.runs_store import Rejected

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://fxdesk.dev/problems/"


class Problem(Exception):
    """An error to answer with a problem body; raise it from routes."""

    def __init__(self, status: int, detail: str, title: str | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or HTTPStatus(status).phrase


def problem_type(status: int) -> str:
    """Return the problem ``type`` URI for ``status`` (one scheme for every problem the server writes)."""
    return f"{PROBLEM_BASE}{HTTPStatus(status).phrase.lower().replace(' ', '-')}"


def problem_body(status: int, detail: str, title: str | None = None) -> dict[str, str | int]:
    """Return the problem document (type, title, detail, status)."""
    return {"type": problem_type(status), "title": title or HTTPStatus(status).phrase, "detail": detail,
            "status": status}


def problem_response(status: int, detail: str, title: str | None = None,
                     headers: dict[str, str] | None = None) -> JSONResponse:
    """Return a problem+json response."""
    return JSONResponse(problem_body(status, detail, title), status_code=status, media_type=MEDIA_TYPE,
                        headers=headers)


async def _problem(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return problem_response(exc.status, exc.detail, exc.title)


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return problem_response(exc.status_code, str(exc.detail), headers=exc.headers)


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    parts = [_describe_validation_error(e) for e in exc.errors()]
    return problem_response(422, "; ".join(parts) or "Invalid request body")


def _describe_validation_error(error: dict) -> str:
    # A body that is not JSON at all deserves a sentence a person can act on, not "body.33: JSON decode error".
    if error.get("type") == "json_invalid":
        loc = error.get("loc", ())
        where = f" at character {loc[-1]}" if loc and isinstance(loc[-1], int) else ""
        reason = (error.get("ctx") or {}).get("error")
        return f"The request body is not valid JSON{where}" + (f": {reason}." if reason else ".")
    where = '.'.join(str(p) for p in error.get('loc', ()))
    if error.get("type") == "string_pattern_mismatch" and (error.get("ctx") or {}).get("pattern") == ID_PATTERN:
        return f"{where}: must be {ID_RULE}"
    message = str(error.get("msg"))
    if error.get("type") == "value_error" and message.startswith("Value error, "):
        # Our own validators name the field in their message (e.g. "metadata.a: integers must fit in 64 bits").
        return message.removeprefix("Value error, ")
    return f"{where}: {message}"


async def _auth(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AuthError)
    return problem_response(401, exc.detail, headers={"WWW-Authenticate": "Bearer"})


async def _forbidden(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Forbidden)
    return problem_response(403, exc.detail)


async def _invalid_context(_: Request, exc: Exception) -> JSONResponse:
    return problem_response(422, str(exc))


async def _unprocessable(_: Request, exc: Exception) -> JSONResponse:
    return problem_response(422, str(exc))


async def _rejected(_: Request, exc: Exception) -> JSONResponse:
    return problem_response(409, "Thread is already running a task. Wait for it to finish or choose a "
                                 "different multitask strategy.")


async def _redis_down(_: Request, exc: Exception) -> JSONResponse:
    log.warning("Redis unavailable: %s", exc)
    return problem_response(503, "The state store (Redis) is not answering; retry shortly.",
                            headers={"Retry-After": "1"})


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return problem_response(500, "An internal error occurred.")


class ErrorAnswerMiddleware:
    """Answer an unexpected error with the generic 500 problem inside the app (the innermost middleware).

    Starlette's outermost error handler re-raises after answering, and uvicorn then closes the
    connection; answered here, the error ends the request and the keep-alive connection stays open.
    An error after the response started cannot be answered any more: it propagates as before.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app; answer 500 if it fails before it started a response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                raise
            log.exception("unhandled error", exc_info=exc)
            await problem_response(500, "An internal error occurred.")(scope, receive, send)


def install_problem_handlers(app: FastAPI) -> None:
    """Answer every error raised by a route with a problem body (keeping the connection open), documented so."""
    from server.openapi_doc import document_problems

    document_problems(app)
    app.add_middleware(ErrorAnswerMiddleware)
    app.add_exception_handler(Problem, _problem)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(AuthError, _auth)
    app.add_exception_handler(Forbidden, _forbidden)
    app.add_exception_handler(InvalidContext, _invalid_context)
    app.add_exception_handler(InvalidId, _unprocessable)
    app.add_exception_handler(InvalidInput, _unprocessable)
    app.add_exception_handler(Rejected, _rejected)
    app.add_exception_handler(RedisConnectionError, _redis_down)
    app.add_exception_handler(RedisTimeoutError, _redis_down)
    app.add_exception_handler(CheckpointStoreUnavailable, _redis_down)
    app.add_exception_handler(Exception, _unexpected)
