"""The one error type of the domain core: a stable ``code`` and a message a person can act on."""

from __future__ import annotations


class DomainError(ValueError):
    """An input the domain rules cannot use (unknown pair, missing rate); ``code`` is stable."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
