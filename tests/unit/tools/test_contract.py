"""The desk contract (issue 17): every tool has phrasings and a template, and everything is built from it."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from pydantic import BaseModel

from graph.handoff import DESK_DESCRIPTIONS, build_handoff_tools
from tests.unit.llm.offline import samples
from tools.catalog import TOOL_ARGS, TOOL_RESULTS
from tools.contract import REGISTRY, ContractError, ToolSpec, check, offline_tables, validate
from tools.contract.web import WEB_CONTRACT, web_contract_text
from tools.desks import DESKS


class _FakeArgs(BaseModel):
    pair: str | None = None


def _with(tool: ToolSpec, root=None):
    registry = replace(REGISTRY, tools=(*REGISTRY.tools, tool))
    return replace(registry, root=root) if root is not None else registry


def test_the_desks_contract_is_complete():
    assert check() == []
    assert validate() is REGISTRY


def test_check_fails_when_a_tool_has_no_phrasings():
    """Issue 17: adding a tool without its phrasing file fails the contract check."""
    fake = ToolSpec("get_fake_thing", "position_risk", _FakeArgs, BaseModel, "A tool added without phrasings.")
    problems = check(_with(fake))
    assert any(p.startswith("get_fake_thing: 0 phrasings (needs 20)") for p in problems)
    with pytest.raises(ContractError, match="get_fake_thing"):
        validate(_with(fake))


def test_check_fails_when_a_tool_has_phrasings_but_no_template(tmp_path):
    """Issue 17: a tool with enough phrasings but no answer template still fails the check."""
    for spec in REGISTRY.tools:
        target = tmp_path / spec.desk / "phrasings"
        target.mkdir(parents=True, exist_ok=True)
        (target / f"{spec.name}.txt").write_text("\n".join(REGISTRY.phrasings(spec.desk, spec.name)))
    for intent in REGISTRY.intents:
        desk = REGISTRY.tool(intent.tools[0]).desk
        (tmp_path / desk / "phrasings" / f"{intent.name}.txt").write_text(
            "\n".join(REGISTRY.phrasings(desk, intent.name)))
    fake = ToolSpec("get_fake_thing", "position_risk", _FakeArgs, BaseModel, "A tool added without a template.")
    (tmp_path / "position_risk" / "phrasings" / "get_fake_thing.txt").write_text(
        "# comment lines and blanks do not count\n\n" + "\n".join(f"fake thing number {i}" for i in range(20)))
    assert check(_with(fake, tmp_path)) == [
        "get_fake_thing: no answer template in tools/position_risk/answers.py TEMPLATES"]


def test_check_fails_on_too_few_phrasings_and_on_an_unknown_desk(tmp_path):
    (tmp_path / "position_risk" / "phrasings").mkdir(parents=True)
    (tmp_path / "position_risk" / "phrasings" / "get_pnl.txt").write_text("pnl today\nP&L yesterday\n")
    problems = check(replace(REGISTRY, root=tmp_path))
    assert any(p.startswith("get_pnl: 2 phrasings (needs 20) in ") and p.endswith("position_risk/phrasings/get_pnl.txt")
               for p in problems)
    stray = ToolSpec("get_stray", "treasury", _FakeArgs, BaseModel, "On no desk.")
    assert "get_stray: unknown desk 'treasury'" in check(_with(stray))


def test_desks_catalogue_and_handoffs_are_built_from_the_contract():
    assert DESKS == REGISTRY.desk_names()
    assert TOOL_ARGS == {t.name: (t.desk, t.args) for t in REGISTRY.tools}
    assert set(DESK_DESCRIPTIONS) == set(DESKS)
    assert [t.name for t in build_handoff_tools()] == [f"transfer_to_{d}" for d in DESKS]
    for tool in build_handoff_tools():
        desk = tool.name.removeprefix("transfer_to_")
        assert DESK_DESCRIPTIONS[desk] in tool.description


@pytest.mark.parametrize("name", sorted(samples.BY_TOOL))
def test_every_result_model_accepts_the_tool_result_shape(name):
    TOOL_RESULTS[name].model_validate(samples.BY_TOOL[name])


def test_offline_tables_carry_every_tool_intent_and_template():
    tables = offline_tables()
    assert tables is offline_tables()  # built (and so trained) once per process
    tool_intents = {i.name for i in tables.intents if i.tools == (i.name,)}
    assert tool_intents == set(TOOL_ARGS)
    assert set(tables.templates) == set(TOOL_ARGS)
    summary = next(i for i in tables.intents if i.name == "book_summary")
    assert summary.tools == ("get_net_open_position", "get_pnl", "get_limit_utilisation")
    assert next(i for i in tables.intents if i.name == "trade_limit_check").desks == ("position_risk", "compliance")


def test_the_web_desk_contract_file_matches_the_registry():
    assert WEB_CONTRACT.read_text() == web_contract_text(), "run: uv run python -m tools.contract.web"
    assert [d["name"] for d in json.loads(WEB_CONTRACT.read_text())["desks"]] == list(DESKS)
