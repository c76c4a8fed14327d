"""Delete every key a test or benchmark wrote under its own prefix (never FLUSHALL on a shared Redis)."""

from __future__ import annotations

import redis


def delete_prefix(url: str, prefix: str) -> None:
    """Delete the keys under ``prefix``, hash-tagged ones (``{prefix...}``) included."""
    client = redis.Redis.from_url(url)
    try:
        for pattern in (f"{prefix}*", f"{{{prefix}*"):
            keys = list(client.scan_iter(match=pattern, count=1000))
            for i in range(0, len(keys), 500):
                client.delete(*keys[i:i + 500])
    finally:
        client.close()
