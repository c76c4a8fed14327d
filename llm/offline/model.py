"""`OfflineChatModel`: a deterministic chat model with no network and no weights.

It infers its mode from the tools bound to it: only ``transfer_to_<desk>`` tools → routing (the
supervisor); desk tools → specialist; none → compose (join the desks' answers). Every reply
states its provenance in ``response_metadata`` (``model_provider: "offline"``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.tool import tool_call_chunk
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ConfigDict, Field

from llm.offline.answers import answer_from_results, compose_answers, parse_result
from llm.offline.followups import TRANSFER_PREFIX, latest_human_index
from llm.offline.reply import Reply, message_text
from llm.offline.routing import route
from llm.offline.specialist import specialise
from llm.offline.tables import OfflineTables, small_talk_intents, tables_from_tools

__all__ = ["OfflineChatModel", "respond"]

PROVIDER = "offline"


class OfflineChatModel(BaseChatModel):
    """Deterministic desk model: routes, calls tools with schema-valid arguments, answers from results."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_name: str = "fxdesk-offline"
    tables: OfflineTables | None = Field(default=None, exclude=True)
    """What the model learns from (``tools.contract.offline_tables()``); None: the bound tools' descriptions."""

    @property
    def _llm_type(self) -> str:
        return "fxdesk-offline"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name}

    def bind_tools(
        self,
        tools: Sequence[Mapping[str, Any] | type | Any],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Bind tools (any form `convert_to_openai_tool` accepts); they reach `_generate` as ``tools``.

        Args:
            tools: BaseTools, pydantic models, functions or OpenAI tool dicts.
            tool_choice: ``None``/``"auto"``/``"any"``/``"required"`` let the model pick; a tool name (or
                ``{"type": "function", "function": {"name": ...}}``) restricts it to that tool; ``"none"``
                makes it answer without calling tools.
            **kwargs: Further bound call arguments.

        """
        if tool_choice is not None:
            kwargs["tool_choice"] = tool_choice
        return self.bind(tools=[convert_to_openai_tool(tool) for tool in tools], **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        message = self._reply_message(messages, _chosen(kwargs.get("tools") or (), kwargs.get("tool_choice")))
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        message = self._reply_message(messages, _chosen(kwargs.get("tools") or (), kwargs.get("tool_choice")))
        for chunk in _chunks(message):
            generation = ChatGenerationChunk(message=chunk)
            if run_manager is not None:
                run_manager.on_llm_new_token(chunk.text, chunk=generation)
            yield generation

    def _reply_message(self, messages: Sequence[BaseMessage], tools: Sequence[Mapping[str, Any]]) -> AIMessage:
        reply = respond(messages, tools, self.tables)
        words_in = sum(len(message_text(m).split()) for m in messages)
        words_out = len(reply.content.split()) + sum(len(json.dumps(c["args"]).split()) for c in reply.tool_calls)
        return AIMessage(
            content=reply.content,
            tool_calls=reply.tool_calls,
            response_metadata={"model_provider": PROVIDER, "model_name": self.model_name,
                               "fxdesk_fallbacks": [], "fxdesk_offline_mode": reply.mode,
                               **({"fxdesk_offline_why": reply.why} if reply.why else {})},
            usage_metadata={"input_tokens": words_in, "output_tokens": words_out,
                            "total_tokens": words_in + words_out},
        )


def respond(messages: Sequence[BaseMessage], tools: Sequence[Mapping[str, Any]],
            tables: OfflineTables | None = None) -> Reply:
    """Return the offline model's reply to ``messages`` with ``tools`` (OpenAI format) bound.

    Args:
        messages: The conversation, system messages included (they are ignored).
        tools: The bound tools.
        tables: What the model learnt from; None: minimal tables from the bound tools' descriptions.

    """
    tables = tables or _minimal_tables(tools)
    names = [str(t.get("function", t).get("name", "")) for t in tools]
    if not names:
        return _compose(messages, tables)
    if all(name.startswith(TRANSFER_PREFIX) for name in names):
        return route(messages, tools, tables)
    desk_tools = [t for t, name in zip(tools, names, strict=True) if not name.startswith(TRANSFER_PREFIX)]
    return specialise(messages, desk_tools, tables)


def _minimal_tables(tools: Sequence[Mapping[str, Any]]) -> OfflineTables:
    key = tuple((str(t.get("function", t).get("name", "")), str(t.get("function", t).get("description", "")))
                for t in tools)
    return _tables_for(key)


@lru_cache(maxsize=32)
def _tables_for(key: tuple[tuple[str, str], ...]) -> OfflineTables:
    minimal = tables_from_tools([{"name": name, "description": description} for name, description in key])
    return OfflineTables(minimal.desks, (*minimal.intents, *small_talk_intents()))


def _chosen(tools: Sequence[Mapping[str, Any]], tool_choice: Any) -> Sequence[Mapping[str, Any]]:
    """Return the tools the model may call under ``tool_choice`` (OpenAI semantics)."""
    if isinstance(tool_choice, Mapping):
        tool_choice = (tool_choice.get("function") or {}).get("name") or tool_choice.get("name")
    if tool_choice in (None, "auto", "any", "required", True):
        return tools
    if tool_choice == "none":
        return ()
    named = [t for t in tools if t.get("function", t).get("name") == tool_choice]
    return named or tools


def _compose(messages: Sequence[BaseMessage], tables: OfflineTables) -> Reply:
    index = latest_human_index(messages)
    turn = messages[index + 1:] if index >= 0 else messages
    parts = [(m.name, message_text(m)) for m in turn if isinstance(m, AIMessage) and not m.tool_calls]
    if any(text.strip() for _, text in parts):
        return Reply(compose_answers(parts), "compose")
    results = [(m.name or "tool", parse_result(m.content)) for m in turn if m.type == "tool"]
    if results:
        return Reply(answer_from_results(results, tables.templates), "compose")
    # Nothing to compose: a supervisor whose role grants no desk binds no tools at all.
    reply = route(messages, [], tables)
    return Reply(reply.content, "compose")


def _chunks(message: AIMessage) -> Iterator[AIMessageChunk]:
    """Split a reply into word chunks, then one chunk per tool call, the last marked as last."""
    pieces: list[AIMessageChunk] = []
    words = message.content.split(" ") if isinstance(message.content, str) and message.content else []
    for i, word in enumerate(words):
        pieces.append(AIMessageChunk(content=word if i == 0 else " " + word, id=message.id))
    for index, call in enumerate(message.tool_calls):
        pieces.append(AIMessageChunk(content="", id=message.id, tool_call_chunks=[
            tool_call_chunk(name=call["name"], args=json.dumps(call["args"]), id=call["id"], index=index)]))
    pieces.append(AIMessageChunk(content="", id=message.id, response_metadata=message.response_metadata,
                                 usage_metadata=message.usage_metadata, chunk_position="last"))
    yield from pieces
