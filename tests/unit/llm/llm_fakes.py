"""Scripted chat models and SDK-shaped errors for the unit tests (no sockets)."""

from __future__ import annotations

from typing import Any

import httpx
import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field

from llm.breaker import CircuitBreaker
from llm.chain import ModelChain
from llm.keys import KeyRing
from llm.link import ProviderLink
from llm.prices import PriceTable
from llm.retry import RetryPolicy
from llm.usage import MemoryUsageStore, UsageRecorder


class Partial:
    """A stream that yields ``words`` and then raises ``error``."""

    def __init__(self, words: list[str], error: Exception) -> None:
        self.words, self.error = words, error


class ScriptedModel(BaseChatModel):
    """Answers from a script, one item per call (the last item repeats): an AIMessage, an exception, a Partial."""

    script: list[Any] = Field(default_factory=list)
    calls: int = 0
    bound: list[Any] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _next(self) -> Any:
        item = self.script[min(self.calls, len(self.script) - 1)]
        self.calls += 1
        return item

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        item = self._next()
        if isinstance(item, Partial):
            raise item.error
        if isinstance(item, BaseException):
            raise item
        return ChatResult(generations=[ChatGeneration(message=item)])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs):
        item = self._next()
        if isinstance(item, BaseException):
            raise item
        if isinstance(item, Partial):
            for word in item.words:
                yield ChatGenerationChunk(message=AIMessageChunk(content=word))
            raise item.error
        if item.tool_calls:
            yield ChatGenerationChunk(message=AIMessageChunk(content="", tool_call_chunks=[
                {"name": c["name"], "args": __import__("json").dumps(c["args"]), "id": c["id"], "index": i}
                for i, c in enumerate(item.tool_calls)]))
            return
        for word in str(item.content).split(" "):
            yield ChatGenerationChunk(message=AIMessageChunk(content=word + " "))
        yield ChatGenerationChunk(message=AIMessageChunk(content="", usage_metadata=item.usage_metadata))

    def bind_tools(self, tools, **kwargs):
        self.bound = list(tools)
        return self


def answer(text: str = "fine", input_tokens: int = 10, output_tokens: int = 5) -> AIMessage:
    return AIMessage(content=text, usage_metadata={"input_tokens": input_tokens, "output_tokens": output_tokens,
                                                   "total_tokens": input_tokens + output_tokens})


def status_error(status: int, retry_after: str | None = None) -> openai.APIStatusError:
    """An openai SDK error exactly as the SDK builds it from an HTTP response."""
    headers = {"retry-after": retry_after} if retry_after is not None else {}
    response = httpx.Response(status, headers=headers, request=httpx.Request("POST", "http://127.0.0.1/v1/chat"))
    cls = {400: openai.BadRequestError, 401: openai.AuthenticationError, 429: openai.RateLimitError,
           500: openai.InternalServerError}.get(status, openai.APIStatusError)
    return cls(f"status {status}", response=response, body=None)


def timeout_error() -> openai.APITimeoutError:
    return openai.APITimeoutError(request=httpx.Request("POST", "http://127.0.0.1/v1/chat"))


def make_link(name: str, model: BaseChatModel, recorder: UsageRecorder, *, retries: int = 0, threshold: int = 3,
              cooldown: float = 30.0, keys: list[str] | None = None, clock=None, models=None) -> ProviderLink:
    kwargs = {"clock": clock} if clock else {}
    return ProviderLink(name=name, kind=name, model=f"{name}-model",
                        build_models=lambda: models or [model] * len(keys or [None]),
                        keys=KeyRing(keys, **kwargs), breaker=CircuitBreaker(threshold, cooldown, **kwargs),
                        policy=RetryPolicy(max_retries=retries, base=0.0, cap=0.0, max_wait=1.0), usage=recorder)


def make_chain(*pairs: tuple[str, BaseChatModel], **link_kwargs) -> ModelChain:
    recorder = UsageRecorder(MemoryUsageStore(), PriceTable())
    return ModelChain([make_link(name, model, recorder, **link_kwargs) for name, model in pairs], recorder)
