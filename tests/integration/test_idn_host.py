"""An internationalised start URL (http://例子.测试:PORT/) is one site with its punycode form: the homepage
redirects to http://xn--fsqu00a.xn--0zwm56d:PORT/home and links to the same host written in other ways
(Unicode, upper case, a trailing dot, ideographic full stop); all of it is crawled, its robots.txt read
once. 例子.测试 cannot resolve here: the client's connection layer (an httpcore network backend) connects
every name to 127.0.0.1 (tests/integration/loopback_names.py), so the HTTP exchange itself, Host
header included, is the real one.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from crawler.audit import AuditOutcome, run_audit
from crawler.profiles import load_profile, with_overrides
from crawler.static_server import serve_handler
from rules.records import RunRecord, RunStatus
from storage import Database
from tests.conftest import LOCAL_PROFILE
from tests.integration.loopback_names import LoopbackNames, loopback_client
from tests.integration.quiet_handler import QuietHandler

PUNY = "xn--fsqu00a.xn--0zwm56d"  # 例子.测试
FOOTER = "<footer>西安朝前智能科技有限公司 增值电信业务经营许可证：陕B2-20210271</footer>"


def _handler(log: list[tuple[str, str]], lock: threading.Lock) -> type[QuietHandler]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:
            with lock:
                log.append((self.headers.get("host", ""), self.path))
            port = self.server.server_port  # type: ignore[attr-defined]
            links = [
                f"http://例子.测试:{port}/about",
                f"http://XN--FSQU00A.xn--0zwm56d.:{port}/contact",
                f"http://例子。测试:{port}/news",
            ]
            pages = {
                "/home": "".join(f'<a href="{u}">x</a>' for u in links) + FOOTER,
                "/about": FOOTER,
                "/contact": FOOTER,
                "/news": FOOTER,
            }
            if self.path == "/":
                self.reply(301, b"", headers={"Location": f"http://{PUNY}:{port}/home"})
            elif self.path == "/robots.txt":
                self.reply(200, b"User-agent: *\nAllow: /\n", "text/plain")
            elif self.path in pages:
                body = f"<!doctype html><html><body>{pages[self.path]}</body></html>".encode()
                self.reply(200, body, "text/html; charset=utf-8")
            else:
                self.reply(404, b"<h1>404</h1>")

    return Handler


async def _audit(port: int, db: Database, names: LoopbackNames) -> AuditOutcome:
    profile = with_overrides(load_profile(str(LOCAL_PROFILE)), start_urls=(f"http://例子.测试:{port}/",))
    profile = profile.model_copy(
        update={"crawl": profile.crawl.model_copy(update={"use_sitemap": False, "judge_processes": 0})}
    )
    async with loopback_client(names) as client:
        return await run_audit(
            profile, client=client, db=db, now=lambda: datetime.now(UTC), today=date(2026, 1, 15)
        )


@pytest.fixture(scope="module")
def crawled(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[AuditOutcome, RunRecord, list[tuple[str, str]], int, LoopbackNames]:
    log: list[tuple[str, str]] = []
    names = LoopbackNames()
    with serve_handler(_handler(log, threading.Lock())) as base:
        port = int(base.rsplit(":", 1)[1])
        db = Database.open(str(Path(tmp_path_factory.mktemp("idn")) / "a.db"))
        try:
            outcome = asyncio.run(_audit(port, db, names))
            record = db.load_run(outcome.run_id)
        finally:
            db.close()
    return outcome, record, log, port, names


def test_the_idn_site_is_crawled_through_its_punycode_redirect(crawled: Any) -> None:
    outcome, record, _log, port, _names = crawled
    assert outcome.status is RunStatus.COMPLETE, outcome.error
    origin = f"http://{PUNY}:{port}"
    verdicts = {p.url: p.verdict.value for p in record.pages}
    assert verdicts == {
        f"{origin}/": "compliant",  # its final URL is /home
        f"{origin}/about": "compliant",
        f"{origin}/contact": "compliant",
        f"{origin}/news": "compliant",
    }


def test_its_robots_txt_is_read_once_and_every_request_named_the_idn_host(crawled: Any) -> None:
    _outcome, _record, log, port, names = crawled
    assert [path for _host, path in log].count("/robots.txt") == 1
    assert {host for host, _path in log} == {f"{PUNY}:{port}"}
    assert {name for name, _port in names.asked} == {PUNY}
