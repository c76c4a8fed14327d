"""Run one call on one bound link (invoke and stream, sync and async) within its attempt budget.

Streaming commits to a provider at its first text token: until then chunks are held back, so a
failure before the first token can still fall back. An answer that is a tool call is held back
whole and validated first (the caller executes tool calls only once they are complete anyway), so
garbage tool arguments fall back in streaming too. A failure after the first token cannot be
undone: it is accounted for and raised as a typed error.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.runnables import RunnableConfig

from llm.errors import ProviderError, Retryable
from llm.link import BoundLink


def _commits(chunk: AIMessageChunk, held: list[AIMessageChunk]) -> bool:
    """Return whether a stream can be released to the caller after ``chunk``."""
    if chunk.tool_call_chunks or any(c.tool_call_chunks for c in held):
        return False
    return bool(chunk.text)


def _join(chunks: list[AIMessageChunk]) -> AIMessageChunk | None:
    total: AIMessageChunk | None = None
    for chunk in chunks:
        total = chunk if total is None else total + chunk
    return total


_FINISH_KEYS = ("finish_reason", "stopReason", "stop_reason")


def _check_stream(bound: BoundLink, whole: AIMessageChunk) -> None:
    """Raise ``Retryable(kind="malformed")`` for a stream cut short or with invalid tool calls.

    The openai SDK ends a stream quietly when the connection drops before ``[DONE]``; the only
    sign is that no chunk carried a finish reason.
    """
    if bound.link.expects_finish and not any(whole.response_metadata.get(k) for k in _FINISH_KEYS):
        raise Retryable("stream ended before the provider finished its answer (no finish reason)",
                        provider=bound.link.name, kind="malformed")
    bound.schemas.check(whole, provider=bound.link.name)


def _finish(bound: BoundLink, attempts: Any, held: list[AIMessageChunk]) -> None:
    """Validate a committed stream (complete, valid tool calls) and account for it."""
    whole = _join(held) or AIMessageChunk(content="")
    try:
        _check_stream(bound, whole)
    except ProviderError as exc:
        raise attempts.failed_after_commit(exc) from None
    attempts.succeeded(whole)


def invoke_link(bound: BoundLink, input: Any, config: RunnableConfig | None, **kwargs: Any) -> AIMessage:
    """Return the link's answer, retrying within its budget; raise a ``ProviderError`` to fall back."""
    attempts = bound.attempts()
    while True:
        slot = attempts.start()
        try:
            message = bound.runnables[slot.index].invoke(input, config, **kwargs)
            bound.schemas.check(message, provider=bound.link.name)
        except Exception as exc:
            time.sleep(attempts.failed(slot, exc))
            continue
        except BaseException:
            attempts.release()
            raise
        attempts.succeeded(message)
        return message


async def ainvoke_link(bound: BoundLink, input: Any, config: RunnableConfig | None, **kwargs: Any) -> AIMessage:
    """Async ``invoke_link``."""
    attempts = bound.attempts()
    while True:
        slot = attempts.start()
        try:
            message = await bound.runnables[slot.index].ainvoke(input, config, **kwargs)
            bound.schemas.check(message, provider=bound.link.name)
        except Exception as exc:
            await asyncio.sleep(attempts.failed(slot, exc))
            continue
        except BaseException:
            attempts.release()
            raise
        attempts.succeeded(message)
        return message


def stream_link(bound: BoundLink, input: Any, config: RunnableConfig | None,
                **kwargs: Any) -> Iterator[AIMessageChunk]:
    """Yield the link's chunks; raise a ``ProviderError`` before the first chunk to fall back."""
    attempts = bound.attempts()
    while True:
        slot = attempts.start()
        held: list[AIMessageChunk] = []
        try:
            chunks = iter(bound.runnables[slot.index].stream(input, config, **kwargs))
            for chunk in chunks:
                held.append(chunk)
                if _commits(chunk, held[:-1]):
                    break
            else:
                _check_stream(bound, _join(held) or AIMessageChunk(content=""))
        except Exception as exc:
            time.sleep(attempts.failed(slot, exc))
            continue
        except BaseException:
            attempts.release()
            raise
        break
    yield from held
    try:
        for chunk in chunks:
            held.append(chunk)
            yield chunk
    except Exception as exc:
        raise attempts.failed_after_commit(exc) from exc
    except BaseException:
        attempts.release()
        raise
    _finish(bound, attempts, held)


async def astream_link(bound: BoundLink, input: Any, config: RunnableConfig | None,
                       **kwargs: Any) -> AsyncIterator[AIMessageChunk]:
    """Async ``stream_link``."""
    attempts = bound.attempts()
    while True:
        slot = attempts.start()
        held: list[AIMessageChunk] = []
        try:
            chunks = aiter(bound.runnables[slot.index].astream(input, config, **kwargs))
            async for chunk in chunks:
                held.append(chunk)
                if _commits(chunk, held[:-1]):
                    break
            else:
                _check_stream(bound, _join(held) or AIMessageChunk(content=""))
        except Exception as exc:
            await asyncio.sleep(attempts.failed(slot, exc))
            continue
        except BaseException:
            attempts.release()
            raise
        break
    for chunk in held:
        yield chunk
    try:
        async for chunk in chunks:
            held.append(chunk)
            yield chunk
    except Exception as exc:
        raise attempts.failed_after_commit(exc) from exc
    except BaseException:
        attempts.release()
        raise
    _finish(bound, attempts, held)
