from decimal import Decimal

import pytest
from pydantic import ValidationError

from llm.config import load_models
from llm.settings import parse_models, read_settings


def test_parse_models_splits_at_the_first_colon_only():
    specs = parse_models("groq:llama-3.3-70b-versatile, bedrock:anthropic.claude-3-5-sonnet-20240620-v1:0,offline")
    assert [(s.provider, s.model) for s in specs] == [
        ("groq", "llama-3.3-70b-versatile"), ("bedrock", "anthropic.claude-3-5-sonnet-20240620-v1:0"),
        ("offline", "fxdesk-offline")]


def test_parse_models_fills_default_models():
    assert [s.model for s in parse_models("openai,groq")] == ["gpt-4o-mini", "llama-3.3-70b-versatile"]


def test_unknown_provider_is_rejected():
    with pytest.raises(ValidationError):
        parse_models("mistral:large")


def test_nothing_configured_gives_an_offline_only_chain():
    chain = load_models({})
    assert chain.names == ["offline"]
    assert [p.provider for p in chain.providers()] == ["offline"]


def test_offline_is_appended_last_and_moved_last():
    chain = load_models({"FXDESK_MODELS": "offline,openai:gpt-4o-mini,groq", "OPENAI_API_KEY": "sk-a",
                         "GROQ_API_KEY": "gk"})
    assert chain.names == ["openai", "groq", "offline"]


def test_provider_without_key_is_listed_unconfigured():
    chain = load_models({"FXDESK_MODELS": "groq,openai"})
    info = {p.name: p for p in chain.providers()}
    assert not info["groq"].configured and not info["openai"].configured
    assert chain.health("groq").status == "unconfigured"


def test_openai_compatible_local_server_needs_no_key():
    chain = load_models({"FXDESK_MODELS": "openai:llama3.1", "OPENAI_BASE_URL": "http://127.0.0.1:11434/v1"})
    info = chain.providers()[0]
    assert info.configured and info.base_url == "http://127.0.0.1:11434/v1" and info.keys == 1


def test_yaml_file_with_named_entries_prices_and_breaker(tmp_path):
    path = tmp_path / "models.yaml"
    path.write_text(
        "models:\n"
        "  - {provider: openai, model: Qwen2.5-7B, name: vllm, base_url: 'http://127.0.0.1:8000/v1', timeout: 5}\n"
        "  - {provider: openai, model: gpt-4o-mini, max_retries: 1}\n"
        "  - {provider: bedrock, model: amazon.titan-text-express-v1, region: eu-west-1}\n"
        "prices:\n  Qwen2.5-7B: {input: 0.01, output: 0.02}\n"
        "breaker: {failure_threshold: 5, cooldown: 12}\n")
    settings = read_settings({"FXDESK_MODELS_FILE": str(path), "FXDESK_LLM_TIMEOUT": "7"})
    assert settings.timeout == 7 and settings.breaker_threshold == 5 and settings.breaker_cooldown == 12
    assert settings.prices["Qwen2.5-7B"].output == Decimal("0.02")
    assert settings.models[0].name == "vllm" and settings.models[2].region == "eu-west-1"
    chain = load_models({"FXDESK_MODELS_FILE": str(path), "OPENAI_API_KEY": "sk"})
    assert chain.names == ["vllm", "openai", "bedrock", "offline"]


def test_toml_file_and_env_list_overrides_file_models(tmp_path):
    path = tmp_path / "models.toml"
    path.write_text('max_retries = 4\n[[models]]\nprovider = "groq"\n')
    settings = read_settings({"FXDESK_MODELS_FILE": str(path), "FXDESK_MODELS": "openai"})
    assert settings.max_retries == 4 and [m.provider for m in settings.models] == ["openai"]


def test_cache_switch_and_redis_url_from_env():
    settings = read_settings({"FXDESK_REDIS_URL": "redis://127.0.0.1:6379/0", "FXDESK_LLM_CACHE": "off"})
    assert settings.redis_url == "redis://127.0.0.1:6379/0" and settings.cache is False


def test_llm_keys_follow_the_app_key_prefix_unless_set_on_their_own():
    """Usage and cache keys must stay under FXDESK_KEY_PREFIX, so one prefix isolates a deployment or a test."""
    assert read_settings({}).redis_prefix == "fxdesk:llm:"
    assert read_settings({"FXDESK_KEY_PREFIX": "desk-a:"}).redis_prefix == "desk-a:llm:"
    assert read_settings({"FXDESK_KEY_PREFIX": "desk-a:", "FXDESK_LLM_PREFIX": "own:"}).redis_prefix == "own:"
