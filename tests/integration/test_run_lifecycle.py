"""One audit per site at a time, interrupted runs closed as such, and usage errors mapped to exit 3."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.lock import site_lock
from crawler.profiles import load_profile
from crawler.static_server import serve_handler
from storage import Database
from tests.conftest import LOCAL_PROFILE, LocalSite, audit_args


def test_a_second_audit_of_the_same_site_exits_5_naming_the_holder(
    company_site: LocalSite, tmp_path: Path
) -> None:
    with site_lock(str(tmp_path / "a.db"), "朝前科技官网", datetime.now(UTC)):
        result = CliRunner().invoke(cli, audit_args(company_site.base, tmp_path))
    assert result.exit_code == 5, result.output
    assert "another audit of 朝前科技官网 is running (pid " in result.output
    assert result.output.strip().count("\n") == 0
    after = CliRunner().invoke(cli, audit_args(company_site.base, tmp_path))  # released: runs normally
    assert after.exit_code == 2, after.output


def test_a_run_left_running_by_a_dead_process_is_marked_interrupted(
    company_site: LocalSite, tmp_path: Path
) -> None:
    db = Database.open(str(tmp_path / "a.db"))
    stale = db.start_run(
        site="朝前科技官网",
        trigger="manual",
        tool_version="0",
        today=date(2026, 11, 27),
        licence=load_profile(str(LOCAL_PROFILE)).licence.facts(),
        started_at=datetime.now(UTC),
    )
    db.close()
    assert CliRunner().invoke(cli, audit_args(company_site.base, tmp_path)).exit_code == 2
    with sqlite3.connect(tmp_path / "a.db") as conn:
        statuses = dict(conn.execute("select id, status from runs").fetchall())
    assert statuses == {stale: "interrupted", stale + 1: "complete"}


@pytest.mark.parametrize(
    "args",
    [
        ["audit", "--fail-on", "bogus"],
        ["audit", "--max-pages", "0"],
        ["audit", "--nonsense"],
        ["export", "--run", "abc"],
        ["report", "--run", "abc"],
        ["diff", "x", "y"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_3_not_2(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, args)
    assert not list(tmp_path.iterdir())  # a usage error creates no database or report
    assert result.exit_code == 3, result.output


class _Slow(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            body = b""
        else:
            time.sleep(0.4)
            links = "".join(
                f'<a href="{self.path.rstrip("/")}/{i}">p</a>' for i in range(10)
            )  # an endless tree
            body = f"<body>{links}<footer>陕B2-20210271</footer></body>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def slow_site() -> Iterator[str]:
    with serve_handler(_Slow) as base:
        yield base


def _wait_for_committed_pages(db: Path, at_least: int, within: float) -> int:
    """Poll the audit's database until it holds at_least pages; the schema may not exist yet."""
    deadline = time.monotonic() + within
    committed = 0
    while time.monotonic() < deadline and committed < at_least:
        time.sleep(0.2)
        if not db.exists():
            continue
        try:
            with sqlite3.connect(db) as conn:
                committed = conn.execute("select count(*) from pages").fetchone()[0]
        except sqlite3.OperationalError:  # the file exists before its tables do
            continue
    return committed


def test_sigterm_mid_crawl_keeps_committed_pages_and_marks_the_run_interrupted(
    slow_site: str, tmp_path: Path
) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text(
        LOCAL_PROFILE.read_text("utf-8").replace("concurrency = 4", "concurrency = 8"), "utf-8"
    )
    args = [sys.executable, "-m", "crawler", *audit_args(slow_site, tmp_path)]
    args[args.index(str(LOCAL_PROFILE))] = str(profile)
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        committed = _wait_for_committed_pages(tmp_path / "a.db", at_least=50, within=20)
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:  # never leak the audit when the wait or the signal failed
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, output
    assert "interrupted" in output
    with sqlite3.connect(tmp_path / "a.db") as conn:
        status, error = conn.execute("select status, error from runs").fetchone()
        pages = conn.execute("select count(*) from pages").fetchone()[0]
    assert status == "interrupted"
    assert error
    assert pages >= committed >= 50


def test_when_the_command_ends_the_database_file_alone_holds_the_run(
    company_site: LocalSite, tmp_path: Path
) -> None:
    # The console script skips the interpreter's last collection at exit: the database must have
    # been closed first, folding SQLite's write-ahead log into the file (a copied .db is complete).
    args = [
        sys.executable,
        "-c",
        "from crawler.cli import main; main()",
        *audit_args(company_site.base, tmp_path),
    ]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2, done.stderr
    db = tmp_path / "a.db"
    assert not (tmp_path / "a.db-wal").exists()
    copy = tmp_path / "copy.db"
    copy.write_bytes(db.read_bytes())
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT status FROM runs").fetchall() == [("complete",)]
        assert conn.execute("SELECT count(*) FROM pages").fetchone()[0] >= 25
