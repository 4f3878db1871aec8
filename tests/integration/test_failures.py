"""Runs that cannot work end with one clear line and the documented exit code, and lose nothing stored."""

from __future__ import annotations

import socket
import sqlite3
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.static_server import serve_handler
from tests.conftest import audit_args


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_site_records_a_failed_run_and_exits_4(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/"
    result = CliRunner().invoke(
        cli, ["audit", "--start-url", url, "--db", str(tmp_path / "a.db"), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 4, result.output
    assert "failed" in result.output
    assert "robots.txt" in result.output
    with sqlite3.connect(tmp_path / "a.db") as db:
        status, error = db.execute("select status, error from runs").fetchone()
    assert status == "failed"
    assert "\n" not in error
    assert (tmp_path / "out" / "run-1.html").exists()


def test_bad_start_url_is_one_line_and_exit_3(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["audit", "--start-url", "ftp://x", "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 3
    assert result.output.strip().count("\n") == 0
    assert "--start-url" in result.output
    assert "Traceback" not in result.output


def test_unwritable_output_folder_is_one_line_and_exit_7(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(
        cli,
        [
            "audit",
            "--start-url",
            "http://127.0.0.1:9/",
            "--db",
            str(tmp_path / "a.db"),
            "--out",
            str(blocker / "sub"),
        ],
    )
    assert result.exit_code == 7  # EXIT_OUTPUT: output cannot be written
    assert result.output.strip().count("\n") == 0
    assert "report folder" in result.output
    assert "--out" in result.output


def test_database_in_missing_folder_is_one_line_and_exit_3(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["runs", "--db", str(tmp_path / "nope" / "a.db")])
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    assert "nope" in result.output


def test_invalid_profile_prints_one_error_per_line_and_exits_3(tmp_path: Path) -> None:
    profile = tmp_path / "bad.toml"
    profile.write_text(
        '[site]\nname = "x"\nstart_urls = ["https://example.com/"]\nbogus = 1\n'
        '[licence]\nnumber = "not a number"\nholder = "h"\nvalid_until = 2026-08-30\n'
        "[crawl]\nconcurrency = 0\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["config", "check", str(profile)])
    assert result.exit_code == 3
    lines = result.output.strip().splitlines()
    assert len(lines) == 3
    assert any(line.startswith("site.bogus:") for line in lines)
    assert any(line.startswith("licence.number:") for line in lines)
    assert any(line.startswith("crawl.concurrency:") for line in lines)


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    args = ["runs", "--db", str(tmp_path / "nope" / "a.db")]
    plain = CliRunner().invoke(cli, args)
    debug = CliRunner().invoke(cli, ["--debug", *args])
    assert "Traceback" not in plain.output
    assert "Traceback" in debug.output
    assert plain.exit_code == debug.exit_code == 3


class _Always503(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(503)
        self.send_header("Retry-After", "1")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Drop(BaseHTTPRequestHandler):
    def handle(self) -> None:
        self.connection.shutdown(socket.SHUT_RDWR)  # accept, then drop without a byte


@pytest.mark.parametrize("handler", [_Always503, _Drop], ids=["503-everywhere", "drops-every-connection"])
def test_a_server_that_never_answers_well_ends_in_a_failed_run(
    handler: type[BaseHTTPRequestHandler], tmp_path: Path
) -> None:
    with serve_handler(handler) as base:
        started = time.monotonic()
        result = CliRunner().invoke(
            cli,
            audit_args(base, tmp_path),
        )
        elapsed = time.monotonic() - started
    assert result.exit_code == 4, result.output
    assert "robots.txt" in result.output
    assert elapsed < 20  # bounded: retries with capped Retry-After, never a hang
