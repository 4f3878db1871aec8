"""The JSON log formatter, the page events and the progress bar's text."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

import pytest

from crawler.logs import JsonFormatter, event, log_output, page_events
from crawler.progress import bar_text
from rules.model import Verdict
from rules.records import PageRecord


def _record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("icp_audit.test", logging.INFO, __file__, 1, message, args, None)
    record.__dict__.update(extra)
    record.created = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC).timestamp()
    return record


def test_an_event_is_one_json_line_with_time_event_and_fields() -> None:
    line = JsonFormatter().format(
        _record(
            "audit of %s started", "朝前", event="run_start", fields={"site": "朝前", "trigger": "manual"}
        )
    )
    assert "\n" not in line
    assert json.loads(line) == {
        "time": "2026-01-02T03:04:05.678+00:00",
        "event": "run_start",
        "level": "info",
        "logger": "icp_audit.test",
        "message": "audit of 朝前 started",
        "site": "朝前",
        "trigger": "manual",
    }


def test_a_plain_log_record_is_a_log_event_and_odd_values_become_strings() -> None:
    data = json.loads(JsonFormatter().format(_record("x %d", 1, fields={"when": datetime(2026, 1, 1)})))
    assert data["event"] == "log"
    assert data["message"] == "x 1"
    assert data["when"] == "2026-01-01 00:00:00"


def test_an_exception_is_kept_in_the_object() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    data = json.loads(JsonFormatter().format(record))
    assert "ValueError: boom" in data["exception"]


def _page(url: str, verdict: Verdict, error: str | None = None) -> PageRecord:
    status = 404 if error else 200
    return PageRecord(url, None, status, "text/html", 0, verdict, error=error)


@pytest.mark.parametrize(("verbose", "expected"), [(False, ["fetch_error"]), (True, ["page", "fetch_error"])])
def test_page_events_log_fetch_errors_and_every_page_only_when_verbose(
    verbose: bool, expected: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    on_page = page_events(verbose=verbose)
    with log_output("json"):
        on_page(_page("http://x/a", Verdict.COMPLIANT), 3)
        on_page(_page("http://x/gone", Verdict.FETCH_ERROR, "HTTP 404"), 2)
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [e["event"] for e in events] == expected
    assert events[-1]["url"] == "http://x/gone"
    assert events[-1]["error"] == "HTTP 404"


def test_log_output_leaves_logging_as_it_found_it(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    with log_output("json"):
        event(logging.getLogger("icp_audit.test"), "scheduled", "next", next_run="2026-01-01T18:30:00+00:00")
    assert json.loads(capsys.readouterr().out)["next_run"] == "2026-01-01T18:30:00+00:00"
    assert root.handlers == handlers
    assert root.level == level


@pytest.mark.parametrize(
    ("done", "queued", "errors", "seconds", "text"),
    [
        (0, 0, 0, 0.0, "0 done, 0 queued, 0 errors, 0.0 pages/s"),
        (30, 12, 1, 10.0, "30 done, 12 queued, 1 errors, 3.0 pages/s"),
        (5, 0, 0, 2.0, "5 done, 0 queued, 0 errors, 2.5 pages/s"),
    ],
)
def test_the_bar_shows_done_queued_errors_and_rate(
    done: int, queued: int, errors: int, seconds: float, text: str
) -> None:
    assert bar_text(done, queued, errors, seconds) == text
