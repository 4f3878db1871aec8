"""Another process holding the SQLite write lock mid-run: the audit waits (keeping pages in memory), or
exits 6 with the run failed and what was stored intact (issue 12)."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.outcome import EXIT_DATABASE
from crawler.static_server import serve_handler
from tests.conftest import LOCAL_PROFILE, audit_args
from tests.integration.quiet_handler import QuietHandler

PAGES = 300
LOCK_AT = "/p/120"  # after two batches of 50 were committed


class _Holder:
    """A second connection that takes the write lock on the database when the crawl reaches LOCK_AT."""

    def __init__(self) -> None:
        self.db: Path | None = None
        self.hold = 0.0
        self.started = threading.Event()
        self.released = threading.Event()

    def take(self) -> None:
        if self.started.is_set():
            return
        self.started.set()
        locked = threading.Event()
        threading.Thread(target=self._hold, args=(locked,), daemon=True).start()
        locked.wait(5)

    def _hold(self, locked: threading.Event) -> None:
        assert self.db is not None
        with closing(sqlite3.connect(self.db, isolation_level=None, timeout=10)) as conn:
            conn.execute("BEGIN EXCLUSIVE")
            locked.set()
            time.sleep(self.hold)
            conn.execute("COMMIT")
        self.released.set()


def _site(holder: _Holder) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:
            if self.path == "/":
                body = "".join(f'<a href="/p/{n}">{n}</a>' for n in range(1, PAGES + 1))
            elif self.path.startswith("/p/"):
                if self.path == LOCK_AT:
                    holder.take()
                body = f"<p>page {self.path}</p>"
            else:
                self.send_error(404)
                return
            html = f"<html><body><main>{body}</main><footer>陕B2-20210271</footer></body></html>"
            self.reply(200, html, "text/html; charset=utf-8")

    return Handler


@pytest.fixture
def holder() -> Iterator[_Holder]:
    holder = _Holder()
    yield holder
    holder.released.wait(30)  # never leave the lock holder running into another test


def _profile(tmp_path: Path, busy_timeout: float) -> Path:
    text = LOCAL_PROFILE.read_text("utf-8") + f"\n[storage]\nbusy_timeout = {busy_timeout}\n"
    text = text.replace("[crawl]\n", "[crawl]\nuse_sitemap = false\njudge_processes = 0\n")
    path = tmp_path / "busy.toml"
    path.write_text(text, "utf-8")
    return path


def _rows(db: Path) -> tuple[list[tuple[str, str | None]], int]:
    with closing(sqlite3.connect(db)) as conn:
        runs = conn.execute("SELECT status, error FROM runs").fetchall()
        pages = conn.execute("SELECT count(*) FROM pages").fetchone()[0]
    return runs, pages


def test_a_lock_held_longer_than_5_s_but_within_the_wait_delays_the_run_and_loses_nothing(
    tmp_path: Path, holder: _Holder, caplog: pytest.LogCaptureFixture
) -> None:
    holder.db, holder.hold = tmp_path / "a.db", 5.6  # the old fixed busy timeout was 5 s
    with serve_handler(_site(holder)) as base, caplog.at_level(logging.INFO, "icp_audit"):
        args = audit_args(base, tmp_path, config=_profile(tmp_path, 20.0))
        result = CliRunner().invoke(cli, args)

    assert holder.started.is_set()
    assert result.exit_code in (0, 2), result.output
    runs, pages = _rows(tmp_path / "a.db")
    assert runs == [("complete", None)]
    assert pages == PAGES + 1  # every page stored
    messages = [r.getMessage() for r in caplog.records]
    assert any("database" in m and "busy" in m for m in messages), messages


def test_a_lock_held_longer_than_the_wait_exits_6_with_the_run_failed_and_stored_pages_intact(
    tmp_path: Path, holder: _Holder
) -> None:
    holder.db, holder.hold = tmp_path / "a.db", 3.0
    with serve_handler(_site(holder)) as base:
        result = CliRunner().invoke(cli, audit_args(base, tmp_path, config=_profile(tmp_path, 0.5)))

    assert holder.started.is_set()
    assert result.exit_code == EXIT_DATABASE == 6, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, lines
    assert "busy" in lines[0], lines
    assert str(tmp_path / "a.db") in lines[0], lines
    runs, pages = _rows(tmp_path / "a.db")
    assert [status for status, _ in runs] == ["failed"]
    assert "busy" in (runs[0][1] or "")
    assert 100 <= pages < PAGES + 1  # the batches committed before the lock, and not the whole site
    with closing(sqlite3.connect(tmp_path / "a.db")) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        urls = [u for (u,) in conn.execute("SELECT url FROM pages ORDER BY id")]
    assert len(set(urls)) == len(urls)


def test_while_the_database_is_busy_the_pages_held_in_memory_stay_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio
    from datetime import UTC, date, datetime

    from crawler import ledger as ledger_module
    from crawler.ledger import Ledger
    from rules.model import LicenceFacts, Verdict
    from rules.records import PageRecord
    from storage import Database

    monkeypatch.setattr(ledger_module, "MAX_PENDING", 120)
    path, now = tmp_path / "a.db", datetime.now(UTC)
    licence = LicenceFacts(number="陕B2-20210271", holder="示例", valid_until=date(2099, 1, 1))
    holder = _Holder()
    holder.db, holder.hold = path, 1.0
    with Database.open(str(path)) as db:
        run_id = db.start_run(
            site="s", trigger="manual", tool_version="0", licence=licence, today=now.date(), started_at=now
        )
        ledger = Ledger(db, run_id, busy_timeout=10)
        held: list[int] = []

        async def crawl() -> None:  # a crawler adding pages as fast as it can while the lock is held
            for n in range(600):
                if n == 60:
                    holder.take()
                ledger.add(PageRecord(f"https://example.cn/{n}", None, 200, "text/html", 1, Verdict.MISSING))
                held.append(len(ledger.batch))
                await ledger.settle()
            await ledger.drain()

        asyncio.run(crawl())
        assert holder.released.wait(10)
        assert max(held) <= 120  # the crawl paused instead of growing the batch
        assert len(db.load_run(run_id).pages) == 600
