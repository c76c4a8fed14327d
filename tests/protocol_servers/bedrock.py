"""Bedrock runtime Converse: ``POST /model/{modelId}/converse`` (JSON) and ``/converse-stream`` (eventstream)."""

from __future__ import annotations

import json
import re
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import unquote

from tests.protocol_servers import eventstream
from tests.protocol_servers.base import Fault, ProtocolServer, Received, Reply, send, start_stream

_PATH = re.compile(r"^/model/(?P<model>[^/]+)/(?P<op>converse|converse-stream)$")
_CREDENTIAL = re.compile(r"Credential=(?P<key>[^/,\s]+)/")
_ERROR_TYPES = {400: "ValidationException", 401: "UnrecognizedClientException", 403: "AccessDeniedException",
                404: "ResourceNotFoundException", 429: "ThrottlingException", 500: "InternalServerException",
                503: "ServiceUnavailableException"}


class BedrockServer(ProtocolServer):
    """Speaks the Bedrock runtime Converse API; the "key" is the SigV4 access key id."""

    @property
    def endpoint_url(self) -> str:
        """Return the URL to give botocore as ``endpoint_url``."""
        return self.url

    def api_key(self, handler: BaseHTTPRequestHandler) -> str | None:
        """Return the access key id from the SigV4 ``Authorization`` header."""
        match = _CREDENTIAL.search(handler.headers.get("Authorization", ""))
        return match["key"] if match else None

    def handle(self, handler: BaseHTTPRequestHandler, body: dict[str, Any], fault: Fault | None,
               record: Received) -> None:
        """Answer Converse or ConverseStream, or serve the fault."""
        match = _PATH.match(handler.path.split("?")[0])
        if not match:
            record.outcome = "404"
            self._error(handler, 404)
            return
        model = unquote(match["model"])
        record.stream = match["op"] == "converse-stream"
        reply = self.current_reply(body)
        if fault is not None:
            record.outcome = fault.kind if fault.kind != "status" else str(fault.status)
            if fault.kind == "status":
                self._error(handler, fault.status, fault.retry_after)
                return
            if fault.kind == "hang":
                self.hang(fault.seconds)
            elif fault.kind in ("truncated", "garbage") and not record.stream:
                whole = json.dumps(self.converse(reply)).encode()
                payload = whole[: len(whole) // 2] if fault.kind == "truncated" else b"\x00\xff<html>oops"
                send(handler, 200, payload)
                return
            elif fault.kind == "bad_tool_args":
                reply = Reply(text="", tool_calls=[(fault.tool, json.loads(fault.arguments))],
                              input_tokens=reply.input_tokens, output_tokens=reply.output_tokens)
        record.usage = (reply.input_tokens, reply.output_tokens)
        if record.stream:
            self._stream(handler, reply, fault)
        else:
            send(handler, 200, json.dumps(self.converse(reply)).encode())
        del model

    def _error(self, handler: BaseHTTPRequestHandler, status: int, retry_after: float | None = None) -> None:
        kind = _ERROR_TYPES.get(status, "InternalServerException" if status >= 500 else "ValidationException")
        headers = {"x-amzn-ErrorType": f"{kind}:http://internal.amazon.com/coral/com.amazon.bedrock/"}
        if retry_after is not None:
            headers["Retry-After"] = f"{retry_after:g}"
        send(handler, status, json.dumps({"message": f"injected {status}"}).encode(), headers=headers)

    def _usage(self, reply: Reply) -> dict[str, int]:
        return {"inputTokens": reply.input_tokens, "outputTokens": reply.output_tokens,
                "totalTokens": reply.input_tokens + reply.output_tokens}

    def converse(self, reply: Reply) -> dict[str, Any]:
        """Return a Converse response body."""
        content: list[dict[str, Any]] = [{"text": reply.text}] if reply.text else []
        content += [{"toolUse": {"toolUseId": f"tooluse_{n}", "name": name, "input": args}}
                    for n, (name, args) in enumerate(reply.tool_calls)]
        return {"output": {"message": {"role": "assistant", "content": content}},
                "stopReason": "tool_use" if reply.tool_calls else "end_turn",
                "usage": self._usage(reply), "metrics": {"latencyMs": 1}}

    def frames(self, reply: Reply) -> list[bytes]:
        """Return the ConverseStream event frames of a reply."""
        out = [eventstream.event("messageStart", {"role": "assistant"})]
        index = 0
        if reply.text:
            for word in reply.text.split(" "):
                out.append(eventstream.event("contentBlockDelta",
                                             {"contentBlockIndex": 0, "delta": {"text": word + " "}}))
            out.append(eventstream.event("contentBlockStop", {"contentBlockIndex": 0}))
            index = 1
        for n, (name, args) in enumerate(reply.tool_calls, start=index):
            text = json.dumps(args)
            out.append(eventstream.event("contentBlockStart", {
                "contentBlockIndex": n, "start": {"toolUse": {"toolUseId": f"tooluse_{n}", "name": name}}}))
            for piece in (text[: len(text) // 2], text[len(text) // 2:]):
                out.append(eventstream.event("contentBlockDelta",
                                             {"contentBlockIndex": n, "delta": {"toolUse": {"input": piece}}}))
            out.append(eventstream.event("contentBlockStop", {"contentBlockIndex": n}))
        out.append(eventstream.event("messageStop", {"stopReason": "tool_use" if reply.tool_calls else "end_turn"}))
        out.append(eventstream.event("metadata", {"usage": self._usage(reply), "metrics": {"latencyMs": 1}}))
        return out

    def _stream(self, handler: BaseHTTPRequestHandler, reply: Reply, fault: Fault | None) -> None:
        start_stream(handler, "application/vnd.amazon.eventstream")
        frames = self.frames(reply)
        if fault is not None and fault.kind == "garbage":
            bad = bytearray(frames[1])
            bad[-1] ^= 0xFF  # break the message CRC
            frames = [frames[0], bytes(bad)]
        if fault is not None and fault.kind == "truncated":
            frames = [frames[0], frames[1][: len(frames[1]) // 2]]
        for n, frame in enumerate(frames):
            if fault is not None and fault.kind == "drop_mid_stream" and n == 3:
                handler.wfile.write(eventstream.exception("internalServerException", "stream broke"))
                handler.wfile.flush()
                return
            handler.wfile.write(frame)
            handler.wfile.flush()
