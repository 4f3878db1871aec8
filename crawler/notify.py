"""Alerts after a run: decide, compose, send to every `[notify]` channel, log and record each outcome; I/O.

A notification never fails the audit: every failure (an unset variable, a refused or unreachable
robot, an SMTP error, even a bug here) becomes a recorded, logged `Delivery` with ok=False.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from storage.errors import StorageError

if TYPE_CHECKING:
    from crawler.config import Profile
    from crawler.notify_config import EmailConfig, NotifyConfig, WebhookConfig
    from reports.alert import Alert
    from rules.diff import RunDiff
    from rules.records import RunRecord
    from storage import Database

log = logging.getLogger("icp_audit.notify")


@dataclass(frozen=True, slots=True)
class Delivery:
    """One channel's outcome: its label, whether the alert went out, and a one-line detail."""

    channel: str
    ok: bool
    detail: str
    sent_at: datetime


async def _deliver_one(
    label: str,
    channel: WebhookConfig | EmailConfig,
    alert: Alert,
    *,
    lang: str,
    report: Path | None,
    http_timeout: float,
    now: Callable[[], datetime],
) -> Delivery:
    # The channels' modules (smtplib, email, the alert texts) load only when a channel is configured.
    from crawler.notify_config import EmailConfig
    from crawler.notify_email import build_message, send_email
    from crawler.notify_http import NotifyFailure, send_webhook
    from crawler.notify_redact import delivery_detail, redact

    try:
        if isinstance(channel, EmailConfig):
            message = build_message(channel, alert, report=report, now=now())
            detail = await asyncio.to_thread(send_email, channel, message)
        else:
            detail = await send_webhook(channel, alert, lang, http_timeout=http_timeout, now=now())
    except NotifyFailure as exc:
        return Delivery(label, False, delivery_detail(str(exc)), now())
    except Exception as exc:  # a bug in a channel must not cost the audit; the log keeps the traceback
        # Redacted here, not by the handler: the handler may be anyone's (lastResort, a user's config).
        log.error("notification %s: unexpected error\n%s", label, redact(traceback.format_exc()))
        return Delivery(label, False, f"unexpected {type(exc).__name__} (a bug; see the log)", now())
    return Delivery(label, True, delivery_detail(detail), now())


async def deliver(
    notify: NotifyConfig, alert: Alert, *, lang: str, report: Path | None, now: Callable[[], datetime]
) -> list[Delivery]:
    """Send `alert` to every configured channel at once; one Delivery per channel, in profile order.

    Every secret the channels read is registered for `redact` before any is sent, so that no channel's
    answer can echo another's secret unredacted.
    """
    from crawler.notify_redact import register_env

    register_env(notify.env_names())
    sends = [
        _deliver_one(label, channel, alert, lang=lang, report=report, http_timeout=notify.timeout, now=now)
        for label, channel in notify.channels()
    ]
    return list(await asyncio.gather(*sends))


def _absolute(report: Path) -> str:
    return str(report.resolve())  # the alert must say where the file is, whatever the working folder


async def notify_run(
    profile: Profile,
    db: Database,
    record: RunRecord,
    diff: RunDiff | None,
    report: Path,
    *,
    lang: str,
    now: Callable[[], datetime],
    interrupted_before: int = 0,
) -> list[Delivery]:
    """Alert about a finished run when it has something to say; log and record every channel's outcome.

    Nothing is sent (and nothing recorded) when no channel is configured or no reason applies.
    """
    notify = profile.notify
    if not notify.channels():
        return []
    # Loaded only now, as the channels' modules: most audits have no channel.
    from crawler.logs import notification
    from reports.alert import alert_reasons, compose_alert, report_location

    reasons = alert_reasons(record, diff, interrupted_before=interrupted_before, every_run=notify.every_run)
    if not reasons:
        return []
    path = _absolute(report)
    alert = compose_alert(
        record,
        diff,
        reasons,
        report=report_location(path, record.info.id, notify.report_url),
        report_path=path,
        lang=lang,
        interrupted_before=interrupted_before,
    )
    deliveries = await deliver(notify, alert, lang=lang, report=report, now=now)
    info = record.info
    for d in deliveries:
        notification(d.channel, d.ok, d.detail, run_id=info.id, site=info.site)
        try:
            db.record_notification(info.id, d.channel, d.ok, d.detail, d.sent_at)
        except StorageError as exc:
            log.warning("notification %s of run %s not recorded: %s", d.channel, info.id, exc)
    return deliveries
