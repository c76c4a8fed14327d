"""The fallback runnable: try each bound link in order, annotate the answer with who gave it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.runnables import Runnable, RunnableConfig, ensure_config

from llm.calls import ainvoke_link, astream_link, invoke_link, stream_link
from llm.errors import BadRequest, ProviderError
from llm.link import BoundLink, ProviderLink, fell_through


def annotate(message: BaseMessage, link: ProviderLink, fallbacks: list[str], *, first: bool = True) -> Any:
    """Return ``message`` stamped with ``model_provider``, ``model_name`` and ``fxdesk_fallbacks``.

    Only the first chunk of a stream carries ``model_name`` and ``fxdesk_fallbacks``: chunk
    addition concatenates strings and lists, so a value repeated on every chunk would be mangled.
    """
    meta = dict(message.response_metadata)
    meta.pop("model_name", None)
    if first:
        meta["model_name"] = message.response_metadata.get("model_name") or link.model
        meta["fxdesk_fallbacks"] = list(fallbacks)
        meta["model_provider"] = link.kind
    elif "model_provider" in meta:
        meta["model_provider"] = link.kind
    return message.model_copy(update={"response_metadata": meta})


class FallbackChain(Runnable[LanguageModelInput, AIMessage]):
    """Ordered provider links for one agent; the last link is the offline model.

    Unlike ``RunnableWithFallbacks`` each link retries with backoff, rotates keys and honours
    its breaker before the next is tried, and a ``BadRequest`` is raised, never hidden.
    """

    def __init__(self, agent: str, links: list[BoundLink]) -> None:
        self.agent = agent
        self.links = links
        self.name = f"fxdesk-models:{agent}"

    def _fell(self, bound: BoundLink, error: ProviderError, skipped: list[str]) -> None:
        fell_through(bound.link, error)
        skipped.append(bound.link.name)

    def _invoke(self, input: LanguageModelInput, config: RunnableConfig, **kwargs: Any) -> AIMessage:
        skipped: list[str] = []
        last: ProviderError | None = None
        for bound in self.links:
            try:
                message = invoke_link(bound, input, config, **kwargs)
            except BadRequest:
                raise
            except ProviderError as error:
                self._fell(bound, error, skipped)
                last = error
                continue
            return annotate(message, bound.link, skipped)
        assert last is not None
        raise last

    async def _ainvoke(self, input: LanguageModelInput, config: RunnableConfig, **kwargs: Any) -> AIMessage:
        skipped: list[str] = []
        last: ProviderError | None = None
        for bound in self.links:
            try:
                message = await ainvoke_link(bound, input, config, **kwargs)
            except BadRequest:
                raise
            except ProviderError as error:
                self._fell(bound, error, skipped)
                last = error
                continue
            return annotate(message, bound.link, skipped)
        assert last is not None
        raise last

    def invoke(self, input: LanguageModelInput, config: RunnableConfig | None = None, **kwargs: Any) -> AIMessage:
        """Return the first answer a link gives, falling through on provider failures."""
        return self._call_with_config(lambda x, config: self._invoke(x, config, **kwargs),
                                      input, ensure_config(config), run_type="chain")

    async def ainvoke(self, input: LanguageModelInput, config: RunnableConfig | None = None,
                      **kwargs: Any) -> AIMessage:
        """Async ``invoke``."""
        return await self._acall_with_config(lambda x, config: self._ainvoke(x, config, **kwargs),
                                             input, ensure_config(config), run_type="chain")

    def stream(self, input: LanguageModelInput, config: RunnableConfig | None = None,
               **kwargs: Any) -> Iterator[AIMessageChunk]:
        """Yield chunks from the first link that produces a first token (falls back before it)."""
        config = ensure_config(config)
        skipped: list[str] = []
        last: ProviderError | None = None
        for bound in self.links:
            chunks = stream_link(bound, input, config, **kwargs)
            try:
                first = next(chunks)
            except StopIteration:
                return
            except BadRequest:
                raise
            except ProviderError as error:
                self._fell(bound, error, skipped)
                last = error
                continue
            yield annotate(first, bound.link, skipped)
            for chunk in chunks:
                yield annotate(chunk, bound.link, skipped, first=False)
            return
        assert last is not None
        raise last

    async def astream(self, input: LanguageModelInput, config: RunnableConfig | None = None,
                      **kwargs: Any) -> AsyncIterator[AIMessageChunk]:
        """Async ``stream``."""
        config = ensure_config(config)
        skipped: list[str] = []
        last: ProviderError | None = None
        for bound in self.links:
            chunks = astream_link(bound, input, config, **kwargs)
            try:
                first = await anext(chunks)
            except StopAsyncIteration:
                return
            except BadRequest:
                raise
            except ProviderError as error:
                self._fell(bound, error, skipped)
                last = error
                continue
            yield annotate(first, bound.link, skipped)
            async for chunk in chunks:
                yield annotate(chunk, bound.link, skipped, first=False)
            return
        assert last is not None
        raise last
