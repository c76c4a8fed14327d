"""Limits on run-creating requests: a per-user rate limit shared by replicas, and user message length.

Run-creating requests are the LangGraph runs (``/threads/{id}/runs[/wait|/stream]``,
``/runs[/wait|/stream]``) and fxdesk's turns (``/chat``, ``/api/risk/position/summary``). The
middleware reads their body (already capped by `server.body_limit`), identifies the caller the
same way the routes do (bearer token; in ``--dev`` mode ``context.user_id``), charges their rate
budget (429 with ``Retry-After``) and checks each user message's length (422). A caller it cannot
identify is passed on untouched: the route answers 401.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import orjson
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.auth import AuthError, bearer_token, verify_token
from server.problems import problem_response

if TYPE_CHECKING:
    from server.services import AppServices

RUN_CREATING = re.compile(r"^/(?:threads/[^/]+/runs|runs)(?:/wait|/stream)?/?$"
                          r"|^/chat/?$|^/api/risk/position/summary/?$")
_USER_TYPES = {"human", "user"}


def is_run_creating(method: str, path: str) -> bool:
    """Return whether the request starts a graph run (and so is rate limited)."""
    return method == "POST" and RUN_CREATING.match(path) is not None


def user_messages(body: Any) -> Iterator[str]:
    """Yield the text of every user message in a request body.

    ``message`` of /chat and /api bodies; the human messages of a LangGraph run's
    ``input.messages`` (dicts, ``[role, text]`` pairs or bare strings); a text ``command.resume``.
    """
    if not isinstance(body, dict):
        return
    if isinstance(body.get("message"), str):
        yield body["message"]
    graph_input = body.get("input")
    messages = graph_input.get("messages") if isinstance(graph_input, dict) else None
    if isinstance(messages, (str, dict)):
        messages = [messages]
    for message in messages if isinstance(messages, list) else ():
        if isinstance(message, str):
            yield message
        elif isinstance(message, list) and len(message) == 2 and message[0] in _USER_TYPES:
            yield _text(message[1])
        elif isinstance(message, dict) and (message.get("type") or message.get("role")) in _USER_TYPES:
            yield _text(message.get("content"))
    command = body.get("command")
    if isinstance(command, dict) and isinstance(command.get("resume"), str):
        yield command["resume"]


def message_too_long(body: Any, max_chars: int) -> str | None:
    """Return the 422 detail when a user message is longer than ``max_chars``, else None."""
    longest = max((len(text) for text in user_messages(body)), default=0)
    if longest > max_chars:
        return (f"The message is {longest:,} characters long; this server accepts at most {max_chars:,} "
                f"characters per message. Shorten it or split it into several turns.")
    return None


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content blocks: count the text parts
        parts = [b if isinstance(b, str) else str(b.get("text", "")) for b in content if isinstance(b, str | dict)]
        return "".join(parts)
    return ""


class LimitsMiddleware:
    """Rate limit and message length for run-creating requests (see the module docstring)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the request, then pass it on with its body replayed."""
        if scope["type"] != "http" or not is_run_creating(scope.get("method", ""), scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        raw = await _read_body(receive)
        try:
            body = orjson.loads(raw) if raw else None
        except orjson.JSONDecodeError:
            body = None  # the route answers 422 for an unreadable body
        services = getattr(scope["app"].state, "services", None)
        user = _user_of(services, scope, body)
        limiter = services.limiter if services is not None else None
        if user is not None and limiter is not None:
            try:
                decision = await limiter.check(user)
            except (RedisConnectionError, RedisTimeoutError):
                await problem_response(503, "The state store (Redis) is not answering; retry shortly.",
                                       headers={"Retry-After": "1"})(scope, receive, send)
                return
            if not decision.allowed:
                detail = (f"Rate limit of {services.settings.rate_limit} per user reached; "
                          f"retry in {decision.retry_after_header} s.")
                await problem_response(429, detail, headers={"Retry-After": decision.retry_after_header})(
                    scope, receive, send)
                return
        if user is not None and (detail := message_too_long(body, services.settings.max_message_chars)):
            await problem_response(422, detail, title="Message too long")(scope, receive, send)
            return
        await self.app(scope, _replay(raw, receive), send)


def _user_of(services: AppServices | None, scope: Scope, body: Any) -> str | None:
    if services is None:
        return None
    authorization = dict(scope.get("headers") or []).get(b"authorization")
    if authorization is None:
        if not services.dev:
            return None
        context = body.get("context") if isinstance(body, dict) else None
        user = context.get("user_id") if isinstance(context, dict) else None
        return user if isinstance(user, str) else None
    try:
        return verify_token(bearer_token(authorization.decode("latin-1")), services.jwt_keys).user_id
    except AuthError:
        return None


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
