"""Identifier rules for thread, run and assistant ids the API accepts (issue 12).

An id is 1 to 64 characters of ``A-Z a-z 0-9 . _ -`` that does not start with a dot (a UUID
fits). The rule keeps ids safe in every place they travel: Redis keys and Cluster hash tags (no
``{``, ``}``, ``:`` or ``*``), URL path segments (no ``/``, no ``..``) and the audit table's
VARCHAR(64) columns. Anything else is refused with a 422 problem before it reaches a store.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Path
from pydantic import StringConstraints

ID_MAX_LENGTH = 64
ID_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$"
ID_RULE = "1 to 64 characters of A-Z a-z 0-9 . _ - , not starting with a dot (a UUID fits)"
_ID = re.compile(ID_PATTERN)


class InvalidId(ValueError):
    """An id that breaks the rule; the message names the field and is safe to show."""


def is_safe_id(value: object) -> bool:
    """Return whether ``value`` is a string that follows the id rule."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def require_safe_id(value: str, field: str = "id") -> str:
    """Return ``value`` if it follows the id rule, else raise `InvalidId` naming ``field``."""
    if not is_safe_id(value):
        raise InvalidId(f"{field}: must be {ID_RULE}")
    return value


# Body fields (pydantic) and path parameters (FastAPI) carrying an id; both answer 422 on a bad id.
SafeId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
ThreadIdPath = Annotated[str, Path(pattern=ID_PATTERN, description=f"Thread id: {ID_RULE}.")]
RunIdPath = Annotated[str, Path(pattern=ID_PATTERN, description=f"Run id: {ID_RULE}.")]
AssistantIdPath = Annotated[str, Path(pattern=ID_PATTERN, description=f"Assistant id or graph id: {ID_RULE}.")]
CronIdPath = Annotated[str, Path(pattern=ID_PATTERN, description=f"Cron id: {ID_RULE}.")]
CheckpointIdPath = Annotated[str, Path(pattern=ID_PATTERN, description=f"Checkpoint id: {ID_RULE}.")]
