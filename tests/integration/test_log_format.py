"""`--log-format json`: stdout carries only JSON lines a script can parse, one object per event."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from crawler.cli import cli
from tests.conftest import LOCAL_PROFILE, LocalSite


def _audit(site: LocalSite, work: Path, *extra: str, env: dict[str, str] | None = None) -> Result:
    args = ["audit", "--config", str(LOCAL_PROFILE), "--start-url", f"{site.base}/"]
    args += ["--db", str(work / "audit.db"), "--out", str(work / "out"), "--today", "2026-11-27", *extra]
    return CliRunner().invoke(cli, args, env=env)


def _events(stdout: str) -> list[dict[str, Any]]:
    lines = stdout.splitlines()
    assert lines
    return [json.loads(line) for line in lines]  # every line parses: nothing else is on stdout


@pytest.fixture(scope="module")
def json_audit(company_site: LocalSite, tmp_path_factory: pytest.TempPathFactory) -> Result:
    return _audit(company_site, tmp_path_factory.mktemp("json"), "--log-format", "json")


def test_stdout_is_only_json_lines_from_run_start_to_run_end(json_audit: Result) -> None:
    assert json_audit.exit_code == 2, json_audit.output
    events = _events(json_audit.stdout)
    assert all({"time", "event", "level", "message"} <= e.keys() for e in events)
    assert all(e["time"].endswith("+00:00") for e in events)
    names = [e["event"] for e in events]
    assert names.count("run_start") == 1
    assert names.count("run_end") == 1
    assert names.index("run_start") < names.index("run_end")
    assert "page" not in names  # one event per fetch only with --verbose


def test_run_start_and_run_end_carry_their_fields(json_audit: Result) -> None:
    events = {e["event"]: e for e in _events(json_audit.stdout)}
    assert events["run_start"]["site"] == "朝前科技官网"
    assert events["run_start"]["trigger"] == "manual"
    end = events["run_end"]
    assert isinstance(end["run_id"], int)
    assert end["status"] == "complete"
    assert end["counts"]["fetch_errors"] == 1
    assert end["counts"]["pages"] > 20
    assert end["report"].endswith(f"run-{end['run_id']}.html")
    assert Path(end["report"]).is_file()
    assert end["exit_code"] == 2


def test_the_404_is_a_fetch_error_event(json_audit: Result) -> None:
    errors = [e for e in _events(json_audit.stdout) if e["event"] == "fetch_error"]
    assert [e["url"].rsplit("/", 1)[1] for e in errors] == ["gone.html"]
    assert errors[0]["error"]
    assert errors[0]["level"] == "warning"


def test_env_var_and_verbose_log_every_page(company_site: LocalSite, tmp_path: Path) -> None:
    result = _audit(company_site, tmp_path, "--verbose", env={"ICP_AUDIT_LOG_FORMAT": "json"})
    events = _events(result.stdout)
    pages = [e for e in events if e["event"] == "page"]
    assert len(pages) + 1 == next(e for e in events if e["event"] == "run_end")["counts"]["pages"]
    assert {"url", "status", "verdict", "elapsed_ms"} <= pages[0].keys()


def test_text_mode_prints_the_summary_as_before(company_site: LocalSite, tmp_path: Path) -> None:
    result = _audit(company_site, tmp_path)
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("run ")
    assert lines[1].startswith("report: ")


def test_schedule_announces_its_next_run_as_a_scheduled_event(tmp_path: Path) -> None:
    args = [sys.executable, "-m", "crawler", "schedule", "--config", str(LOCAL_PROFILE)]
    args += ["--db", str(tmp_path / "s.db"), "--out", str(tmp_path / "out")]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "ICP_AUDIT_LOG_FORMAT": "json"}
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    assert proc.stdout is not None
    with proc.stdout:
        events: list[dict[str, Any]] = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(e["event"] == "scheduled" for e in events):
            line = proc.stdout.readline()
            if not line:
                break
            events.append(json.loads(line))
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        events += [json.loads(line) for line in proc.stdout.read().splitlines()]
    scheduled = next(e for e in events if e["event"] == "scheduled")
    # Creating the database runs Alembic, whose INFO chatter must not reach the container's log.
    assert not [e for e in events if e.get("logger", "").startswith("alembic")], events
    assert scheduled["next_run"].endswith("T02:30:00+08:00")
