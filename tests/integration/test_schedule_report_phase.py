"""The scheduler's messages after a stored run tell the truth: a shutdown while the alerts of a complete
run are sent says the run is complete and stored (it is, not interrupted), and a report that cannot be
written says the run is stored and how to write the report (it ran; it was not "not run")."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from crawler import schedule
from crawler.config import Profile
from crawler.notify_config import NotifyConfig, WebhookConfig
from crawler.profiles import load_profile, with_overrides
from crawler.static_server import serve_handler
from rules.records import RunStatus
from storage import Database
from tests.conftest import LOCAL_PROFILE, LocalSite

_ASKED = threading.Event()


class _SlowHook(BaseHTTPRequestHandler):
    """A webhook receiver that takes 3 s to answer (the shutdown arrives meanwhile)."""

    def do_POST(self) -> None:
        _ASKED.set()
        threading.Event().wait(3.0)
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def slow_hook() -> Iterator[str]:
    _ASKED.clear()
    with serve_handler(_SlowHook) as base:
        yield base + "/hook"


def _profile(site: str, hook: str | None = None) -> Profile:
    profile = with_overrides(load_profile(str(LOCAL_PROFILE)), start_urls=(f"{site}/",))
    if hook is None:
        return profile
    notify = NotifyConfig(timeout=10.0, every_run=True, webhooks=[WebhookConfig(kind="json", url=hook)])
    return profile.model_copy(update={"notify": notify})


def _messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "icp_audit.schedule"]


def test_a_shutdown_while_alerts_are_sent_says_the_run_is_complete(
    company_site: LocalSite, slow_hook: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    db = Database.open(str(tmp_path / "a.db"))

    async def go() -> None:
        task = asyncio.create_task(
            schedule._nightly(_profile(company_site.base, slow_hook), db, tmp_path, "zh")
        )
        assert await asyncio.to_thread(_ASKED.wait, 30.0)  # the alert is on its way
        task.cancel()  # what the scheduler does on SIGTERM
        await task

    try:
        asyncio.run(go())
        runs = db.list_runs()
    finally:
        db.close()
    assert [r.status for r in runs] == [RunStatus.COMPLETE]
    said = _messages(caplog)[-1]
    assert "interrupted" not in said
    assert f"run {runs[0].id} is complete and stored" in said
    assert "alerts were not sent" in said


def test_a_report_that_cannot_be_written_is_not_called_not_run(
    company_site: LocalSite, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    out = tmp_path / "out"
    (out / "latest.html").mkdir(parents=True)  # the folder is writable, its latest.html is a folder
    db = Database.open(str(tmp_path / "a.db"))
    try:
        asyncio.run(schedule._nightly(_profile(company_site.base), db, out, "zh"))
        runs = db.list_runs()
    finally:
        db.close()
    assert [r.status for r in runs] == [RunStatus.COMPLETE]
    said = _messages(caplog)[-1]
    assert "not run" not in said
    assert f"run {runs[0].id} is complete and stored, but its report was not written" in said
    assert f"icp-audit report --run {runs[0].id}" in said
