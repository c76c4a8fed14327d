"""One provider link: its keyed models, breaker, retry policy, and the attempt loop around a call.

An attempt takes the next key in rotation, asks the breaker, calls the model, and checks any tool
calls against the bound tools. Failures are classified (``llm.classify``) and decide what happens
next: a 429 or 401/403 cools that key and retries on another at once; a 5xx, timeout, connection
error or malformed answer counts against the breaker and backs off; a 400 surfaces unchanged.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.runnables import Runnable

from llm.breaker import CircuitBreaker
from llm.cache import HIT_MARK
from llm.classify import classify
from llm.errors import KEY_KINDS, BadRequest, ProviderError, Unavailable
from llm.keys import KeyRing, KeySlot
from llm.retry import RetryPolicy
from llm.usage import UsageRecorder
from llm.validation import ToolSchemas


@dataclass
class ProviderLink:
    """A configured provider: one chat model per API key, sharing a breaker and a retry policy."""

    name: str
    kind: str
    model: str
    build_models: Callable[[], list[BaseChatModel]]
    keys: KeyRing
    breaker: CircuitBreaker
    policy: RetryPolicy
    usage: UsageRecorder
    configured: bool = True
    base_url: str | None = None
    expects_finish: bool = False
    last_error: str | None = None
    _models: list[BaseChatModel] | None = field(default=None, repr=False)

    @property
    def models(self) -> list[BaseChatModel]:
        """Return the chat models, one per key in ring order (built on first use)."""
        if self._models is None:
            self._models = self.build_models()
        return self._models

    def bind(self, tools: Sequence[Any] = ()) -> BoundLink:
        """Return this link with ``tools`` bound to every keyed model."""
        models = self.models if self.configured else []
        runnables = [m.bind_tools(list(tools)) if tools else m for m in models]
        return BoundLink(self, runnables, ToolSchemas(tools))


@dataclass
class BoundLink:
    """A link whose models have the agent's tools bound."""

    link: ProviderLink
    runnables: list[Runnable]
    schemas: ToolSchemas

    def attempts(self) -> Attempts:
        """Return a fresh attempt budget for one call."""
        return Attempts(self.link)


class Attempts:
    """The attempt budget of one call on one link; sync and async callers share this logic."""

    def __init__(self, link: ProviderLink) -> None:
        self.link = link
        self.count = 0
        self._started = 0.0

    def start(self) -> KeySlot:
        """Return the key for the next attempt, or raise ``Unavailable`` to skip the link now."""
        link = self.link
        if not link.configured:
            raise self._skip(Unavailable("no API key configured", provider=link.name, kind="no_key"))
        slot = link.keys.acquire()
        if slot is None:
            raise self._skip(Unavailable("every API key is cooling down", provider=link.name, kind="no_key"))
        if not link.breaker.allow():
            raise self._skip(Unavailable("circuit breaker open", provider=link.name, kind="breaker_open"))
        self.count += 1
        link.usage.attempt(link.name, link.model)
        self._started = time.perf_counter()
        return slot

    def _skip(self, error: Unavailable) -> Unavailable:
        self.link.usage.failure(self.link.name, self.link.model, error.kind)
        return error

    def failed(self, slot: KeySlot, exc: BaseException) -> float:
        """Account for a failed attempt; return the wait before the next one, or raise to stop.

        Raises:
            BadRequest: our request is wrong (not retried, not hidden).
            ProviderError: the budget is spent, or the wait asked for is longer than ``max_wait``.
            BaseException: ``exc`` itself when it is not a recognised provider failure.

        """
        link, policy = self.link, self.link.policy
        error = classify(exc, provider=link.name) if isinstance(exc, Exception) else None
        if error is None:
            link.breaker.release()
            raise exc
        if error is not exc:
            error.__cause__ = exc
        link.usage.failure(link.name, link.model, error.kind)
        link.last_error = str(error)
        if isinstance(error, BadRequest):
            link.breaker.record_success()  # the provider answered; the fault is ours
            raise error
        if isinstance(error, Unavailable):  # e.g. no AWS credentials: asking again cannot help
            link.breaker.release()
            raise error
        if error.kind in KEY_KINDS:
            link.breaker.release()
            if error.kind == "rate_limited":
                cool = error.retry_after if error.retry_after is not None else policy.backoff(self.count - 1)
            else:
                cool = policy.key_cooldown
            link.keys.cool(slot.index, cool)
        else:
            link.breaker.record_failure()
        if self.count > policy.max_retries or error.kind == "not_found":
            raise error
        wait = link.keys.ready_in() if error.kind in KEY_KINDS else policy.backoff(self.count - 1, error.retry_after)
        if wait > policy.max_wait:
            raise error
        return wait

    def failed_after_commit(self, exc: BaseException) -> BaseException:
        """Account for a stream that broke after its first token (no fallback possible now)."""
        link = self.link
        error = classify(exc, provider=link.name) if isinstance(exc, Exception) else None
        if error is None:
            link.breaker.release()
            return exc
        link.usage.failure(link.name, link.model, error.kind)
        link.last_error = str(error)
        link.breaker.record_failure()
        if error is not exc:
            error.__cause__ = exc
        return error

    def succeeded(self, message: AIMessage) -> None:
        """Account for a good answer: close the breaker, count tokens, cost and latency."""
        link = self.link
        link.breaker.record_success()
        if message.response_metadata.get(HIT_MARK) == "hit":
            link.usage.cache_hit(link.name, link.model)
        else:
            link.usage.success(link.name, link.model, message, time.perf_counter() - self._started)

    def release(self) -> None:
        """Give back a half-open probe when the caller went away (cancelled, interrupted)."""
        self.link.breaker.release()


def fell_through(link: ProviderLink, error: ProviderError) -> None:
    """Account for a call leaving ``link`` for the next one."""
    link.usage.fallback(link.name, link.model)
