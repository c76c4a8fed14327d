"""Fixtures: provider protocol servers on 127.0.0.1, fake AWS credentials, a stand-in offline model."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from llm.chain import ModelChain
from llm.config import build_chain
from llm.settings import ChainSettings, ModelSpec
from tests.protocol_servers import BedrockServer, GroqServer, OpenAIServer

OFFLINE_TEXT = "offline: the desk answers without a provider"


class OfflineStandIn(BaseChatModel):
    """Stands in for llm.offline.OfflineChatModel: deterministic, no network."""

    @property
    def _llm_type(self) -> str:
        return "fxdesk-offline"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=OFFLINE_TEXT))])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs):
        for word in OFFLINE_TEXT.split(" "):
            yield ChatGenerationChunk(message=AIMessageChunk(content=word + " "))

    def bind_tools(self, tools, **kwargs):
        return self


@pytest.fixture
def openai_server() -> Iterator[OpenAIServer]:
    with OpenAIServer(model="gpt-4o-mini") as server:
        yield server


@pytest.fixture
def groq_server() -> Iterator[GroqServer]:
    with GroqServer(model="llama-3.3-70b-versatile") as server:
        yield server


@pytest.fixture
def bedrock_server(monkeypatch) -> Iterator[BedrockServer]:
    # botocore signs with whatever it finds; make sure it never looks beyond these fake values.
    for name, value in {"AWS_ACCESS_KEY_ID": "AKIDFXDESKTEST", "AWS_SECRET_ACCESS_KEY": "fake-secret",
                        "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": "/nonexistent",
                        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    with BedrockServer() as server:
        yield server


def make_env(openai: OpenAIServer | None = None, groq: GroqServer | None = None,
             bedrock: BedrockServer | None = None, openai_keys: tuple[str, ...] = ("sk-one",),
             groq_keys: tuple[str, ...] = ("gsk-one",)) -> dict[str, str]:
    env: dict[str, str] = {"AWS_ACCESS_KEY_ID": "AKIDFXDESKTEST", "AWS_SECRET_ACCESS_KEY": "fake-secret"}
    if openai is not None:
        env["OPENAI_BASE_URL"] = openai.base_url
        env.update({("OPENAI_API_KEY" if n == 1 else f"OPENAI_API_KEY_{n}"): k for n, k in enumerate(openai_keys, 1)})
    if groq is not None:
        env["GROQ_BASE_URL"] = groq.base_url
        env.update({("GROQ_API_KEY" if n == 1 else f"GROQ_API_KEY_{n}"): k for n, k in enumerate(groq_keys, 1)})
    if bedrock is not None:
        env["BEDROCK_ENDPOINT_URL"] = bedrock.endpoint_url
    return env


def make_chain(providers: str, env: dict[str, str], redis_client: Any = None, **settings: Any) -> ModelChain:
    """Build a chain like FXDESK_MODELS=``providers`` with fast test settings (overridable)."""
    knobs = {"timeout": 2.0, "max_retries": 0, "backoff_base": 0.01, "backoff_cap": 0.05, **settings}
    specs = [ModelSpec(provider=p.partition(":")[0], model=p.partition(":")[2]) for p in providers.split(",")]
    return build_chain(ChainSettings(models=specs, **knobs), env, redis_client=redis_client,
                       offline=OfflineStandIn())
