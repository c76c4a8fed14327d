from __future__ import annotations

from pathlib import Path

import pytest

from prompts import PromptError, PromptRegistry, parse_pins

AGENTS = {"supervisor", "compose", "position_risk", "trade_journal", "psychology", "compliance"}


def _write(root: Path, agent: str, version: str, variables: str, body: str) -> None:
    (root / agent).mkdir(parents=True, exist_ok=True)
    (root / agent / f"{version}.md").write_text(
        f"---\nid: {agent}\nversion: {version}\nvariables: {variables}\n---\n{body}\n", encoding="utf-8")


def test_shipped_prompts_load_and_cover_every_agent():
    registry = PromptRegistry.load()
    assert set(registry.agents) == AGENTS


def test_latest_version_is_used_unless_pinned(tmp_path):
    _write(tmp_path, "desk", "v1", "[user_id]", "one {user_id}")
    _write(tmp_path, "desk", "v2", "[user_id]", "two {user_id}")
    _write(tmp_path, "desk", "v10", "[user_id]", "ten {user_id}")
    assert PromptRegistry.load(tmp_path).render("desk", user_id="u").text == "ten u"
    pinned = PromptRegistry.load(tmp_path, pins="desk=v2").render("desk", user_id="u")
    assert (pinned.text, pinned.ref) == ("two u", "desk@v2")


def test_role_overlay_is_appended(tmp_path):
    _write(tmp_path, "desk", "v1", "[user_id]", "hello {user_id}")
    (tmp_path / "overlays").mkdir()
    (tmp_path / "overlays" / "trader.md").write_text("be brief, {user_id}")
    registry = PromptRegistry.load(tmp_path)
    assert registry.render("desk", role="trader", user_id="u").text == "hello u\n\nbe brief, u"
    assert registry.render("desk", role="analyst", user_id="u").text == "hello u"


@pytest.mark.parametrize("variables, body, problem", [
    ("[user_id]", "hi {user_id} {books}", "undeclared variables books"),
    ("[user_id, books]", "hi {user_id}", "never used in the body: books"),
    ("[user_id]", "hi {user_id", "not a valid template"),
])
def test_invalid_prompt_files_fail_at_load(tmp_path, variables, body, problem):
    _write(tmp_path, "desk", "v1", variables, body)
    with pytest.raises(PromptError, match=problem):
        PromptRegistry.load(tmp_path)


def test_header_must_match_folder_and_file(tmp_path):
    (tmp_path / "desk").mkdir()
    (tmp_path / "desk" / "v1.md").write_text("---\nid: other\nversion: v1\nvariables: []\n---\nx\n")
    with pytest.raises(PromptError, match="does not match its folder"):
        PromptRegistry.load(tmp_path)
    (tmp_path / "desk" / "v1.md").write_text("no header")
    with pytest.raises(PromptError, match="front-matter"):
        PromptRegistry.load(tmp_path)


def test_unknown_pins_and_agents_and_missing_variables_are_clear_errors(tmp_path):
    _write(tmp_path, "desk", "v1", "[user_id]", "hi {user_id}")
    with pytest.raises(PromptError, match="desk=v9 does not exist"):
        PromptRegistry.load(tmp_path, pins="desk=v9")
    with pytest.raises(PromptError, match="unknown agent 'nope'"):
        PromptRegistry.load(tmp_path, pins="nope=v1")
    registry = PromptRegistry.load(tmp_path)
    with pytest.raises(PromptError, match="unknown agent 'ghost'"):
        registry.render("ghost")
    with pytest.raises(PromptError, match="needs variables user_id"):
        registry.render("desk")


def test_parse_pins_rejects_malformed_items():
    assert parse_pins(" supervisor=v1, compliance = v2 ,") == {"supervisor": "v1", "compliance": "v2"}
    with pytest.raises(PromptError, match="malformed"):
        parse_pins("supervisor")
