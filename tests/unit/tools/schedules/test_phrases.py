"""Schedules in trader words read into a cron expression and an IANA timezone, or a clear error (issue 15)."""

from __future__ import annotations

import pytest
from croniter import croniter

from tools.schedules.phrases import ScheduleParseError, describe, parse_schedule, time_of_day


@pytest.mark.parametrize(("text", "cron", "zone"), [
    ("every weekday at 17:00 New York send me the limit breaches", "0 17 * * 1-5", "America/New_York"),
    ("daily at 7am London", "0 7 * * *", "Europe/London"),
    ("every day at 7 London time", "0 7 * * *", "Europe/London"),
    ("send me my VaR every day at 7am London", "0 7 * * *", "Europe/London"),
    ("every Monday at 9:30 Tokyo", "30 9 * * 1", "Asia/Tokyo"),
    ("mondays and thursdays at 8am ldn", "0 8 * * 1,4", "Europe/London"),
    ("at noon on fridays Europe/Zurich", "0 12 * * 5", "Europe/Zurich"),
    ("business days 18h30 HK", "30 18 * * 1-5", "Asia/Hong_Kong"),
    ("each morning at 6:45 sydney for FX-G10", "45 6 * * *", "Australia/Sydney"),
    ("every weekday at 5pm NY", "0 17 * * 1-5", "America/New_York"),
    ("weekdays at 12am", "0 0 * * 1-5", "UTC"),
    ("every day at 12pm UTC", "0 12 * * *", "UTC"),
    ("every day at midnight GMT", "0 0 * * *", "UTC"),
    ("Monday to Friday at 16.45 Singapore", "45 16 * * 1-5", "Asia/Singapore"),
    ("every sat at 10:00", "0 10 * * 6", "UTC"),
    ("every evening at 6pm", "0 18 * * *", "UTC"),
    ("every weekday at 17:00 America/Chicago", "0 17 * * 1-5", "America/Chicago"),
    ("every hour", "0 * * * *", "UTC"),
    ("hourly at :15 Tokyo", "15 * * * *", "Asia/Tokyo"),
    ("working days at 07:05 in hong kong", "5 7 * * 1-5", "Asia/Hong_Kong"),
    ("every weekday at 17:00 NYC for FX-EM top 5", "0 17 * * 1-5", "America/New_York"),
])
def test_trader_words_become_a_valid_cron_in_the_named_zone(text, cron, zone):
    parsed = parse_schedule(text)
    assert (parsed.cron, parsed.timezone) == (cron, zone)
    assert croniter.is_valid(parsed.cron)
    assert zone in parsed.description


@pytest.mark.parametrize(("text", "names"), [
    ("every weekday at 17:00 in Atlantis time", "Unknown timezone 'atlantis'"),
    ("every day at 7am Mars/Olympus_Mons", "Unknown timezone 'Mars/Olympus_Mons'"),
    ("every day at 25:00", "not a time of day"),
    ("every day at 13pm", "not a time"),
    ("every day at 7:75", "not a time of day"),
    ("every weekday please", "at what time"),
    ("send me the breaches at 17:00", "how often"),
    ("", "Say when"),
    ("   ", "Say when"),
])
def test_words_that_cannot_be_read_raise_a_clear_error_naming_the_part(text, names):
    with pytest.raises(ScheduleParseError, match=names) as caught:
        parse_schedule(text)
    assert caught.value.as_result()["error"]["type"] == "bad_schedule"


def test_a_bare_number_is_not_taken_for_a_time():
    with pytest.raises(ScheduleParseError, match="at what time"):
        parse_schedule("every weekday send the top 5 breaches")


@pytest.mark.parametrize(("cron", "zone", "words"), [
    ("0 17 * * 1-5", "America/New_York", "every weekday at 17:00 (America/New_York)"),
    ("30 9 * * 1", "Asia/Tokyo", "every Monday at 09:30 (Asia/Tokyo)"),
    ("0 7 * * *", "UTC", "every day at 07:00 (UTC)"),
    ("*/5 * * * *", "UTC", "cron '*/5 * * * *' (UTC)"),
    ("* * * * * */2", "UTC", "cron '* * * * * */2' (UTC)"),
])
def test_describe_says_a_cron_back_in_words(cron, zone, words):
    assert describe(cron, zone) == words


def test_time_of_day_reads_the_forms_traders_use():
    assert [time_of_day(t) for t in ("17:00", "5pm", "at 7", "7:30am", "noon", "the 18h00 one")] == [
        (17, 0), (17, 0), (7, 0), (7, 30), (12, 0), (18, 0)]
