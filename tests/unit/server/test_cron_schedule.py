"""Cron schedules in a timezone (issue 15): validation names the problem; next fire honours DST and end_time."""

from datetime import UTC, datetime

import pytest

from server.crons.schedule import InvalidSchedule, check_schedule, next_fire, parse_end_time


def test_weekday_17_00_new_york_fires_at_22_00_utc_in_winter_and_21_00_after_the_dst_change():
    friday_noon = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)  # EST (UTC-5)
    assert next_fire("0 17 * * 1-5", "America/New_York", friday_noon) == datetime(2026, 3, 6, 22, 0, tzinfo=UTC)
    friday_late = datetime(2026, 3, 6, 23, 0, tzinfo=UTC)  # next weekday is Monday 9 March, EDT (UTC-4)
    assert next_fire("0 17 * * 1-5", "America/New_York", friday_late) == datetime(2026, 3, 9, 21, 0, tzinfo=UTC)


def test_next_fire_is_strictly_after_and_none_past_the_end_time():
    at = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)
    assert next_fire("0 * * * *", None, at) == datetime(2026, 1, 1, 11, 0, tzinfo=UTC)
    assert next_fire("0 * * * *", "UTC", at, end_time=datetime(2026, 1, 1, 10, 30, tzinfo=UTC)) is None


def test_a_sixth_field_gives_seconds():
    at = datetime(2026, 1, 1, 10, 0, 1, tzinfo=UTC)
    assert next_fire("* * * * * */5", None, at) == datetime(2026, 1, 1, 10, 0, 5, tzinfo=UTC)


@pytest.mark.parametrize(("schedule", "tz", "message"), [
    ("61 * * * *", "UTC", "out of range"), ("every day", "UTC", "expected 5 fields"),
    ("0 17 * * 1-5", "Mars/Olympus_Mons", "Unknown timezone 'Mars/Olympus_Mons'"),
])
def test_invalid_schedules_and_timezones_name_the_problem(schedule, tz, message):
    with pytest.raises(InvalidSchedule, match=message):
        check_schedule(schedule, tz)


def test_end_time_parses_iso_with_z_and_treats_naive_as_utc():
    assert parse_end_time("2026-12-31T17:00:00Z") == datetime(2026, 12, 31, 17, 0, tzinfo=UTC)
    assert parse_end_time("2026-12-31T17:00:00") == datetime(2026, 12, 31, 17, 0, tzinfo=UTC)
    with pytest.raises(InvalidSchedule, match="end_time"):
        parse_end_time("tomorrow")
