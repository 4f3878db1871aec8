"""`icp-audit health`: is the nightly audit keeping up? The verdict is pure; the command is in cli_data.

Healthy means the site's last run is `complete` and finished less than one schedule period plus a grace
ago. The period is `crawler.schedule.schedule_period` of the profile's cron in its time zone; the grace
is the larger of one hour and a tenth of the period (2.4 h for a nightly run), which leaves room for the
audit itself to take time and for a restart around the cron time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from crawler.schedule import schedule_period
from rules.records import RunInfo, RunStatus

MIN_GRACE = timedelta(hours=1)
GRACE_SHARE = 0.1


def grace_for(period: timedelta) -> timedelta:
    """How late a run may be past one period: the larger of one hour and 10 % of the period; pure."""
    return max(MIN_GRACE, period * GRACE_SHARE)


def _hours(delta: timedelta) -> str:
    return f"{delta.total_seconds() / 3600:.1f} h"


def _utc(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def health_verdict(
    last: RunInfo | None, now: datetime, period: timedelta, grace: timedelta
) -> tuple[bool, str]:
    """(healthy, one line saying why) for the last run of a site at `now` (tz-aware UTC); pure."""
    if last is None:
        return False, "no run yet"
    if last.status == RunStatus.RUNNING:
        return False, f"last run #{last.id} running since {_utc(last.started_at)}"
    if last.status != RunStatus.COMPLETE:
        why = f": {last.error}" if last.error else ""
        return (
            False,
            f"last run #{last.id} {last.status.value} at {_utc(last.finished_at or last.started_at)}{why}",
        )
    age = now - (last.finished_at or last.started_at)
    limit = period + grace
    if age >= limit:
        return False, (
            f"last complete run #{last.id} is {_hours(age)} old, "
            f"older than the period + grace ({_hours(period)} + {_hours(grace)})"
        )
    return True, f"last run #{last.id} complete, {_hours(age)} old (limit {_hours(limit)})"


def site_health(last: RunInfo | None, cron: str, timezone: str, now: datetime) -> tuple[bool, str]:
    """`health_verdict` with the period of the profile's cron in its time zone and the default grace."""
    period = schedule_period(cron, timezone, now)
    return health_verdict(last, now, period, grace_for(period))
