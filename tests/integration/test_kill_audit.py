"""SIGKILL `icp-audit audit` processes 20 times at random moments: no corruption, no lost page, no run left running."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from crawler.static_server import serve_handler
from tests.conftest import LOCAL_PROFILE, audit_args
from tests.integration.peek_db import rows
from tests.integration.quiet_handler import EndlessTree
from tests.line_process import LineProcess

ROOT = Path(__file__).resolve().parents[2]
KILLS = 20
SEED = 20261127  # fixed: a failure replays with the same delays
MAX_PAGES = "60"  # an audit ends within the delays: some kills land after its run closed


class _Endless(EndlessTree):
    """An endless tree of small pages, each a little slow, so a crawl commits batch after batch."""

    delay = 0.05  # 60 pages at concurrency 8 take >= 0.4 s even on a fast machine
    fanout = 8

    def page(self, links: str) -> str:
        return f"<body>{links}<footer>陕B2-20210271</footer></body>"


@pytest.fixture(scope="module")
def endless_site() -> Iterator[str]:
    with serve_handler(_Endless) as base:
        yield base


def _snapshot(db: Path) -> dict[int, tuple[str, int]]:
    """Each run's status and committed page count, as another process reads them; {} before the schema exists."""
    found = rows(
        db,
        "SELECT runs.id, runs.status, count(pages.id) FROM runs"
        " LEFT JOIN pages ON pages.run_id = runs.id GROUP BY runs.id",
    )
    return {run_id: (status, pages) for run_id, status, pages in found}


def _integrity(db: Path) -> str:
    with closing(sqlite3.connect(db, timeout=5)) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


# A fork server: it pays the seconds of importing once, then per "go" forks a process that runs
# `python -m crawler audit ...` (crawler/__main__.py, as the shell would) and answers with its pid;
# "reap PID" waits for that process and answers with how it ended. 20 cold starts would not fit in
# the test's time on a busy two-core machine.
_FORK_SERVER = """
import os, runpy, sys
argv = ["crawler", *sys.argv[1:]]
import crawler.cli, crawler.jobs, crawler.progress, storage.database  # the audit command imports them lazily
print("ready", flush=True)
for line in sys.stdin:
    if line.startswith("reap "):
        _, status = os.waitpid(int(line.split()[1]), 0)
        print(os.waitstatus_to_exitcode(status), flush=True)
        continue
    pid = os.fork()
    if pid:
        print(pid, flush=True)
        continue
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    sys.argv = argv
    code = 0
    try:
        runpy.run_module("crawler", run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    os._exit(code)
"""


class _ForkServer(LineProcess):
    """Talks to `_FORK_SERVER`: start an audit, kill it, reap it."""

    def __init__(self, args: list[str]) -> None:
        super().__init__(_FORK_SERVER, *args, cwd=ROOT)

    def start(self) -> int:
        """Fork one audit; its pid."""
        return int(self.ask("go"))

    def reap(self, pid: int) -> int:
        """Wait for the audit `pid` to end; its exit code (-9 when killed)."""
        return int(self.ask(f"reap {pid}"))

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.communicate()


def _audit_args(base: str, tmp_path: Path) -> list[str]:
    args = audit_args(base, tmp_path, "--max-pages", MAX_PAGES)
    profile = tmp_path / "p.toml"
    profile.write_text(
        LOCAL_PROFILE.read_text("utf-8").replace("concurrency = 4", "concurrency = 8"), "utf-8"
    )
    args[args.index(str(LOCAL_PROFILE))] = str(profile)
    return args


@pytest.fixture
def fork_server(endless_site: str, tmp_path: Path) -> Iterator[_ForkServer]:
    server = _ForkServer(_audit_args(endless_site, tmp_path))
    yield server
    server.close()


def test_killing_audits_at_random_moments_never_corrupts_loses_pages_or_leaves_a_run_running(
    endless_site: str, tmp_path: Path, fork_server: _ForkServer
) -> None:
    rng, db = random.Random(SEED), tmp_path / "a.db"

    seen: dict[int, tuple[str, int]] = {}
    phases = {"before its run": 0, "mid-run": 0, "after its run closed": 0}
    for kill in range(KILLS):
        pid = fork_server.start()
        try:
            time.sleep(rng.uniform(0.1, 1.5))
            committed = _snapshot(db)  # what was committed just before the kill must survive it
        finally:
            os.kill(pid, signal.SIGKILL)
            code = fork_server.reap(pid)
        after = _snapshot(db)

        assert code in (-signal.SIGKILL, 2), f"kill {kill}: the audit ended with {code}"
        if db.exists():
            assert _integrity(db) == "ok", f"kill {kill}"
        for run_id, (_, pages) in {**seen, **committed}.items():
            assert after[run_id][1] >= pages, f"kill {kill}: run {run_id} lost pages"
        # The audit marks runs left running by dead processes before it starts its own: at most the
        # newest run can still be running, and no earlier run ever is.
        running = [run_id for run_id, (status, _) in after.items() if status == "running"]
        assert running in ([], [max(after, default=0)]), f"kill {kill}: {after}"
        new = set(after) - set(seen)
        if not new:
            phases["before its run"] += 1
        else:
            phases["mid-run" if after[max(new)][0] == "running" else "after its run closed"] += 1
        seen = after

    # The next start, a plain `python -m crawler audit` left to finish, closes every killed run.
    final = subprocess.run(
        [sys.executable, "-m", "crawler", *_audit_args(endless_site, tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert final.returncode == 2, final.stderr  # complete, with the findings of a footer-only site
    statuses = _snapshot(db)
    assert _integrity(db) == "ok"
    assert statuses[max(statuses)][0] == "complete"
    assert {status for status, _ in statuses.values()} <= {"interrupted", "complete"}, statuses
    for run_id, (_, pages) in seen.items():
        assert statuses[run_id][1] == pages
    # The seed must have hit the crawl itself, not only start-up, for the test to mean anything.
    assert phases["mid-run"] >= 2, phases  # the kills really land inside runs, not only around them
