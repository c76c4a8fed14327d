"""Fit candidate arguments to a bound tool's JSON schema: keep what validates, drop what does not.

The offline model extracts more than any one tool takes (a pair, a window, a customer...). Before a
tool call is emitted its arguments are checked against the tool's ``parameters`` schema (the
OpenAI-format dict from ``convert_to_openai_tool``): unknown properties, wrong types, values outside
an ``enum`` or ``minimum``/``maximum``/``maxLength`` are dropped; a missing ``required`` property
makes the call impossible (`fit_args` returns None and the model asks for it instead).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["fit_args", "missing_required", "tool_parameters"]


def tool_parameters(tool: Mapping[str, Any]) -> dict[str, Any]:
    """Return the JSON schema of a bound tool's arguments (OpenAI tool dict or bare function dict).

    Args:
        tool: ``{"type": "function", "function": {"name", "parameters"}}`` or the inner dict.

    """
    function = tool.get("function", tool)
    return dict(function.get("parameters") or {})


def fit_args(candidates: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any] | None:
    """Return the candidate arguments that validate against ``schema``, or None if a required one is missing.

    Args:
        candidates: Argument name → value, as extracted from the conversation.
        schema: The tool's JSON schema (``type: object`` with ``properties`` and ``required``).

    Returns:
        A dict holding only valid properties (values coerced where safe, e.g. int → float).

    """
    properties: Mapping[str, Any] = schema.get("properties") or {}
    defs: Mapping[str, Any] = schema.get("$defs") or schema.get("definitions") or {}
    args: dict[str, Any] = {}
    for name, value in candidates.items():
        spec = properties.get(name)
        if spec is None or value is None:
            continue
        ok, fitted = _fit(value, _resolve(spec, defs), defs)
        if ok:
            args[name] = fitted
    if missing_required(args, schema):
        return None
    return args


def missing_required(args: Mapping[str, Any], schema: Mapping[str, Any]) -> list[str]:
    """Return the required properties of ``schema`` absent from ``args``.

    Args:
        args: Arguments about to be sent.
        schema: The tool's JSON schema.

    """
    return [name for name in schema.get("required") or () if name not in args]


def _resolve(spec: Mapping[str, Any], defs: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = spec.get("$ref")
    if isinstance(ref, str) and ref.rsplit("/", 1)[-1] in defs:
        return {**defs[ref.rsplit("/", 1)[-1]], **{k: v for k, v in spec.items() if k != "$ref"}}
    return spec


def _fit(value: Any, spec: Mapping[str, Any], defs: Mapping[str, Any]) -> tuple[bool, Any]:
    for key in ("anyOf", "oneOf"):
        if key in spec:
            for option in spec[key]:
                ok, fitted = _fit(value, _resolve(option, defs), defs)
                if ok:
                    return True, fitted
            return False, None
    if "allOf" in spec:
        merged: dict[str, Any] = {}
        for part in spec["allOf"]:
            merged.update(_resolve(part, defs))
        return _fit(value, {**merged, **{k: v for k, v in spec.items() if k != "allOf"}}, defs)
    if "enum" in spec and value not in spec["enum"]:
        return False, None
    if "const" in spec and value != spec["const"]:
        return False, None
    ok, fitted = _fit_type(value, spec.get("type"), spec, defs)
    if not ok:
        return False, None
    return _within_bounds(fitted, spec), fitted


def _fit_type(value: Any, kind: Any, spec: Mapping[str, Any], defs: Mapping[str, Any]) -> tuple[bool, Any]:
    if isinstance(kind, list):
        for option in kind:
            ok, fitted = _fit_type(value, option, spec, defs)
            if ok:
                return True, fitted
        return False, None
    if kind is None:
        return True, value
    if kind == "null":
        return value is None, value
    if kind == "string":
        return isinstance(value, str), value
    if kind == "boolean":
        return isinstance(value, bool), value
    if kind == "integer":
        if isinstance(value, bool):
            return False, None
        if isinstance(value, float) and value.is_integer():
            return True, int(value)
        return isinstance(value, int), value
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool), value
    if kind == "array":
        if not isinstance(value, list | tuple):
            return False, None
        item_spec = _resolve(spec.get("items") or {}, defs)
        items = [fitted for ok, fitted in (_fit(item, item_spec, defs) for item in value) if ok]
        return bool(items) or not value, items
    if kind == "object":
        return isinstance(value, Mapping), value
    return False, None


def _within_bounds(value: Any, spec: Mapping[str, Any]) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in spec and value < spec["minimum"]:
            return False
        if "maximum" in spec and value > spec["maximum"]:
            return False
        if "exclusiveMinimum" in spec and value <= spec["exclusiveMinimum"]:
            return False
        if "exclusiveMaximum" in spec and value >= spec["exclusiveMaximum"]:
            return False
    if isinstance(value, str):
        if "maxLength" in spec and len(value) > spec["maxLength"]:
            return False
        if "minLength" in spec and len(value) < spec["minLength"]:
            return False
    return True
