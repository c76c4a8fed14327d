"""The feeling a check-in records (issue 17): first person, labelled, turns of phrase, then any feeling word."""

from __future__ import annotations

import pytest

from llm.offline.feelings import feeling_in


@pytest.mark.parametrize(("text", "feeling"), [
    ("i'm really nervous about payrolls", "nervous"),
    ("feeling super greedy today", "greedy"),
    ("log my mood: tired", "tired"),
    ("check in - frustrated", "frustrated"),
    ("heart racing after that spike", "anxious"),
    ("confidence is shot after this week", "shaken"),
    ("do i lose more on days i was annoyed", "annoyed"),
])
def test_feeling_in_names_the_stated_feeling(text, feeling):
    assert feeling_in(text) == feeling


def test_feeling_in_finds_nothing_in_a_question_without_a_feeling():
    assert feeling_in("what's my pnl this week") is None
