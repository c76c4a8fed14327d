"""Check a model's tool calls against the tools bound to it: garbage from a provider is a typed error."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import BaseModel, ValidationError

from llm.errors import Retryable

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
    "array": (list,), "object": (dict,), "null": (type(None),),
}


class ToolSchemas:
    """The argument validators of the tools bound to one agent's models, by tool name."""

    def __init__(self, tools: Sequence[BaseTool | dict | type[BaseModel]] = ()) -> None:
        self._pydantic: dict[str, type[BaseModel]] = {}
        self._json: dict[str, dict[str, Any]] = {}
        for tool in tools:
            if isinstance(tool, BaseTool) and isinstance(tool.args_schema, type) \
                    and issubclass(tool.args_schema, BaseModel):
                self._pydantic[tool.name] = tool.args_schema
                continue
            spec = convert_to_openai_tool(tool)["function"]
            self._json[spec["name"]] = spec.get("parameters") or {}

    @property
    def names(self) -> set[str]:
        """Return the names of the bound tools."""
        return set(self._pydantic) | set(self._json)

    def check(self, message: AIMessage, *, provider: str) -> None:
        """Raise ``Retryable(kind="malformed")`` if a tool call is not valid JSON or not valid for its tool.

        Args:
            message: The provider's answer.
            provider: The link's name, for the error.

        """
        for bad in message.invalid_tool_calls:
            raise Retryable(f"tool call {bad.get('name')!r} has arguments that are not valid JSON: "
                            f"{bad.get('args')!r:.200}", provider=provider, kind="malformed")
        if not self.names:
            return
        for call in message.tool_calls:
            problem = self._problem(call["name"], call["args"])
            if problem:
                raise Retryable(f"tool call {call['name']!r} is invalid: {problem}",
                                provider=provider, kind="malformed")

    def _problem(self, name: str, args: Any) -> str | None:
        if name in self._pydantic:
            try:
                self._pydantic[name].model_validate(args)
            except ValidationError as exc:
                return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            return None
        if name in self._json:
            return _json_problem(self._json[name], args)
        return f"no tool named {name!r} is bound"


def _json_problem(schema: dict[str, Any], args: Any) -> str | None:
    """Return what is wrong with ``args`` against a tool's (flat) JSON schema: types, required, extras."""
    if not isinstance(args, dict):
        return "arguments are not an object"
    properties = schema.get("properties", {})
    missing = [k for k in schema.get("required", []) if k not in args]
    if missing:
        return f"missing required {missing}"
    if schema.get("additionalProperties") is False:
        extra = sorted(set(args) - set(properties))
        if extra:
            return f"unexpected {extra}"
    for key, value in args.items():
        declared = properties.get(key, {}).get("type")
        if declared is None:
            continue
        allowed = declared if isinstance(declared, list) else [declared]
        types = tuple(t for name in allowed for t in _JSON_TYPES.get(name, (object,)))
        if isinstance(value, bool) and bool not in types:
            return f"{key}: expected {declared}, got boolean"
        if not isinstance(value, types):
            return f"{key}: expected {declared}, got {type(value).__name__}"
    return None
