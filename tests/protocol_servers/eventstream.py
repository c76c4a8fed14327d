"""Encode ``application/vnd.amazon.eventstream`` frames (prelude, headers, payload, CRC32s)."""

from __future__ import annotations

import json
import struct
import zlib
from typing import Any

_STRING = 7


def encode_headers(headers: dict[str, str]) -> bytes:
    """Return string-typed headers in the binary header layout."""
    out = b""
    for name, value in headers.items():
        raw_name, raw_value = name.encode(), value.encode()
        out += struct.pack(">B", len(raw_name)) + raw_name + struct.pack(">BH", _STRING, len(raw_value)) + raw_value
    return out


def encode_frame(headers: dict[str, str], payload: bytes) -> bytes:
    """Return one frame: total length, headers length, prelude CRC, headers, payload, message CRC."""
    raw_headers = encode_headers(headers)
    total = 4 + 4 + 4 + len(raw_headers) + len(payload) + 4
    prelude = struct.pack(">II", total, len(raw_headers))
    message = prelude + struct.pack(">I", zlib.crc32(prelude)) + raw_headers + payload
    return message + struct.pack(">I", zlib.crc32(message))


def event(event_type: str, payload: dict[str, Any]) -> bytes:
    """Return an event frame as Bedrock's ConverseStream sends it."""
    return encode_frame({":event-type": event_type, ":content-type": "application/json", ":message-type": "event"},
                        json.dumps(payload).encode())


def exception(exception_type: str, message: str) -> bytes:
    """Return an exception frame (e.g. ``throttlingException``) inside an HTTP 200 stream."""
    return encode_frame({":exception-type": exception_type, ":content-type": "application/json",
                         ":message-type": "exception"}, json.dumps({"message": message}).encode())
