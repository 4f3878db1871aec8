"""A page that takes too long to judge gets a RULE-ERROR finding while the run goes on, and SIGTERM
ends an audit within 2 s also while a big page is being judged (issue 12), in the crawler's process
and in a judging process.

The slow pages are linear work, just a lot of it: tens of thousands of ICP numbers in one footer.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.static_server import serve_folder
from tests.conftest import LOCAL_PROFILE, LocalSite, audit_args

STOP_BOUND = 5.0  # seconds from SIGTERM to exit: the promise is 2 s, the rest absorbs a busy CI machine
LICENCE = "增值电信业务经营许可证：陕B2-20210271"


def _numbers_page(count: int) -> str:
    numbers = " ".join(f"京ICP证{100000 + i % 800000}号" for i in range(count))
    return f"<html><body><main>关于</main><footer>{LICENCE} {numbers}</footer></body></html>"


@pytest.fixture(scope="module")
def slow_pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalSite]:
    """/ links a 1 MB page (seconds of judging) and a plain one; /big.html is 3.8 MB (about 8 s)."""
    root = tmp_path_factory.mktemp("slow")
    ok = f"<html><body><main>关于</main><footer>{LICENCE}</footer></body></html>"
    links = '<a href="/slow.html">s</a> <a href="/ok.html">o</a>'
    (root / "index.html").write_text(ok.replace("<main>", f"<main>{links}"), "utf-8")
    (root / "ok.html").write_text(ok, "utf-8")
    (root / "slow.html").write_text(_numbers_page(50_000), "utf-8")
    (root / "big.html").write_text(_numbers_page(200_000), "utf-8")
    log: list[str] = []
    with serve_folder(root, log=log) as base:
        yield LocalSite(base, log)


def _profile(tmp_path: Path, processes: int, timeout: float) -> Path:
    extra = f"[crawl]\njudge_processes = {processes}\njudge_timeout = {timeout}\n"
    path = tmp_path / "p.toml"
    path.write_text(LOCAL_PROFILE.read_text("utf-8").replace("[crawl]\n", extra, 1), "utf-8")
    return path


@pytest.mark.parametrize("processes", [0, 1])
def test_a_page_over_the_cpu_deadline_gets_a_rule_error_and_the_run_goes_on(
    slow_pages: LocalSite, tmp_path: Path, processes: int
) -> None:
    profile = _profile(tmp_path, processes, 0.2)
    result = CliRunner().invoke(cli, audit_args(slow_pages.base, tmp_path, config=profile))
    assert result.exit_code == 2, result.output
    with sqlite3.connect(tmp_path / "a.db") as db:
        (status,) = db.execute("select status from runs").fetchone()
        pages = dict(db.execute("select url, coalesce(error, verdict) from pages").fetchall())
        findings = db.execute(
            "select f.rule, f.message from findings f join pages p on p.id = f.page_id"
            " where p.url like '%slow.html'"
        ).fetchall()
    assert status == "complete"
    assert pages[f"{slow_pages.base}/slow.html"].startswith("judge: JudgeTimeout: ")
    assert findings == [("RULE-ERROR", "page could not be judged: JudgeTimeout")]
    assert pages[f"{slow_pages.base}/ok.html"] == "compliant"


@pytest.mark.parametrize("processes", [0, 1])
def test_sigterm_while_a_big_page_is_judged_ends_the_audit_at_once(
    slow_pages: LocalSite, tmp_path: Path, processes: int
) -> None:
    profile = _profile(tmp_path, processes, 600)
    args = [sys.executable, "-m", "crawler", *audit_args(slow_pages.base, tmp_path, config=profile)]
    args[args.index(f"{slow_pages.base}/")] = f"{slow_pages.base}/big.html"
    asked = len(slow_pages.log)
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        limit = time.monotonic() + 30
        while "/big.html" not in slow_pages.log[asked:] and time.monotonic() < limit:
            time.sleep(0.05)
        assert "/big.html" in slow_pages.log[asked:], "the audit never fetched the page"
        time.sleep(1.0)  # fetched and decoded in well under a second: now it is being judged
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:  # never leak the audit when the wait or the signal failed
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, output
    assert took < STOP_BOUND, f"{took:.1f} s from SIGTERM to exit"
    with sqlite3.connect(tmp_path / "a.db") as db:
        (status,) = db.execute("select status from runs").fetchone()
        (pages,) = db.execute("select count(*) from pages").fetchone()
    assert status == "interrupted"
    assert pages == 0  # it was still being judged
