"""``ModelChain``: the ordered provider links, handed to agents as one tool-bound runnable each."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import AIMessage
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool

from llm.cache import RedisResponseCache
from llm.fallback import FallbackChain
from llm.link import ProviderLink
from llm.reports import CacheStats, ProviderHealth, ProviderInfo, UsageReport
from llm.usage import UsageRecorder


class ModelChain:
    """The configured fallback chain, plus the provider API the server exposes (providers, health, usage).

    Build it with ``llm.config.load_models``; agents only call ``for_agent``.
    """

    def __init__(self, links: Sequence[ProviderLink], usage: UsageRecorder,
                 cache: RedisResponseCache | None = None) -> None:
        if not links:
            raise ValueError("a model chain needs at least one link (the offline model)")
        self.links = list(links)
        self.recorder = usage
        self.cache = cache

    @property
    def names(self) -> list[str]:
        """Return the link names in fallback order."""
        return [link.name for link in self.links]

    def for_agent(self, agent: str,
                  tools: Sequence[BaseTool | dict[str, Any]] = ()) -> Runnable[LanguageModelInput, AIMessage]:
        """Return the chain for one agent, with ``tools`` bound to every link before chaining.

        Args:
            agent: The agent's name (recorded as the run name).
            tools: Tools to bind on every provider's model; tool calls in answers are checked
                against their schemas, and invalid ones fall through to the next link.

        """
        return FallbackChain(agent, [link.bind(tools) for link in self.links])

    def _link(self, name: str) -> ProviderLink:
        for link in self.links:
            if link.name == name:
                return link
        raise KeyError(f"no provider named {name!r}; configured: {self.names}")

    def providers(self) -> list[ProviderInfo]:
        """Return every link as configured, in fallback order."""
        return [ProviderInfo(name=link.name, provider=link.kind, model=link.model, position=i,
                             configured=link.configured, keys=len(link.keys) if link.configured else 0,
                             base_url=link.base_url, breaker=link.breaker.state)
                for i, link in enumerate(self.links)]

    def health(self, name: str) -> ProviderHealth:
        """Return the live health of one link.

        Raises:
            KeyError: no link has that name.

        """
        link = self._link(name)
        breaker = link.breaker.state
        cooling = link.keys.cooling()
        if not link.configured:
            status = "unconfigured"
        elif breaker == "open" or len(cooling) == len(link.keys):
            status = "down"
        elif breaker == "half_open" or cooling or link.breaker.consecutive_failures:
            status = "degraded"
        else:
            status = "up"
        return ProviderHealth(name=link.name, status=status, breaker=breaker,
                              consecutive_failures=link.breaker.consecutive_failures,
                              keys_total=len(link.keys) if link.configured else 0,
                              keys_cooling=cooling, last_error=link.last_error)

    def usage(self) -> UsageReport:
        """Return usage and cost per provider and model, with totals and cache counters."""
        states = {link.name: link.breaker.state for link in self.links}
        rows = [row.model_copy(update={"breaker": states.get(row.provider)}) for row in self.recorder.rows()]
        cache = None
        if self.cache is not None:
            hits, misses = self.cache.stats()
            cache = CacheStats(hits=hits, misses=misses)
        return UsageReport(
            store=self.recorder.store.kind, models=rows,
            requests=sum(r.requests for r in rows),
            input_tokens=sum(r.input_tokens for r in rows),
            output_tokens=sum(r.output_tokens for r in rows),
            cost_usd=sum((r.cost_usd for r in rows), Decimal(0)),
            cache=cache,
        )
