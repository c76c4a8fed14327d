"""Typed errors of the Redis checkpointer, named by how a caller should react."""

from __future__ import annotations

from redis.exceptions import ConnectionError as RedisConnectionError

__all__ = ["CheckpointError", "CheckpointStoreUnavailable", "CheckpointCorrupted"]


class CheckpointError(Exception):
    """Base class of every error the checkpointer raises on purpose."""


class CheckpointStoreUnavailable(CheckpointError, RedisConnectionError):
    """Redis does not answer: at setup, or after the retry policy gave up on an operation.

    Retrying at once will not help: fix the URL or bring Redis back (a server answers 503). It is
    also a ``redis.ConnectionError``, so existing handlers of that keep working.
    """

    def __init__(self, url: str, cause: BaseException | None = None) -> None:
        detail = f": {cause}" if cause is not None else ""
        super().__init__(f"Checkpoint store unavailable: no Redis answers at {url}{detail}")
        self.url = url


class CheckpointCorrupted(CheckpointError):
    """Stored data cannot be read back (e.g. a delta whose base blob was deleted by another process)."""
