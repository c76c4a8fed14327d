"""A threaded HTTP server on 127.0.0.1 (free port) with scripted replies, faults and a request log."""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

FaultKind = Literal["status", "hang", "truncated", "bad_tool_args", "garbage", "drop_mid_stream"]


@dataclass
class Reply:
    """What the model answers: text and/or tool calls, and the token usage it reports."""

    text: str = "EURUSD net open position is long 1,000,000 EUR."
    tool_calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    input_tokens: int = 21
    output_tokens: int = 9


@dataclass
class Fault:
    """A failure to serve instead of a reply.

    ``status``: HTTP ``status`` with an error body (``retry_after`` adds a ``Retry-After`` header);
    ``hang``: sleep ``seconds`` before answering (past the client's timeout); ``truncated``: a
    valid HTTP response whose JSON is cut in half; ``bad_tool_args``: a tool call whose arguments
    are ``arguments`` (not JSON, or JSON the tool's schema rejects); ``garbage``: bytes that are no
    protocol at all; ``drop_mid_stream``: stream two tokens, then close the connection.
    """

    kind: FaultKind = "status"
    status: int = 500
    retry_after: float | None = None
    seconds: float = 3.0
    arguments: str = '{"book": "FX-G10", '
    tool: str = "get_net_open_position"

    @classmethod
    def http(cls, status: int, retry_after: float | None = None) -> Fault:
        """Return an HTTP error fault."""
        return cls("status", status=status, retry_after=retry_after)


@dataclass
class Received:
    """One request as the server saw it, and what it did with it."""

    path: str
    api_key: str | None
    body: dict[str, Any]
    stream: bool
    outcome: str
    usage: tuple[int, int] | None = None


class ProtocolServer:
    """Base of the provider servers: lifecycle, fault queue, revoked keys and the request log."""

    def __init__(self, model: str = "test-model") -> None:
        self.model = model
        self.reply = Reply()
        self.reply_for: Callable[[dict[str, Any]], Reply] | None = None
        self.requests: list[Received] = []
        self._faults: deque[Fault] = deque()
        self._sticky: Fault | None = None
        self._revoked: set[str] = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ----- control -------------------------------------------------------------------------
    def inject(self, fault: Fault, times: int = 1) -> None:
        """Serve ``fault`` to the next ``times`` requests (queued after earlier faults)."""
        with self._lock:
            self._faults.extend([fault] * times)

    def always(self, fault: Fault | None) -> None:
        """Serve ``fault`` to every request once the queue is empty (``None`` heals the server)."""
        with self._lock:
            self._sticky = fault

    def revoke(self, key: str) -> None:
        """Answer 401 to every request made with ``key``."""
        with self._lock:
            self._revoked.add(key)

    def clear(self) -> None:
        """Drop queued faults, the sticky fault and the request log."""
        with self._lock:
            self._faults.clear()
            self._sticky = None
            self.requests.clear()

    @property
    def calls(self) -> int:
        """Return how many requests reached the server."""
        return len(self.requests)

    def keys_seen(self) -> list[str | None]:
        """Return the API key of each request, in order."""
        return [r.api_key for r in self.requests]

    def reported_usage(self) -> tuple[int, int]:
        """Return the sum of (input, output) tokens this server reported in its answers."""
        pairs = [r.usage for r in self.requests if r.usage]
        return sum(p[0] for p in pairs), sum(p[1] for p in pairs)

    # ----- lifecycle -----------------------------------------------------------------------
    @property
    def url(self) -> str:
        """Return ``http://127.0.0.1:<port>``."""
        assert self._httpd is not None, "server not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self) -> ProtocolServer:
        """Listen on a free loopback port in a daemon thread."""
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes: without this, Nagle plus delayed ACK
            # adds ~40 ms to every loopback response.
            disable_nagle_algorithm = True

            def do_POST(self) -> None:  # noqa: N802 (http.server naming)
                server._dispatch(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving (hanging requests are released at once)."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def __enter__(self) -> ProtocolServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ----- request handling ----------------------------------------------------------------
    def _dispatch(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        key = self.api_key(handler)
        with self._lock:
            if key is not None and key in self._revoked:
                fault: Fault | None = Fault.http(401)
            elif self._faults:
                fault = self._faults.popleft()
            else:
                fault = self._sticky
        record = Received(path=handler.path, api_key=key, body=body, stream=False, outcome="ok")
        with self._lock:
            self.requests.append(record)
        try:
            self.handle(handler, body, fault, record)
        except (BrokenPipeError, ConnectionResetError):
            record.outcome += " (client went away)"

    def hang(self, seconds: float) -> None:
        """Sleep like a stuck upstream, but wake up at once when the server stops."""
        self._stopping.wait(seconds)

    def api_key(self, handler: BaseHTTPRequestHandler) -> str | None:
        """Return the credential the client sent (subclasses know where)."""
        raise NotImplementedError

    def handle(self, handler: BaseHTTPRequestHandler, body: dict[str, Any], fault: Fault | None,
               record: Received) -> None:
        """Answer one request in the provider's protocol."""
        raise NotImplementedError

    def current_reply(self, body: dict[str, Any]) -> Reply:
        """Return the reply for this request (``reply_for`` hook, else ``reply``)."""
        return self.reply_for(body) if self.reply_for else self.reply


def send(handler: BaseHTTPRequestHandler, status: int, payload: bytes, content_type: str = "application/json",
         headers: dict[str, str] | None = None) -> None:
    """Write a complete response with a Content-Length."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(payload)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(payload)
    handler.wfile.flush()


def start_stream(handler: BaseHTTPRequestHandler, content_type: str) -> None:
    """Write headers of a streamed response that ends when the connection closes."""
    handler.close_connection = True
    handler.send_response(200)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Connection", "close")
    handler.end_headers()
