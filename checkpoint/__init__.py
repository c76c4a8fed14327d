"""LangGraph checkpoint savers on plain Redis (sync and async), with TTL, key prefix and hash tags."""

from checkpoint._conn import build_async_client, build_client
from checkpoint.aio import AsyncRedisSaver
from checkpoint.base import DEFAULT_PREFIX, KeyLayout
from checkpoint.errors import CheckpointCorrupted, CheckpointError, CheckpointStoreUnavailable
from checkpoint.saver import RedisSaver

__all__ = [
    "DEFAULT_PREFIX",
    "AsyncRedisSaver",
    "CheckpointCorrupted",
    "CheckpointError",
    "CheckpointStoreUnavailable",
    "KeyLayout",
    "RedisSaver",
    "build_async_client",
    "build_client",
]
