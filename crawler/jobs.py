"""One audit end to end: open the database, crawl and judge, write the reports; I/O.

The `audit` command, `demo` and the scheduler all go through `audit_and_publish`.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Coroutine
from contextlib import nullcontext
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from crawler.errors import OutputError, ReportNotWritten, Stopped
from crawler.history import diff_of
from crawler.lock import site_lock
from crawler.notify import notify_run
from crawler.output_file import signals_stop_writing
from crawler.publish import EVERY_RUN, ensure_writable, write_reports

if TYPE_CHECKING:
    from crawler.audit import PageListener
    from crawler.config import Profile
    from rules.diff import RunDiff
    from rules.records import RunRecord
    from storage import Database

T = TypeVar("T")


def utc_now() -> datetime:
    """The current time, tz-aware UTC (the one clock the application layer reads)."""
    return datetime.now(UTC)


def today_in(timezone: str) -> date:
    """Today's date where the site's regulator is (the profile's schedule time zone)."""
    return utc_now().astimezone(ZoneInfo(timezone)).date()


async def audit_and_publish(
    profile: Profile,
    db: Database,
    folder: Path,
    *,
    today: date,
    trigger: str = "manual",
    lang: str = "zh",
    on_page: PageListener | None = None,
    stoppable: bool = False,
) -> tuple[RunRecord, Path]:
    """Audit once, store the run, write run-<id>.html and latest.html, send the alerts [notify] asks for;
    returns the run and its report. A failed notification is logged and recorded, never raised.

    Once the run is stored, a report that cannot be written raises ReportNotWritten, and with
    `stoppable` (a command run by a person) SIGINT or SIGTERM raise Stopped, naming the stored run."""
    # The crawler loads here: the commands that only read `utc_now` from this module do without it.
    from crawler.audit import run_audit
    from crawler.client import make_client

    ensure_writable(folder)
    with site_lock(db.name, profile.site.name, utc_now()):
        # Holding the lock, any run of this site still marked running belongs to a dead process.
        died = db.mark_interrupted(profile.site.name)
        async with make_client(profile) as client:
            outcome = await run_audit(
                profile, client=client, db=db, now=utc_now, today=today, trigger=trigger, on_page=on_page
            )
    record = db.load_run(outcome.run_id)
    diff = diff_of(db, record)
    path = _report(record, db, folder, diff, lang=lang, stoppable=stoppable)
    # A run stopped by SIGTERM never gets here (no alert for a deliberate stop); one whose process died
    # is found above and reported with the next run.
    try:
        await notify_run(profile, db, record, diff, path, lang=lang, now=utc_now, interrupted_before=died)
    except asyncio.CancelledError as exc:
        if not stoppable:
            raise
        raise Stopped(
            f"stopped while sending alerts: run {record.info.id} is complete and stored, its report is "
            f"{path}; the alerts were not sent",
            record.info.id,
        ) from exc
    return record, path


def _report(
    record: RunRecord, db: Database, folder: Path, diff: RunDiff | None, *, lang: str, stoppable: bool
) -> Path:
    """Write the stored run's report; when it cannot be written, or (`stoppable`: SIGINT and SIGTERM stop
    the writing at once) a signal stops it, the error says the run is safe and how to write it later."""
    try:
        with signals_stop_writing() if stoppable else nullcontext():
            return write_reports(
                record,
                folder,
                lang=lang,
                generated_at=utc_now(),
                diff=diff,
                runs=db.list_runs(limit=EVERY_RUN),
            )
    except KeyboardInterrupt as exc:
        if not stoppable:
            raise
        run = record.info.id
        raise Stopped(
            f"stopped ({exc or 'SIGINT'}) while writing the report: run {run} is complete and stored; its "
            f"report files in {folder} were not all written (none is half-written); regenerate them with: "
            f"icp-audit report --run {run} --out {folder} (and the same --db)",
            run,
        ) from exc
    except OutputError as exc:
        raise ReportNotWritten(record.info.id, folder, str(exc)) from exc


async def cancel_on_sigterm(work: Coroutine[Any, Any, T]) -> T:
    """Await `work`, cancelling it on SIGTERM as Ctrl-C does, so the run is closed as interrupted."""
    loop, task = asyncio.get_running_loop(), asyncio.current_task()
    assert task is not None
    loop.add_signal_handler(signal.SIGTERM, task.cancel)
    try:
        return await work
    finally:
        loop.remove_signal_handler(signal.SIGTERM)
