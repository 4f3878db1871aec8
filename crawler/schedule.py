"""The nightly job: APScheduler 3 runs each profile's audit at its cron time in its time zone; I/O."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from crawler.audit import PageListener
from crawler.config import Profile
from crawler.cron import cron_weekdays
from crawler.errors import AuditError, ConfigError, ReportNotWritten
from crawler.jobs import audit_and_publish, today_in, utc_now
from crawler.logs import event, run_end
from rules.records import RunStatus
from storage import Database, StorageError

log = logging.getLogger("icp_audit.schedule")


def cron_trigger(cron: str, timezone: str) -> CronTrigger:
    """The trigger of a cron expression in an IANA time zone; pure.

    Five fields are standard cron (minute hour day month weekday); six put a seconds field first, as
    Quartz and Spring do, for schedules finer than a minute (a staging check, a test a few seconds ahead).
    """
    fields = cron.split()
    second = fields.pop(0) if len(fields) == 6 else "0"
    minute, hour, day, month, weekday = fields
    return CronTrigger(
        second=second,
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=cron_weekdays(weekday),
        timezone=ZoneInfo(timezone),
    )


_WEEK = timedelta(days=7)
_MAX_FIRES = 11_000  # a week of a once-a-minute cron, and then some


def schedule_period(cron: str, timezone: str, now: datetime) -> timedelta:
    """The time between two scheduled runs: the longest gap between consecutive fire times after `now`.

    For a regular cron ("30 2 * * *") that is the gap between the next two fire times. Fire times are
    followed for a week past the first one, so a weekdays-only cron ("0 9 * * 1-5") has the weekend gap
    (3 days) as its period and a healthy site does not look stale on a Sunday; pure.
    """
    trigger = cron_trigger(cron, timezone)
    first = trigger.get_next_fire_time(None, now)
    if first is None:
        raise ValueError(f"{cron!r} never fires")
    period, fire, count = timedelta(0), first, 1
    while count < _MAX_FIRES and (count < 2 or fire - first <= _WEEK):
        following = trigger.get_next_fire_time(fire, fire)
        if following is None:
            break
        period, fire, count = max(period, following - fire), following, count + 1
    return period


def needs_catch_up(last_complete_start: datetime | None, now: datetime, period: timedelta) -> bool:
    """Whether `schedule` should audit at once on start: no complete run yet, or the last one started
    more than one period ago (a night was missed while the scheduler was down); pure."""
    return last_complete_start is None or now - last_complete_start > period


def last_complete_run_start(db: Database, site: str) -> datetime | None:
    """When the newest complete run of `site` among its last 50 runs started; None when there is none."""
    for info in db.list_runs(site=site, limit=50):
        if info.status == RunStatus.COMPLETE:
            return info.started_at
    return None


async def _nightly(
    profile: Profile,
    db: Database,
    folder: Path,
    lang: str,
    on_page: PageListener | None = None,
    trigger: str = "schedule",
) -> None:
    site = profile.site.name
    started = utc_now()
    event(log, "run_start", "audit of %s started", site, site=site, trigger=trigger)
    try:
        record, path = await audit_and_publish(
            profile,
            db,
            folder,
            today=today_in(profile.schedule.timezone),
            trigger=trigger,
            lang=lang,
            on_page=on_page,
        )
    except asyncio.CancelledError:
        _stopped(db, site, started)
        return
    except ReportNotWritten as exc:
        # The run is stored; only its report is missing (the message says how to write it).
        msg = "audit of %s: %s"
        event(log, "report_not_written", msg, site, exc, level=logging.ERROR, site=site, run_id=exc.run_id)
        return
    except (AuditError, StorageError) as exc:
        # e.g. a manual audit holds the lock
        msg = "audit of %s not run: %s"
        event(log, "run_not_run", msg, site, exc, level=logging.WARNING, site=site, error=str(exc))
        return
    except Exception:
        # One failed night must not stop the scheduler; the next run tries again.
        log.exception("audit of %s failed", site, extra={"event": "run_crashed", "fields": {"site": site}})
        return
    run_end(record, path, log)


def _stopped(db: Database, site: str, started: datetime) -> None:
    """Log a shutdown as what it cut short: the crawl (run_audit committed what was judged and marked
    the run interrupted) or the alerts of a run already complete and stored."""
    runs = [r for r in db.list_runs(site=site, limit=1) if r.started_at >= started]
    if runs and runs[0].status == RunStatus.COMPLETE:
        msg = (
            "audit of %s stopped by shutdown while sending alerts: run %d is complete and stored; "
            "the alerts were not sent"
        )
        event(log, "run_stopped", msg, site, runs[0].id, level=logging.WARNING, site=site, run_id=runs[0].id)
        return
    msg = "audit of %s stopped by shutdown; the run is marked interrupted"
    event(log, "run_interrupted", msg, site, level=logging.WARNING, site=site)


async def run_scheduler(
    profiles: list[Profile],
    db: Database,
    folder: Path,
    *,
    lang: str = "zh",
    on_page: PageListener | None = None,
) -> int:
    """Schedule every profile and block until SIGTERM or SIGINT; then stop cleanly and return 0.

    A profile whose last complete run is older than one schedule period (or that has none) is audited
    at once with trigger "catch-up", as the first run of its own job (so max_instances and the lock hold).
    """
    scheduler = AsyncIOScheduler()
    running: set[asyncio.Task[None]] = set()
    catching_up: set[str] = set()  # job ids whose next run is the catch-up

    async def job(profile: Profile, job_id: str) -> None:
        # A coroutine job, so max_instances=1 really holds while the audit runs; tracked for shutdown.
        task = asyncio.current_task()
        assert task is not None
        running.add(task)
        trigger = "schedule"
        if job_id in catching_up:
            catching_up.discard(job_id)
            trigger = "catch-up"
        try:
            await _nightly(profile, db, folder, lang, on_page, trigger)
        finally:
            running.discard(task)

    for index, profile in enumerate(profiles):
        try:
            trigger = cron_trigger(profile.schedule.cron, profile.schedule.timezone)
            now = utc_now()
            period = schedule_period(profile.schedule.cron, profile.schedule.timezone, now)
        except ValueError as exc:
            raise ConfigError(
                [
                    f"schedule.cron: {exc} (write five cron fields, e.g. '30 2 * * *', or six with seconds first)"
                ]
            ) from exc
        job_id = f"{index + 1}:{profile.site.name}"  # two profiles may share a site name
        first_run: dict[str, datetime] = {}
        if needs_catch_up(last_complete_run_start(db, profile.site.name), now, period):
            catching_up.add(job_id)
            first_run["next_run_time"] = now
        scheduler.add_job(
            job,
            trigger,
            args=[profile, job_id],
            id=job_id,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=3600,
            **first_run,
        )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    scheduler.start()
    for scheduled in scheduler.get_jobs():
        # The next cron run, also for a job whose first run is the catch-up now.
        next_run = scheduled.trigger.get_next_fire_time(None, utc_now())
        event(
            log,
            "scheduled",
            "scheduled %s: next run %s",
            scheduled.id,
            next_run,
            job=scheduled.id,
            next_run=next_run.isoformat() if next_run else None,
        )
        if scheduled.id in catching_up:
            msg = "catching up %s now: no complete run within the last schedule period"
            event(log, "catch_up", msg, scheduled.id, job=scheduled.id)
    await stop.wait()
    scheduler.shutdown(wait=False)
    tasks = list(running)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return 0
