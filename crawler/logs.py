"""Log output: text lines as today, or JSON lines on stdout for containers and scripts (--log-format); I/O.

An event is an ordinary log record carrying `event` (its name) and `fields` (its data) as extras, so the
text formatter prints the message as it always did and `JsonFormatter` prints one object per record.
Both formatters pass their whole line through `notify_redact.redact`: no alert channel's secret is printed.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.audit import PageListener
from crawler.notify_redact import redact
from crawler.outcome import summary_line
from rules.model import Verdict
from rules.records import PageRecord, RunRecord

LOG_FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

log = logging.getLogger("icp_audit.run")


def event(
    logger: logging.Logger, name: str, message: str, *args: object, level: int = logging.INFO, **fields: Any
) -> None:
    """Log `message % args` as the event `name` with `fields` (the JSON object's keys)."""
    logger.log(level, message, *args, extra={"event": name, "fields": fields})


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (ISO 8601, UTC), event, level, logger, message, then the fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "event": getattr(record, "event", "log"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            data.update(fields)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(data, ensure_ascii=False, default=str))


class TextFormatter(logging.Formatter):
    """`TEXT_FORMAT` lines, secrets redacted (the message, its arguments and any traceback)."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


@contextmanager
def log_output(log_format: str, *, text: bool = False) -> Iterator[None]:
    """While inside: json sends every record at INFO and above to stdout as a JSON line; text sends
    them to stderr as `TEXT_FORMAT` lines when `text`, else leaves logging untouched."""
    if log_format == "json":
        handler: logging.Handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(JsonFormatter())
    elif text:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(TextFormatter())
    else:
        yield
        return
    root, httpx = logging.getLogger(), logging.getLogger("httpx")
    levels = root.level, httpx.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    httpx.setLevel(logging.WARNING)  # one line per request drowns the events
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(levels[0])
        httpx.setLevel(levels[1])


def page_events(*, verbose: bool = False) -> PageListener:
    """A page listener logging a `fetch_error` event per failed fetch, and a `page` event per URL when verbose."""

    def on_page(record: PageRecord, queued: int) -> None:
        if record.verdict is Verdict.FETCH_ERROR:
            event(
                log,
                "fetch_error",
                "fetch error %s: %s",
                record.url,
                record.error,
                level=logging.WARNING,
                url=record.url,
                error=record.error,
                status=record.status,
            )
        elif verbose:
            event(
                log,
                "page",
                "%s %s",
                record.verdict,
                record.url,
                url=record.url,
                status=record.status,
                verdict=str(record.verdict),
                elapsed_ms=record.elapsed_ms,
                queued=queued,
            )

    return on_page


def run_end(record: RunRecord, report: Path, logger: logging.Logger = log, **fields: Any) -> None:
    """The `run_end` event: run id, status, counts and report path; its message is the summary line."""
    info = record.info
    event(
        logger,
        "run_end",
        "%s; report: %s",
        summary_line(record),
        report,
        run_id=info.id,
        site=info.site,
        trigger=info.trigger,
        status=str(info.status),
        counts=asdict(record.counts),
        error=info.error,
        report=str(report),
        **fields,
    )


def notification(
    channel: str, ok: bool, detail: str, *, run_id: int | None, site: str, logger: logging.Logger = log
) -> None:
    """The `notification` event: one alert channel's outcome, a warning when it did not go out."""
    detail = redact(detail)  # also when no formatter of ours prints it (Python's last-resort handler)
    event(
        logger,
        "notification",
        "notification %s %s: %s",
        channel,
        "sent" if ok else "FAILED",
        detail,
        level=logging.INFO if ok else logging.WARNING,
        channel=channel,
        ok=ok,
        detail=detail,
        run_id=run_id,
        site=site,
    )
