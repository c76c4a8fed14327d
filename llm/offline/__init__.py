"""The deterministic offline chat model: routing, tool calls and answers with no network and no weights."""

from llm.offline.model import OfflineChatModel
from llm.offline.numbers import numbers_in, unsupported_numbers

__all__ = ["OfflineChatModel", "numbers_in", "unsupported_numbers"]
