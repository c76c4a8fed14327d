"""OpenAI chat completions (``/v1/chat/completions``) and Groq's copy (``/openai/v1/chat/completions``).

JSON answers with tool calls and ``usage``; SSE streaming (``data: {...}`` chunks, ``[DONE]``)
with the usage chunk of ``stream_options.include_usage`` (OpenAI) or ``x_groq.usage`` (Groq).
"""

from __future__ import annotations

import itertools
import json
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.protocol_servers.base import Fault, ProtocolServer, Received, Reply, send, start_stream

_ids = itertools.count(1)


class OpenAIServer(ProtocolServer):
    """Speaks ``POST {prefix}/chat/completions`` like api.openai.com."""

    prefix = "/v1"

    @property
    def base_url(self) -> str:
        """Return the URL to give the SDK as ``base_url``."""
        return self.url + self.prefix

    def api_key(self, handler: BaseHTTPRequestHandler) -> str | None:
        """Return the bearer token."""
        auth = handler.headers.get("Authorization", "")
        return auth.removeprefix("Bearer ").strip() or None

    def handle(self, handler: BaseHTTPRequestHandler, body: dict[str, Any], fault: Fault | None,
               record: Received) -> None:
        """Answer a chat completion, or serve the fault."""
        if handler.path.rstrip("/") != f"{self.prefix}/chat/completions":
            record.outcome = "404"
            send(handler, 404, json.dumps({"error": {"message": f"no route {handler.path}"}}).encode())
            return
        record.stream = bool(body.get("stream"))
        reply = self.current_reply(body)
        model = body.get("model", self.model)
        if fault is not None:
            record.outcome = fault.kind if fault.kind != "status" else str(fault.status)
            if fault.kind == "status":
                headers = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after is not None else {}
                error = {"error": {"message": f"injected {fault.status}", "type": "server_error",
                                   "code": str(fault.status)}}
                send(handler, fault.status, json.dumps(error).encode(), headers=headers)
                return
            if fault.kind == "hang":
                self.hang(fault.seconds)
            elif fault.kind == "truncated":
                whole = json.dumps(self.completion(model, reply)).encode()
                send(handler, 200, whole[: len(whole) // 2])
                return
            elif fault.kind == "garbage":
                send(handler, 200, b"\x00\xffnot a model answer<html>", content_type="text/html")
                return
            elif fault.kind == "bad_tool_args":
                reply = Reply(text="", tool_calls=[(fault.tool, fault.arguments)],  # type: ignore[list-item]
                              input_tokens=reply.input_tokens, output_tokens=reply.output_tokens)
        record.usage = (reply.input_tokens, reply.output_tokens)
        if record.stream:
            self._stream(handler, model, reply, body, drop=fault is not None and fault.kind == "drop_mid_stream")
        else:
            send(handler, 200, json.dumps(self.completion(model, reply)).encode())

    # ----- bodies --------------------------------------------------------------------------
    def usage(self, reply: Reply) -> dict[str, int]:
        """Return the ``usage`` object of a reply."""
        return {"prompt_tokens": reply.input_tokens, "completion_tokens": reply.output_tokens,
                "total_tokens": reply.input_tokens + reply.output_tokens}

    def completion(self, model: str, reply: Reply) -> dict[str, Any]:
        """Return a ``chat.completion`` object."""
        message: dict[str, Any] = {"role": "assistant", "content": reply.text or None}
        if reply.tool_calls:
            message["tool_calls"] = [
                {"id": f"call_{n}", "type": "function",
                 "function": {"name": name, "arguments": args if isinstance(args, str) else json.dumps(args)}}
                for n, (name, args) in enumerate(reply.tool_calls)]
        return {"id": f"chatcmpl-{next(_ids)}", "object": "chat.completion", "created": int(time.time()),
                "model": model, "system_fingerprint": "fp_local",
                "choices": [{"index": 0, "message": message, "logprobs": None,
                             "finish_reason": "tool_calls" if reply.tool_calls else "stop"}],
                "usage": self.usage(reply)}

    def _chunk(self, cid: str, model: str, delta: dict[str, Any], finish: str | None = None,
               **extra: Any) -> dict[str, Any]:
        return {"id": cid, "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
                "system_fingerprint": "fp_local",
                "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}], **extra}

    def chunks(self, model: str, reply: Reply, body: dict[str, Any]) -> list[dict[str, Any]]:
        """Return the SSE chunk objects of a streamed reply, usage chunk included when asked for."""
        cid = f"chatcmpl-{next(_ids)}"
        out = [self._chunk(cid, model, {"role": "assistant", "content": ""})]
        for word in reply.text.split(" ") if reply.text else []:
            out.append(self._chunk(cid, model, {"content": word + " "}))
        for n, (name, args) in enumerate(reply.tool_calls):
            text = args if isinstance(args, str) else json.dumps(args)
            out.append(self._chunk(cid, model, {"tool_calls": [{"index": n, "id": f"call_{n}", "type": "function",
                                                                "function": {"name": name, "arguments": ""}}]}))
            for piece in (text[: len(text) // 2], text[len(text) // 2:]):
                out.append(self._chunk(cid, model, {"tool_calls": [{"index": n, "function": {"arguments": piece}}]}))
        out.append(self._chunk(cid, model, {}, "tool_calls" if reply.tool_calls else "stop"))
        if (body.get("stream_options") or {}).get("include_usage"):
            out.append({"id": cid, "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
                        "choices": [], "usage": self.usage(reply)})
        return out

    def _stream(self, handler: BaseHTTPRequestHandler, model: str, reply: Reply, body: dict[str, Any],
                drop: bool) -> None:
        start_stream(handler, "text/event-stream")
        chunks = self.chunks(model, reply, body)
        for n, chunk in enumerate(chunks):
            if drop and n == 3:
                handler.wfile.flush()
                handler.connection.shutdown(2)  # abrupt end, no [DONE]
                return
            handler.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            handler.wfile.flush()
        handler.wfile.write(b"data: [DONE]\n\n")
        handler.wfile.flush()


class GroqServer(OpenAIServer):
    """Speaks Groq's OpenAI-compatible ``POST /openai/v1/chat/completions`` (usage in ``x_groq``)."""

    prefix = "/openai/v1"

    @property
    def base_url(self) -> str:
        """Return the URL to give the Groq SDK (it appends ``/openai/v1`` itself)."""
        return self.url

    def completion(self, model: str, reply: Reply) -> dict[str, Any]:
        """Return a Groq ``chat.completion`` (OpenAI's plus ``x_groq``)."""
        out = super().completion(model, reply)
        out["x_groq"] = {"id": f"req_{out['id']}"}
        return out

    def chunks(self, model: str, reply: Reply, body: dict[str, Any]) -> list[dict[str, Any]]:
        """Return Groq's chunks: the final one carries ``x_groq.usage``."""
        out = super().chunks(model, reply, {**body, "stream_options": None})
        out[-1]["x_groq"] = {"id": "req_local", "usage": self.usage(reply)}
        return out
