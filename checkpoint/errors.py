"""Typed errors of the Redis checkpointer, named by how a caller should react."""

from __future__ import annotations

__all__ = ["CheckpointError", "CheckpointStoreUnavailable", "CheckpointCorrupted"]


class CheckpointError(Exception):
    """Base class of every error the checkpointer raises on purpose."""


class CheckpointStoreUnavailable(CheckpointError):
    """Redis did not answer at setup: fix the URL or start Redis; retrying at once will not help."""

    def __init__(self, url: str, cause: BaseException | None = None) -> None:
        detail = f": {cause}" if cause is not None else ""
        super().__init__(f"Checkpoint store unavailable: no Redis answers at {url}{detail}")
        self.url = url


class CheckpointCorrupted(CheckpointError):
    """Stored data cannot be read back (e.g. a delta whose base blob was deleted by another process)."""
