from datetime import date

import pytest

from tools.errors import ToolInputError
from tools.windows import resolve_window

FRIDAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("words", "start", "end"),
    [
        ("today", FRIDAY, FRIDAY),
        ("yesterday", date(2026, 11, 19), date(2026, 11, 19)),
        ("this week", date(2026, 11, 16), FRIDAY),
        ("last week", date(2026, 11, 9), date(2026, 11, 15)),
        ("this month", date(2026, 11, 1), FRIDAY),
        ("last month", date(2026, 10, 1), date(2026, 10, 31)),
        ("last 30 days", date(2026, 10, 22), FRIDAY),
        ("Past 2 weeks", date(2026, 11, 7), FRIDAY),
        ("since monday", date(2026, 11, 16), FRIDAY),
        ("since 2026-11-02", date(2026, 11, 2), FRIDAY),
        ("2026-11-02..2026-11-13", date(2026, 11, 2), date(2026, 11, 13)),
    ],
)
def test_window_words_resolve_against_the_desk_date(words, start, end):
    window = resolve_window(words, FRIDAY)
    assert (window.start, window.end) == (start, end)


def test_yesterday_on_a_monday_is_the_previous_friday():
    window = resolve_window("yesterday", date(2026, 11, 23))
    assert window.start == date(2026, 11, 20)


def test_window_in_the_future_is_a_clear_error():
    with pytest.raises(ToolInputError) as err:
        resolve_window("since 2027-01-01", FRIDAY)
    assert err.value.type == "window_in_future"


def test_window_ending_after_as_of_is_clipped_to_as_of():
    assert resolve_window("2026-11-16..2026-12-31", FRIDAY).end == FRIDAY


@pytest.mark.parametrize("bad", ["next week", "last 0 days", "since 2026-13-01", "2026-11-13..2026-11-02"])
def test_unreadable_windows_are_typed_errors(bad):
    with pytest.raises(ToolInputError) as err:
        resolve_window(bad, FRIDAY)
    assert err.value.type == "bad_window"


@pytest.mark.parametrize("early", ["since 0001-01-01", "0001-01-01..2026-01-01", "on 1899-12-31",
                                   "last 9999 months"])
def test_windows_before_the_calendar_are_bad_window_not_overflow(early):
    """Issue 12 finding 3: ``since 0001-01-01`` overflowed (raw OverflowError text reached the chat)."""
    with pytest.raises(ToolInputError) as err:
        resolve_window(early, FRIDAY)
    assert err.value.type == "bad_window" and "1900-01-01" in err.value.message
    assert resolve_window("since 1900-01-01", FRIDAY).start == date(1900, 1, 1)
