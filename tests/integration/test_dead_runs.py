"""A run whose audit died (its site lock no longer held) is shown and stored as `interrupted` by the commands
that read the database (`runs`, `report`, `export`, `health`), not only by the next audit; a run whose
audit still holds the lock stays `running`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.lock import lock_path, site_lock
from crawler.static_server import serve_handler
from rules.model import LicenceFacts
from storage import Database
from tests.conftest import LOCAL_PROFILE, audit_args
from tests.integration.peek_db import rows
from tests.integration.quiet_handler import EndlessTree

ROOT = Path(__file__).resolve().parents[2]
SITE = "朝前科技官网"  # tests/profiles/local.toml


class _Slow(EndlessTree):
    """An endless tree of slow pages: an audit of it runs until it is killed."""


@pytest.fixture(scope="module")
def slow_site() -> Iterator[str]:
    with serve_handler(_Slow) as base:
        yield base


def _statuses(db: Path) -> dict[int, str]:
    return dict(rows(db, "SELECT id, status FROM runs"))


def _wait_for_a_running_run(db: Path, audit: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        running = [run_id for run_id, status in _statuses(db).items() if status == "running"]
        if running:
            return running[0]
        assert audit.poll() is None, "the audit ended before its run started"
        time.sleep(0.05)
    raise AssertionError("no running run within 60 s")


def _runs_line(db: Path, run_id: int) -> str:
    result = CliRunner().invoke(cli, ["runs", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return next(line for line in result.output.splitlines() if line.split()[0] == str(run_id))


def test_a_sigkilled_audit_is_interrupted_in_runs_while_a_live_one_stays_running(
    slow_site: str, tmp_path: Path
) -> None:
    db = tmp_path / "a.db"
    args = audit_args(slow_site, tmp_path, "--max-pages", "100000")
    audit = subprocess.Popen([sys.executable, "-m", "crawler", *args], cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        run_id = _wait_for_a_running_run(db, audit)

        assert " running " in _runs_line(db, run_id)  # its audit holds the lock: it really is running
        assert _statuses(db)[run_id] == "running"
    finally:
        os.kill(audit.pid, signal.SIGKILL)
        audit.wait(timeout=30)

    assert " interrupted " in _runs_line(db, run_id)
    assert _statuses(db)[run_id] == "interrupted"
    with Database.open(str(db)) as database:
        assert database.load_run(run_id).info.error  # says why, as the next audit's marking does


def _a_running_run(db: Path, site: str = SITE) -> int:
    with Database.open(str(db)) as database:
        return database.start_run(
            site=site,
            trigger="manual",
            tool_version="0",
            licence=LicenceFacts(number="陕B2-20210271", holder="X", valid_until=date(2030, 1, 1)),
            today=date(2026, 11, 27),
            started_at=datetime.now(UTC),
        )


def _command(name: str, db: Path, tmp_path: Path) -> list[str]:
    return {
        "runs": ["runs", "--db", str(db)],
        "report": ["report", "--db", str(db), "--out", str(tmp_path / "out")],
        "export": ["export", "--db", str(db), "-o", str(tmp_path / "run.json")],
        "health": ["health", "--config", str(LOCAL_PROFILE), "--db", str(db)],
    }[name]


COMMANDS = ("runs", "report", "export", "health")


@pytest.mark.parametrize("command", COMMANDS)
def test_each_reading_command_marks_a_run_whose_lock_is_free(command: str, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    run_id = _a_running_run(db)
    with site_lock(str(db), SITE, datetime.now(UTC)):
        pass  # a lock file as a dead audit leaves it: present, held by nobody

    result = CliRunner().invoke(cli, _command(command, db, tmp_path))

    assert _statuses(db)[run_id] == "interrupted", result.output
    if command == "export":
        assert json.loads((tmp_path / "run.json").read_text("utf-8"))["run"]["status"] == "interrupted"
    if command == "health":
        assert f"last run #{run_id} interrupted" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_a_run_whose_lock_is_held_stays_running(command: str, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    run_id = _a_running_run(db)
    with site_lock(str(db), SITE, datetime.now(UTC)):  # this process is the live audit
        result = CliRunner().invoke(cli, _command(command, db, tmp_path))
    assert _statuses(db)[run_id] == "running", result.output
    if command == "health":
        assert f"last run #{run_id} running since" in result.output


def test_a_run_without_any_lock_file_is_interrupted_and_other_sites_are_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    dead, alive = _a_running_run(db), _a_running_run(db, site="另一个站点")
    assert not lock_path(str(db), SITE).exists()
    with site_lock(str(db), "另一个站点", datetime.now(UTC)):
        result = CliRunner().invoke(cli, ["runs", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert _statuses(db) == {dead: "interrupted", alive: "running"}


def test_the_lock_is_the_same_whatever_the_spelling_of_the_database_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An audit given an absolute path and `runs` given a relative one test the same lock."""
    db = tmp_path / "a.db"
    run_id = _a_running_run(db)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert lock_path("../a.db", SITE) == lock_path(str(db), SITE)
    with site_lock(str(db), SITE, datetime.now(UTC)):
        result = CliRunner().invoke(cli, ["runs", "--db", "../a.db"])
    assert _statuses(db)[run_id] == "running", result.output
