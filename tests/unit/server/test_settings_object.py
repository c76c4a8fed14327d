from __future__ import annotations

import pydantic
import pytest

from prompts import PromptError
from server.settings import Settings


def test_settings_read_env_once_and_are_frozen(monkeypatch):
    monkeypatch.setenv("FXDESK_MAX_HOPS", "3")
    monkeypatch.setenv("FXDESK_HISTORY_TOKENS", "1500")
    monkeypatch.setenv("FXDESK_PROMPT_VERSIONS", "supervisor=v1, compliance=v2")
    settings = Settings()
    assert (settings.max_hops, settings.history_tokens) == (3, 1500)
    assert settings.prompt_pins == {"supervisor": "v1", "compliance": "v2"}
    with pytest.raises(pydantic.ValidationError):
        settings.max_hops = 9


@pytest.mark.parametrize("variable", ["FXDESK_REDIS_URL", "REDIS_URL"])
def test_redis_url_comes_from_either_variable(monkeypatch, variable):
    monkeypatch.delenv("FXDESK_REDIS_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv(variable, "redis://127.0.0.1:6379/3")
    assert Settings().redis_url == "redis://127.0.0.1:6379/3"


def test_defaults_without_environment(monkeypatch):
    for name in ("FXDESK_REDIS_URL", "REDIS_URL", "FXDESK_MAX_HOPS", "FXDESK_PROMPT_VERSIONS"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.redis_url is None and settings.max_hops == 6 and settings.prompt_pins == {}


def test_malformed_prompt_pins_are_a_clear_error(monkeypatch):
    monkeypatch.setenv("FXDESK_PROMPT_VERSIONS", "supervisor")
    with pytest.raises(PromptError, match="malformed prompt pin"):
        _ = Settings().prompt_pins
