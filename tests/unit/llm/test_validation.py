import pytest
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from pydantic import BaseModel

from llm.errors import Retryable
from llm.validation import ToolSchemas


class PositionArgs(BaseModel):
    book: str | None = None
    notional: float


@tool("what_if", args_schema=PositionArgs)
def what_if(book: str | None, notional: float) -> str:
    """What-if of a trade."""
    return "ok"


def call(name, args):
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": "c1"}])


def test_valid_tool_call_passes():
    ToolSchemas([what_if]).check(call("what_if", {"book": "FX-G10", "notional": 1e6}), provider="p")


@pytest.mark.parametrize("args", [{"book": "FX-G10"}, {"notional": "lots"}, {"notional": 1, "book": 7}])
def test_tool_call_invalid_for_the_pydantic_schema_is_malformed(args):
    with pytest.raises(Retryable) as info:
        ToolSchemas([what_if]).check(call("what_if", args), provider="p")
    assert info.value.kind == "malformed" and "what_if" in str(info.value)


def test_arguments_that_are_not_json_are_malformed():
    message = AIMessage(content="", invalid_tool_calls=[
        {"name": "what_if", "args": '{"notional": ', "id": "c1", "error": "bad json", "type": "invalid_tool_call"}])
    with pytest.raises(Retryable, match="not valid JSON"):
        ToolSchemas([what_if]).check(message, provider="p")


def test_unbound_tool_name_is_malformed():
    with pytest.raises(Retryable, match="no tool named"):
        ToolSchemas([what_if]).check(call("drop_tables", {}), provider="p")


def test_dict_tools_are_checked_for_required_types_and_extras():
    spec = {"type": "function", "function": {"name": "transfer_to_compliance", "description": "d", "parameters": {
        "type": "object", "properties": {"reason": {"type": "string"}}, "required": ["reason"],
        "additionalProperties": False}}}
    schemas = ToolSchemas([spec])
    schemas.check(call("transfer_to_compliance", {"reason": "limits"}), provider="p")
    for bad in ({}, {"reason": 3}, {"reason": "x", "extra": 1}):
        with pytest.raises(Retryable):
            schemas.check(call("transfer_to_compliance", bad), provider="p")
