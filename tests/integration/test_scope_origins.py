"""The crawl scope is scheme + host + port, and every origin's robots.txt is read before its first
request: three local servers on OS-assigned ports of 127.0.0.1 — the site, a second origin of the
site (in `allowed_hosts` as 127.0.0.1:PORT, its robots.txt disallowing /private/) and a "victim" on
another port that no profile names. The victim must receive nothing, in static and in browser mode,
whatever the page links, redirects to, imports, frames or a page script sends; the browser forwards
only GET and HEAD without a body, to the site itself too.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.audit import run_audit
from crawler.client import make_client
from crawler.config import Profile
from crawler.profiles import load_profile, with_overrides
from rules.records import RunRecord
from storage import Database
from tests.conftest import LOCAL_PROFILE
from tests.integration.routed_server import Server, page, serving

TODAY = date(2026, 1, 15)
FOOTER = "<footer>西安朝前智能科技有限公司 增值电信业务经营许可证：陕B2-20210271</footer>"


def _site_routes(site: str, second: str, victim: str) -> dict[str, tuple[int, str, str]]:
    """The site: its homepage names the victim in every way a page can, and the second origin's
    disallowed style sheets and frames."""
    script = f"""<script>
      fetch("{victim}/fetch-post", {{method: "POST", body: JSON.stringify({{a: 1}}),
                                     headers: {{"content-type": "application/json"}}}});
      fetch("{victim}/fetch-get");
      fetch("/delete-me", {{method: "DELETE"}});
      fetch("/put-me", {{method: "PUT", body: "x"}});
      var x = new XMLHttpRequest(); x.open("POST", "{victim}/xhr"); x.send("{{}}");
      navigator.sendBeacon("{victim}/beacon", "{{}}");
      navigator.sendBeacon("/beacon-self", "{{}}");
      try {{ new WebSocket("{victim.replace("http://", "ws://")}/socket"); }} catch (e) {{}}
      new EventSource("{victim}/events");
      document.getElementById("f").submit();
    </script>"""
    home = f"""
      <link rel="stylesheet" href="{victim}/linked.css">
      <link rel="stylesheet" href="{second}/private/hidden.css">
      <link rel="stylesheet" href="{second}/open.css">
      <link rel="alternate" hreflang="en" href="{victim}/alternate.html">
      <link rel="prefetch" href="{victim}/prefetch.html"><link rel="preconnect" href="{victim}">
      <style>@import url("{victim}/imported.css");</style>
      <a href="{victim}/linked.html">partner</a> <a href="/go">go</a> <a href="/to-private">p</a>
      <map name="m"><area href="{victim}/area.html"></map>
      <img src="{victim}/pixel.png"><script src="{victim}/tracker.js"></script>
      <form id="f" method="post" action="{victim}/form" target="sink"><input name="a" value="1"></form>
      <iframe name="sink" src="{victim}/framed.html"></iframe>
      {script}
      {FOOTER.replace("</footer>", f'<iframe src="{second}/private/frame.html"></iframe></footer>')}
    """
    return {
        "/": page(home),
        "/robots.txt": (
            200,
            "text/plain",
            f"User-agent: *\nAllow: /\nSitemap: {victim}/sitemap.xml\nSitemap: {site}/sitemap.xml\n"
            f"Sitemap: {second}/private/sitemap.xml\n",
        ),
        "/sitemap.xml": (
            200,
            "application/xml",
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{victim}/listed.html</loc></url></urlset>',
        ),
        "/go": (302, "text/html", f"{victim}/redirected.html"),
        "/to-private": (302, "text/html", f"{second}/private/page.html"),
    }


def _second_routes() -> dict[str, tuple[int, str, str]]:
    return {
        "/robots.txt": (200, "text/plain", "User-agent: *\nDisallow: /private/\n"),
        "/open.css": (200, "text/css", "footer { color: #333 }"),
        "/private/hidden.css": (200, "text/css", "footer { display: none }"),
        "/private/frame.html": page(FOOTER),
        "/private/page.html": page(FOOTER),
    }


@dataclass
class Audit:
    site: Server
    second: Server
    victim: Server
    record: RunRecord
    aborted: list[tuple[str, str]]  # (method, URL) of the browser_request_aborted events


def _profile(site: Server, second: Server, render: str) -> Profile:
    base = load_profile(str(LOCAL_PROFILE))
    base = base.model_copy(
        update={"site": base.site.model_copy(update={"allowed_hosts": [f"127.0.0.1:{second.port}"]})}
    )
    profile = with_overrides(base, start_urls=(f"{site.base}/",), max_depth=2)
    crawl = {"render": render, "render_timeout": 30.0, "judge_processes": 0}
    return profile.model_copy(update={"crawl": profile.crawl.model_copy(update=crawl)})


async def _run(profile: Profile, db: Database) -> int:
    async with make_client(profile) as client:
        outcome = await run_audit(profile, client=client, db=db, now=lambda: datetime.now(UTC), today=TODAY)
    return outcome.run_id


class _Aborts(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.seen: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "event", None) == "browser_request_aborted":
            fields = getattr(record, "fields", {})
            self.seen.append((fields["method"], fields["url"]))


def _audit(render: str, tmp: Path) -> Audit:
    site, second, victim = Server(), Server(), Server()
    with ExitStack() as stack:
        for server in (site, second, victim):
            stack.enter_context(serving(server))
        site.routes = _site_routes(site.base, second.base, victim.base)
        second.routes = _second_routes()
        victim.routes = {"/linked.html": page(FOOTER)}
        aborts = _Aborts()
        logger = logging.getLogger("icp_audit.run")
        level = logger.level
        logger.addHandler(aborts)
        logger.setLevel(logging.INFO)
        db = Database.open(str(tmp / f"{render}.db"))
        try:
            run_id = asyncio.run(_run(_profile(site, second, render), db))
            record = db.load_run(run_id)
        finally:
            db.close()
            logger.removeHandler(aborts)
            logger.setLevel(level)
    return Audit(site, second, victim, record, aborts.seen)


@pytest.fixture(scope="module")
def static(tmp_path_factory: pytest.TempPathFactory) -> Audit:
    return _audit("never", tmp_path_factory.mktemp("static"))


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Audit:
    return _audit("always", tmp_path_factory.mktemp("browser"))


@pytest.fixture(params=["static", "browser"])
def audit(request: pytest.FixtureRequest) -> Audit:
    result: Audit = request.getfixturevalue(request.param)
    return result


def _pages(audit: Audit) -> dict[str, tuple[str, str | None]]:
    return {p.url: (p.verdict.value, p.error) for p in audit.record.pages}


def test_the_victim_on_another_port_receives_nothing(audit: Audit) -> None:
    assert audit.victim.paths() == []
    assert audit.site.paths()[:2] == ["/robots.txt", "/sitemap.xml"]  # its own sitemap: read, and kept to


def test_a_redirect_to_another_port_is_recorded_and_not_followed(audit: Audit) -> None:
    verdict, error = _pages(audit)[f"{audit.site.base}/go"]
    assert verdict == "fetch-error"
    assert error is not None
    assert error.startswith("off_scope_redirect"), error


def test_the_second_origin_reads_its_robots_txt_before_anything_else(audit: Audit) -> None:
    paths = audit.second.paths()
    assert paths[0] == "/robots.txt"
    assert paths.count("/robots.txt") == 1
    assert "/open.css" in paths  # allowed: fetched after its robots.txt was read
    assert not [p for p in paths if p.startswith("/private/")]


def test_disallowed_sheets_frames_and_redirects_of_the_second_origin_are_recorded(audit: Audit) -> None:
    pages = _pages(audit)
    second = audit.second.base
    assert pages[f"{second}/private/hidden.css"] == ("skipped", "disallowed by robots.txt")
    assert pages[f"{second}/private/frame.html"] == ("skipped", "disallowed by robots.txt")
    verdict, error = pages[f"{audit.site.base}/to-private"]
    assert verdict == "fetch-error"
    assert error is not None
    assert "blocked_redirect" in error
    assert "disallowed by robots.txt" in error


def test_the_site_itself_is_only_read(audit: Audit) -> None:
    with audit.site.lock:
        seen = list(audit.site.log)
    assert {s.method for s in seen} <= {"GET", "HEAD"}
    assert not [s for s in seen if s.body]
    assert "/delete-me" not in {urlsplit(s.path).path for s in seen}


def test_the_browser_aborts_and_records_every_write(browser: Audit) -> None:
    victim, site = browser.victim.base, browser.site.base
    assert {
        ("POST", f"{victim}/fetch-post"),
        ("POST", f"{victim}/xhr"),
        ("POST", f"{victim}/beacon"),
        ("POST", f"{victim}/form"),
        ("DELETE", f"{site}/delete-me"),
        ("PUT", f"{site}/put-me"),
        ("POST", f"{site}/beacon-self"),
    } <= set(browser.aborted)
    home = next(p for p in browser.record.pages if p.url == f"{site}/")
    assert home.verdict.value == "compliant"  # rendered and judged all the same
