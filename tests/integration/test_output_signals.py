"""SIGTERM and SIGINT while a stored run's report or JSON is written: no temporary file stays, the
files already there stay whole, and the message says the run is stored and what to rerun (real processes)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.cli_options import close_databases
from tests.conftest import LocalSite, audit_args

COPIES = (
    800  # of the company site's ~31 pages: a report of ~25,000 pages, several MB written for about a second
)


def _temporary(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _enlarge(db: Path, copies: int) -> None:
    """Copy the run's pages under new URLs, so that its report takes a while to write."""
    with sqlite3.connect(db) as conn:
        cols = ", ".join(c[1] for c in conn.execute("pragma table_info(pages)") if c[1] not in ("id", "url"))
        conn.execute(
            "with recursive n(i) as (select 1 union all select i + 1 from n where i < ?) "
            f"insert into pages (url, {cols}) select url || '?copy=' || i, {cols} from pages, n",
            (copies,),
        )


def _waits_on_fifo(pid: int) -> bool:
    """Whether the process is blocked opening a FIFO that has no reader (Linux)."""
    try:
        return Path(f"/proc/{pid}/wchan").read_text() == "wait_for_partner"
    except OSError:
        return False


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_mid_report_leaves_no_temporary_file_and_the_previous_latest_whole(
    company_site: LocalSite, tmp_path: Path, sig: signal.Signals
) -> None:
    assert CliRunner().invoke(cli, audit_args(company_site.base, tmp_path)).exit_code == 2
    close_databases()
    out = tmp_path / "out"
    previous = (out / "latest.html").read_bytes()
    _enlarge(tmp_path / "a.db", COPIES)
    args = [sys.executable, "-m", "crawler", "report", "--db", str(tmp_path / "a.db"), "--out", str(out)]

    def writing(
        _proc: subprocess.Popen[bytes],
    ) -> bool:  # the new run-1.html is being written: a large temporary file
        return any(p.stat().st_size > 256_000 for p in out.glob(".run-1.html.*"))

    code, message = _signal_when(args, writing, sig)
    assert code == 130, message
    assert len(message.splitlines()) == 1, message
    assert f"stopped ({sig.name})" in message
    assert "icp-audit report --run 1" in message
    assert _temporary(out) == []
    assert (out / "latest.html").read_bytes() == previous


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_in_the_report_phase_of_an_audit_says_the_run_is_stored_and_still_writes_json(
    company_site: LocalSite, tmp_path: Path, sig: signal.Signals
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    fifo = tmp_path / "nobody-reads"
    os.mkfifo(fifo)
    (out / "latest.html").symlink_to(fifo)  # written through, and with no reader it waits: the report phase
    json_path = tmp_path / "run.json"
    args = [
        sys.executable,
        "-m",
        "crawler",
        *audit_args(company_site.base, tmp_path, "--json", str(json_path)),
    ]
    code, err = _signal_when(args, _blocked_after(out / "run-1.html"), sig)  # on into latest.html
    assert code == 130, err
    message = err.splitlines()
    assert len(message) == 1, message
    assert "run 1 is complete and stored" in message[0]
    assert f"icp-audit report --run 1 --out {out}" in message[0]
    assert f"--json {json_path} written" in message[0]
    assert "marked interrupted" not in message[0]
    assert json.loads(json_path.read_text("utf-8"))["run"]["status"] == "complete"
    with sqlite3.connect(tmp_path / "a.db") as conn:
        assert conn.execute("select status from runs").fetchone()[0] == "complete"
    assert _temporary(out) == []
    assert (out / "latest.html").is_symlink()
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def _blocked_after(started: Path) -> Callable[[subprocess.Popen[bytes]], bool]:
    """Ready once `started` exists and the process waits on a FIFO nobody reads."""
    return lambda proc: started.exists() and _waits_on_fifo(proc.pid)


def _signal_when(
    args: list[str], ready: Callable[[subprocess.Popen[bytes]], bool], sig: signal.Signals
) -> tuple[int, str]:
    """Run `args` until `ready` (at most 90 s), send `sig`, and return its exit code and stderr; the
    process is never left running, and it must end within 5 s of the signal (issue 12 promises 2 s;
    5 s absorbs CI noise)."""
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while not ready(proc) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert proc.poll() is None, f"it ended before the signal could be sent: {proc.communicate()}"
        sent = time.monotonic()
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert took < 5.0, f"the process took {took:.1f} s to end after {sig.name}"
    return proc.returncode, err.decode("utf-8").strip()


def test_a_signal_while_audit_writes_json_says_how_to_export_it(
    company_site: LocalSite, tmp_path: Path
) -> None:
    fifo = tmp_path / "run.json"
    os.mkfifo(fifo)
    args = [sys.executable, "-m", "crawler", *audit_args(company_site.base, tmp_path, "--json", str(fifo))]
    code, err = _signal_when(args, _blocked_after(tmp_path / "out" / "index.html"), signal.SIGTERM)
    assert code == 130, err
    line = err.splitlines()[-1]
    assert "stopped (SIGTERM) while writing --json" in line
    assert "run 1 is complete and stored" in line
    assert f"icp-audit export --run 1 -o {fifo}" in line
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_signal_while_export_writes_says_how_to_export_again(
    company_site: LocalSite, tmp_path: Path
) -> None:
    assert CliRunner().invoke(cli, audit_args(company_site.base, tmp_path)).exit_code == 2
    close_databases()
    fifo = tmp_path / "run.csv"
    os.mkfifo(fifo)
    args = [sys.executable, "-m", "crawler", "export", "--db", str(tmp_path / "a.db"), "--format", "csv"]
    code, err = _signal_when([*args, "-o", str(fifo)], _blocked_after(tmp_path / "a.db"), signal.SIGTERM)
    assert code == 130, err
    assert err.splitlines() == [
        "icp-audit: stopped (SIGTERM) while writing the csv export of run 1: the stored run is unchanged and "
        f"no file is half-written; write it again with: icp-audit export --run 1 --format csv -o {fifo}"
    ]
