"""A site's own http:// → https:// redirect on the default ports is followed (a start URL on port 80
stands for its host, http and https), the https origin's robots.txt is read before the redirect is
followed, and another port of the same host stays off-site. Ports 80, 443 and 8080 are the ones the
client asks for; its connection layer (tests/integration/loopback_names.py) connects them to local
servers on OS-assigned ports, the https one with the self-signed certificate of tests/certs, trusted
by this client only.
"""

from __future__ import annotations

import asyncio
import ssl
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from crawler.audit import AuditOutcome, run_audit
from crawler.profiles import load_profile, with_overrides
from rules.records import RunRecord, RunStatus
from storage import Database
from tests.conftest import LOCAL_PROFILE
from tests.integration.loopback_names import LoopbackNames, loopback_client
from tests.integration.routed_server import CERTS, Server, page, serving

FOOTER = "<footer>西安朝前智能科技有限公司 增值电信业务经营许可证：陕B2-20210271</footer>"


@dataclass
class Crawl:
    outcome: AuditOutcome
    record: RunRecord
    plain: Server
    secure: Server
    other_port: Server


async def _audit(db: Database, names: LoopbackNames) -> AuditOutcome:
    profile = with_overrides(load_profile(str(LOCAL_PROFILE)), start_urls=("http://127.0.0.1/",))
    crawl = profile.crawl.model_copy(update={"use_sitemap": False, "judge_processes": 0})
    profile = profile.model_copy(update={"crawl": crawl})
    trusted = ssl.create_default_context(cafile=str(CERTS / "cert.pem"))
    async with loopback_client(names, trusted) as client:
        return await run_audit(
            profile, client=client, db=db, now=lambda: datetime.now(UTC), today=date(2026, 1, 15)
        )


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    plain = Server(
        {
            "/robots.txt": (200, "text/plain", "User-agent: *\nAllow: /\n"),
            "/": (301, "text/html", "https://127.0.0.1/"),
        }
    )
    links = '<a href="/about">a</a> <a href="/private/x">p</a> <a href="http://127.0.0.1:8080/">8080</a>'
    secure = Server(
        {
            "/robots.txt": (200, "text/plain", "User-agent: *\nDisallow: /private/\n"),
            "/": page(links + FOOTER),
            "/about": page(FOOTER),
            "/private/x": page(FOOTER),
        }
    )
    other_port = Server({"/": page(FOOTER)})
    with ExitStack() as stack:
        for server, tls in ((plain, False), (secure, True), (other_port, False)):
            stack.enter_context(serving(server, tls))
        names = LoopbackNames({80: plain.port, 443: secure.port, 8080: other_port.port})
        db = Database.open(str(tmp_path_factory.mktemp("ports") / "a.db"))
        try:
            outcome = asyncio.run(_audit(db, names))
            record = db.load_run(outcome.run_id)
        finally:
            db.close()
    return Crawl(outcome, record, plain, secure, other_port)


def test_the_sites_own_http_to_https_redirect_is_followed(crawled: Crawl) -> None:
    assert crawled.outcome.status is RunStatus.COMPLETE, crawled.outcome.error
    pages = {p.url: (p.final_url, p.verdict.value) for p in crawled.record.pages}
    assert pages["http://127.0.0.1/"] == ("https://127.0.0.1/", "compliant")
    assert pages["https://127.0.0.1/about"] == ("https://127.0.0.1/about", "compliant")
    assert pages["https://127.0.0.1/private/x"] == (None, "skipped")


def test_the_https_robots_txt_is_read_before_the_redirect_is_followed(crawled: Crawl) -> None:
    assert crawled.plain.paths() == ["/robots.txt", "/"]
    assert crawled.secure.paths()[0] == "/robots.txt"
    assert crawled.secure.paths().count("/robots.txt") == 1
    assert "/private/x" not in crawled.secure.paths()


def test_another_port_of_the_same_host_is_off_site(crawled: Crawl) -> None:
    assert crawled.other_port.paths() == []
    assert "http://127.0.0.1:8080/" not in {p.url for p in crawled.record.pages}
