"""The nightly job: APScheduler 3 runs each profile's audit at its cron time in its time zone; I/O."""

from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from crawler.audit import PageListener
from crawler.config import Profile
from crawler.cron import cron_weekdays
from crawler.errors import AuditError, ConfigError
from crawler.jobs import audit_and_publish, today_in
from crawler.logs import event, run_end
from storage import Database, StorageError

log = logging.getLogger("icp_audit.schedule")


def cron_trigger(cron: str, timezone: str) -> CronTrigger:
    """The trigger of a five-field cron expression (standard cron semantics) in an IANA time zone; pure."""
    minute, hour, day, month, weekday = cron.split()
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=cron_weekdays(weekday),
        timezone=ZoneInfo(timezone),
    )


async def _nightly(
    profile: Profile, db: Database, folder: Path, lang: str, on_page: PageListener | None = None
) -> None:
    site = profile.site.name
    event(log, "run_start", "audit of %s started", site, site=site, trigger="schedule")
    try:
        record, path = await audit_and_publish(
            profile,
            db,
            folder,
            today=today_in(profile.schedule.timezone),
            trigger="schedule",
            lang=lang,
            on_page=on_page,
        )
    except asyncio.CancelledError:
        # Shutdown, not a failure: run_audit has committed what was judged and marked the run interrupted.
        msg = "audit of %s stopped by shutdown; the run is marked interrupted"
        event(log, "run_interrupted", msg, site, level=logging.WARNING, site=site)
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


async def run_scheduler(
    profiles: list[Profile],
    db: Database,
    folder: Path,
    *,
    lang: str = "zh",
    on_page: PageListener | None = None,
) -> int:
    """Schedule every profile and block until SIGTERM or SIGINT; then stop cleanly and return 0."""
    scheduler = AsyncIOScheduler()
    running: set[asyncio.Task[None]] = set()

    async def job(profile: Profile) -> None:
        # A coroutine job, so max_instances=1 really holds while the audit runs; tracked for shutdown.
        task = asyncio.current_task()
        assert task is not None
        running.add(task)
        try:
            await _nightly(profile, db, folder, lang, on_page)
        finally:
            running.discard(task)

    for index, profile in enumerate(profiles):
        try:
            trigger = cron_trigger(profile.schedule.cron, profile.schedule.timezone)
        except ValueError as exc:
            raise ConfigError([f"schedule.cron: {exc} (write five cron fields, e.g. '30 2 * * *')"]) from exc
        scheduler.add_job(
            job,
            trigger,
            args=[profile],
            id=f"{index + 1}:{profile.site.name}",  # two profiles may share a site name
            max_instances=1,
            coalesce=True,
            misfire_grace_time=3600,
        )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    scheduler.start()
    for scheduled in scheduler.get_jobs():
        next_run = scheduled.next_run_time
        event(
            log,
            "scheduled",
            "scheduled %s: next run %s",
            scheduled.id,
            next_run,
            job=scheduled.id,
            next_run=next_run.isoformat() if next_run else None,
        )
    await stop.wait()
    scheduler.shutdown(wait=False)
    tasks = list(running)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return 0
