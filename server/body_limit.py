"""ASGI middleware that refuses request bodies over a size limit with a 413 problem, before the app reads them."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.problems import MEDIA_TYPE, problem_body


class BodyTooLarge(Exception):
    """Raised inside the receive channel once the body passes the limit."""


class BodyLimitMiddleware:
    """Reject requests whose body exceeds ``max_bytes`` (by Content-Length, or counted while streaming).

    A chunked body is counted as it arrives. Whatever the app answers once the count passes the
    limit (FastAPI turns any error while reading the body into a 400) is replaced by the 413 (issue 12).
    """

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or answer 413 when its body is too large."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(send, int(declared))
            return

        received = 0
        too_large = False
        answered = False

        async def limited_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_large = True
                    raise BodyTooLarge
            return message

        replaced = False

        async def guarded_send(message: Message) -> None:
            nonlocal answered, replaced
            if too_large and (replaced or not answered):
                # The app's own answer to the aborted read (FastAPI: 400) is dropped for the 413.
                if not replaced:
                    replaced = answered = True
                    await self._reject(send, received)
                return
            answered = answered or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except BodyTooLarge:
            if not answered:
                await self._reject(send, received)

    async def _reject(self, send: Send, size: int) -> None:
        detail = (f"The request body is larger than the {self.max_bytes:,} bytes this server accepts"
                  f" (at least {size:,} bytes were sent).")
        body = json.dumps(problem_body(413, detail, "Request body too large")).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", MEDIA_TYPE.encode()),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
