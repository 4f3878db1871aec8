"""The profile's cron expression becomes an APScheduler trigger in the profile's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crawler.cron import cron_weekdays
from crawler.schedule import cron_trigger, schedule_period


def test_nightly_0230_shanghai_is_1830_utc() -> None:
    trigger = cron_trigger("30 2 * * *", "Asia/Shanghai")
    after = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    fire = trigger.get_next_fire_time(None, after)
    assert fire is not None
    assert fire.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M") == "2026-11-28 02:30"
    assert fire.astimezone(UTC).strftime("%Y-%m-%d %H:%M") == "2026-11-27 18:30"


def test_weekday_field_follows_cron_conventions() -> None:
    trigger = cron_trigger("0 9 * * 1", "UTC")  # Mondays
    fire = trigger.get_next_fire_time(None, datetime(2026, 11, 27, tzinfo=UTC))  # a Friday
    assert fire is not None
    assert fire.strftime("%A %H:%M") == "Monday 09:00"


def test_sunday_is_0_and_7_and_ranges_work() -> None:
    friday = datetime(2026, 11, 27, tzinfo=UTC)
    for cron, day in (
        ("0 9 * * 0", "Sunday"),
        ("0 9 * * 7", "Sunday"),
        ("0 9 * * 6-7", "Saturday"),
        ("0 9 * * 1-5", "Friday"),
        ("0 9 * * */2", "Saturday"),
        ("0 9 * * mon,wed", "Monday"),
    ):
        fire = cron_trigger(cron, "UTC").get_next_fire_time(None, friday)
        assert fire is not None
        assert fire.strftime("%A") == day, cron


def test_weekday_field_translation() -> None:
    assert cron_weekdays("*") == "sun,mon,tue,wed,thu,fri,sat"
    assert cron_weekdays("1-5") == "mon,tue,wed,thu,fri"
    assert cron_weekdays("*/2") == "sun,tue,thu,sat"
    assert cron_weekdays("5-7") == "sun,fri,sat"
    for bad in ("8", "5-1", "x", "*/0"):
        with pytest.raises(ValueError, match=r"weekday|step|backwards"):
            cron_weekdays(bad)


def test_six_fields_put_seconds_first() -> None:
    trigger = cron_trigger("15 30 2 * * *", "Asia/Shanghai")
    fire = trigger.get_next_fire_time(None, datetime(2026, 11, 27, 12, 0, tzinfo=UTC))
    assert fire is not None
    assert fire.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%H:%M:%S") == "02:30:15"


def test_five_fields_fire_on_the_minute() -> None:
    trigger = cron_trigger("*/5 * * * *", "UTC")
    fire = trigger.get_next_fire_time(None, datetime(2026, 11, 27, 12, 1, 7, tzinfo=UTC))
    assert fire == datetime(2026, 11, 27, 12, 5, 0, tzinfo=UTC)


def test_a_seconds_cron_has_a_seconds_period() -> None:
    now = datetime(2026, 11, 27, 12, 0, 1, tzinfo=UTC)
    assert schedule_period("*/5 * * * * *", "UTC", now) == timedelta(seconds=5)
