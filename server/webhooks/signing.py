"""Webhook signatures: HMAC-SHA256 over ``"{timestamp}.{body}"``, sent as ``X-Fxdesk-Signature: t=..,v1=..``.

The timestamp is in the signed text so a captured delivery cannot be replayed later with a fresh
timestamp; receivers reject signatures older than a few minutes (`verify`'s ``tolerance``).
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Fxdesk-Signature"


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """Return the signature header value for ``body`` sent at ``timestamp`` (default: now)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, body: bytes, header: str, *, tolerance_s: int = 300, now: float | None = None) -> bool:
    """Return whether ``header`` is a valid signature of ``body`` made within ``tolerance_s`` of ``now``."""
    try:
        parts = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance_s:
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, given)
