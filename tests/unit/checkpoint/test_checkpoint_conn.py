"""Client construction: binary replies, retry policy, URLs without passwords in messages."""

from __future__ import annotations

from redis.exceptions import ConnectionError as RedisConnectionError

from checkpoint._conn import build_async_client, build_client, redact_url, url_of
from checkpoint.errors import CheckpointStoreUnavailable


def test_password_is_redacted_from_urls():
    assert redact_url("redis://:s3cret@cache.internal:6380/2") == "redis://:***@cache.internal:6380/2"
    assert redact_url("rediss://app:s3cret@h/0") == "rediss://app:***@h/0"
    assert redact_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


def test_clients_return_bytes_and_retry_connection_errors():
    client = build_client("redis://127.0.0.1:6399/3", retries=4)
    kwargs = client.connection_pool.connection_kwargs
    assert kwargs["decode_responses"] is False
    assert kwargs["retry"].get_retries() == 4
    assert RedisConnectionError in tuple(kwargs["retry"]._supported_errors)
    assert url_of(client) == "redis://127.0.0.1:6399/3"
    aclient = build_async_client("redis://127.0.0.1:6399/3")
    assert aclient.connection_pool.connection_kwargs["retry"].get_retries() == 3


def test_unavailable_error_names_the_url():
    err = CheckpointStoreUnavailable("redis://10.0.0.9:6379/0", OSError("refused"))
    assert "redis://10.0.0.9:6379/0" in str(err) and "refused" in str(err)


def test_hot_path_packer_matches_redis_py_bytes():
    from redis.connection import Connection

    from checkpoint._conn import pack_resp

    commands = [("MULTI",), ("HSET", "k\x00é", b"v\x00" * 3, 5), ("ZADD", "z", 0, "m"), ("EXEC",),
                ("HSET", "big", b"x" * 10_000)]
    assert pack_resp(commands) == b"".join(Connection().pack_commands(commands))
