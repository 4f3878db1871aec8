"""`icp-audit schedule` end to end: the cron fires and the audit completes; a restart after a missed
period catches up at once; SIGTERM mid-audit leaves the run `interrupted` and exits 0."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.static_server import serve_handler
from rules.records import RunInfo, RunStatus
from storage import Database
from tests.conftest import LOCAL_PROFILE

_SLOW = threading.Event()  # set: every page takes 0.3 s, so an audit is still running when SIGTERM comes


class _Site(BaseHTTPRequestHandler):
    """Twelve compliant pages linked from the homepage; slow while `_SLOW` is set."""

    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            body = b""
        else:
            if _SLOW.is_set():
                time.sleep(0.3)
            links = "".join(f'<a href="/p{i}">p{i}</a>' for i in range(12)) if self.path == "/" else ""
            body = f"<html><body>{links}<footer>陕B2-20210271</footer></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    _SLOW.clear()
    with serve_handler(_Site) as base:
        yield base + "/"
    _SLOW.clear()


@dataclass
class _Scheduler:
    """A running `icp-audit schedule` process and the JSON-lines events it has printed so far."""

    proc: subprocess.Popen[str]
    events: list[dict[str, Any]] = field(default_factory=list)

    def wait_for(self, wanted: str, within: float, **fields: Any) -> dict[str, Any]:
        """Read events until one named `wanted` with `fields` arrives; fail after `within` seconds."""
        assert self.proc.stdout is not None
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()  # the scheduler logs at least once per run, never hangs long
            if not line:
                break
            self.events.append(json.loads(line))
            last = self.events[-1]
            if last["event"] == wanted and all(last.get(k) == v for k, v in fields.items()):
                return last
        raise AssertionError(f"no {wanted} {fields} within {within} s; saw {self.events}")

    def stop(self) -> int:
        """SIGTERM, then the exit code (10 s at most, as the issue requires)."""
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=10)


@pytest.fixture
def start_scheduler(tmp_path: Path) -> Iterator[Any]:
    started: list[_Scheduler] = []

    def start(profile: Path) -> _Scheduler:
        args = [sys.executable, "-m", "crawler", "schedule", "--config", str(profile)]
        args += ["--db", str(tmp_path / "s.db"), "--out", str(tmp_path / "out")]
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "ICP_AUDIT_LOG_FORMAT": "json"}
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        started.append(_Scheduler(proc))
        return started[-1]

    yield start
    for scheduler in started:  # never leak a scheduler when an assertion failed
        if scheduler.proc.poll() is None:
            scheduler.proc.kill()
        scheduler.proc.communicate()


def _profile(folder: Path, start_url: str, cron: str) -> Path:
    text = LOCAL_PROFILE.read_text("utf-8").replace(
        'start_urls = ["http://127.0.0.1:9/"]', f'start_urls = ["{start_url}"]'
    )
    path = folder / "site.toml"
    path.write_text(text + f'\n[schedule]\ncron = "{cron}"\ntimezone = "Asia/Shanghai"\n', "utf-8")
    return path


def _cron_at(moment: datetime) -> str:
    """A six-field cron (seconds first) that fires once a day at `moment`, in Shanghai time."""
    local = moment.astimezone(ZoneInfo("Asia/Shanghai"))
    return f"{local.second} {local.minute} {local.hour} * * *"


def _runs(db: Path) -> list[RunInfo]:
    with Database.open(str(db)) as database:
        return sorted(database.list_runs(limit=None), key=lambda r: r.id)


def test_the_cron_fires_a_few_seconds_ahead_and_the_audit_completes(
    site: str, tmp_path: Path, start_scheduler: Any
) -> None:
    manual = CliRunner().invoke(
        cli,
        [
            "audit",
            "--config",
            str(_profile(tmp_path, site, "30 2 * * *")),
            "--db",
            str(tmp_path / "s.db"),
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert manual.exit_code == 2, manual.output  # complete (the licence has expired): no catch-up is due
    fire_at = datetime.now(UTC) + timedelta(seconds=4)
    scheduler = start_scheduler(_profile(tmp_path, site, _cron_at(fire_at)))
    scheduled = scheduler.wait_for("scheduled", within=15)
    assert (
        scheduled["next_run"]
        == fire_at.astimezone(ZoneInfo("Asia/Shanghai")).replace(microsecond=0).isoformat()
    )
    end = scheduler.wait_for("run_end", within=20)
    assert scheduler.stop() == 0
    assert (end["trigger"], end["status"], end["counts"]["pages"]) == ("schedule", "complete", 13)
    assert not [e for e in scheduler.events if e["event"] == "catch_up"]
    runs = _runs(tmp_path / "s.db")
    assert [(r.trigger, r.status) for r in runs] == [
        ("manual", RunStatus.COMPLETE),
        ("schedule", RunStatus.COMPLETE),
    ]
    assert runs[1].started_at >= fire_at.replace(microsecond=0)  # not before its time


def test_a_restart_after_a_missed_period_catches_up_and_sigterm_leaves_it_interrupted(
    site: str, tmp_path: Path, start_scheduler: Any
) -> None:
    profile = _profile(tmp_path, site, "*/3 * * * * *")  # a period of 3 s stands in for a night
    first = start_scheduler(profile)
    first.wait_for("run_end", within=20, trigger="catch-up", status="complete")  # no run yet: catch up
    assert first.stop() == 0
    last_complete = max(r.started_at for r in _runs(tmp_path / "s.db") if r.status == RunStatus.COMPLETE)
    time.sleep(max(0.0, (last_complete + timedelta(seconds=3.5) - datetime.now(UTC)).total_seconds()))

    _SLOW.set()  # the container was down past a period; the restart's catch-up audit is slow
    second = start_scheduler(profile)
    second.wait_for("catch_up", within=15)
    started = second.wait_for("run_start", within=15, trigger="catch-up")
    time.sleep(1.0)  # mid-crawl: the homepage and a few pages judged
    assert second.stop() == 0
    assert started["site"] == "朝前科技官网"
    runs = _runs(tmp_path / "s.db")
    assert runs[-1].trigger == "catch-up"
    assert runs[-1].status == RunStatus.INTERRUPTED
    assert all(r.status != RunStatus.RUNNING for r in runs)
