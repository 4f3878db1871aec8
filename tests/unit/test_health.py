"""`icp-audit health` decides from the last run, the schedule period and a grace; catch-up on start."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from crawler.health import grace_for, health_verdict, site_health
from crawler.schedule import needs_catch_up, schedule_period
from rules.model import LicenceFacts
from rules.records import RunInfo, RunStatus

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
H = timedelta(hours=1)


def run(
    status: RunStatus, started_ago: timedelta, finished_ago: timedelta | None, error: str | None = None
) -> RunInfo:
    return RunInfo(
        id=7,
        site="朝前科技官网",
        status=status,
        trigger="schedule",
        started_at=NOW - started_ago,
        finished_at=None if finished_ago is None else NOW - finished_ago,
        tool_version="0.1.0",
        licence=LicenceFacts("陕B2-20210271", "西安朝前智能科技有限公司", date(2026, 8, 30)),
        today=date(2026, 11, 27),
        error=error,
    )


@pytest.mark.parametrize(
    ("last", "healthy", "says"),
    [
        pytest.param(None, False, "no run yet", id="empty-database"),
        pytest.param(run(RunStatus.COMPLETE, 10 * H, 9 * H), True, "complete, 9.0 h old", id="fresh"),
        pytest.param(run(RunStatus.COMPLETE, 26 * H, 25 * H), True, "complete", id="within-grace"),
        pytest.param(
            run(RunStatus.COMPLETE, 28 * H, 27 * H),
            False,
            "is 27.0 h old, older than the period + grace (24.0 h + 2.4 h)",
            id="too-old",
        ),
        pytest.param(
            run(RunStatus.FAILED, 2 * H, H, "robots.txt unreachable"),
            False,
            "last run #7 failed at 2026-11-27 11:00 UTC: robots.txt unreachable",
            id="failed",
        ),
        pytest.param(
            run(RunStatus.INTERRUPTED, 2 * H, None),
            False,
            "interrupted at 2026-11-27 10:00 UTC",
            id="interrupted",
        ),
        pytest.param(
            run(RunStatus.RUNNING, 3 * H, None), False, "running since 2026-11-27 09:00 UTC", id="running"
        ),
    ],
)
def test_health_verdict(last: RunInfo | None, healthy: bool, says: str) -> None:
    ok, why = health_verdict(last, NOW, DAY, grace_for(DAY))
    assert ok is healthy
    assert says in why
    assert "\n" not in why


@pytest.mark.parametrize(
    ("period", "grace"),
    [(DAY, timedelta(hours=2.4)), (H, H), (timedelta(minutes=5), H), (7 * DAY, timedelta(hours=16.8))],
)
def test_grace_is_one_hour_or_a_tenth_of_the_period(period: timedelta, grace: timedelta) -> None:
    assert grace_for(period) == grace


@pytest.mark.parametrize(
    ("cron", "zone", "period"),
    [
        ("30 2 * * *", "Asia/Shanghai", DAY),
        ("*/15 * * * *", "UTC", timedelta(minutes=15)),
        ("0 */6 * * *", "UTC", timedelta(hours=6)),
        ("0 9 * * 1", "UTC", 7 * DAY),
        ("0 9 * * 1-5", "UTC", 3 * DAY),  # the weekend gap: a weekday cron is not stale on Sunday
        ("0 3 1 * *", "Asia/Shanghai", timedelta(days=31)),  # December to January
    ],
)
def test_schedule_period(cron: str, zone: str, period: timedelta) -> None:
    assert schedule_period(cron, zone, NOW) == period


def test_site_health_uses_the_profiles_cron() -> None:
    weekly = run(RunStatus.COMPLETE, 5 * DAY, 5 * DAY)
    assert site_health(weekly, "0 9 * * 1", "UTC", NOW)[0]
    assert not site_health(weekly, "30 2 * * *", "Asia/Shanghai", NOW)[0]


@pytest.mark.parametrize(
    ("last_start", "catch_up"),
    [
        pytest.param(None, True, id="never-run"),
        pytest.param(NOW - 23 * H, False, id="last-night"),
        pytest.param(NOW - 25 * H, True, id="missed-a-night"),
    ],
)
def test_needs_catch_up(last_start: datetime | None, catch_up: bool) -> None:
    assert needs_catch_up(last_start, NOW, DAY) is catch_up
