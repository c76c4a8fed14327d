"""Fixtures of the offline-model tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def model():
    from llm.offline import OfflineChatModel

    return OfflineChatModel()
