"""The position-risk tools match the catalogue and keep the injected runtime out of the model's schema."""

from __future__ import annotations

from sqlalchemy import create_engine

from data.database import Database
from tools.catalog import TOOL_ARGS, tools_of
from tools.position_risk.tools import build_tools
from tools.scope import ScopeGate


def _tools():
    return build_tools(ScopeGate(Database(create_engine("sqlite://"))))


def test_build_tools_returns_exactly_the_catalogued_position_risk_tools():
    assert [t.name for t in _tools()] == tools_of("position_risk")


def test_runtime_is_injected_but_absent_from_the_model_facing_schema():
    for t in _tools():
        schema = t.tool_call_schema.model_json_schema()
        assert "runtime" not in schema.get("properties", {}), t.name
        assert set(schema.get("properties", {})) == set(TOOL_ARGS[t.name][1].model_fields), t.name


def test_tools_use_the_catalogue_argument_models_and_have_prompt_docstrings():
    for t in _tools():
        assert t.args_schema is TOOL_ARGS[t.name][1]
        assert len(t.description) > 60
