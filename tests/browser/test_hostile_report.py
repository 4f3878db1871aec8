"""A crawled site written by an attacker, through crawl → audit → storage → report, opened in Chromium.

Its titles, URLs, footer text and numbers carry <script>, attribute break-outs, javascript: links and
bidi controls. The report must show all of it as text: no script runs, no dialog opens, no link is
javascript:, and no U+202E can reorder what a reader sees.
"""

from __future__ import annotations

import html
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from crawler.static_server import serve_handler
from tests.browser.harness import BIDI, icp_audit, open_file, screenshot
from tests.conftest import audit_args

PWN = "window.__pwned=1;document.title='pwned';console.error('pwned');alert(1)"
SCRIPT = f"<script>{PWN}</script>"
BREAK_OUT = f'"><img src=x onerror="{PWN}">'
JS_LINK = f"javascript:{PWN}"
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: what follows displays reversed
EVIL_PATHS = [f"/p/{BREAK_OUT}", f"/p/{SCRIPT}", f"/p/{RLO}gnp.exe", f"/p/{html.escape(SCRIPT)}"]


def hostile_page(links: list[str]) -> bytes:
    """A page whose every part an attacker chose; the licence number shown is not ours (wrong-number)."""
    e = html.escape
    anchors = "".join(f'<a href="{e(u)}">{e(u)}</a> ' for u in [*links, JS_LINK])
    footer = (
        f"{e(SCRIPT)} {e(BREAK_OUT)} {RLO}1720120-2B陕 访问量 {e('<b>1,000</b>')} {e(JS_LINK)}"
        f'增值电信业务经营许可证：<a href="{e(JS_LINK)}">陕B2-20190001</a> {e(SCRIPT)}'
        f'<img src="/logo.png" alt="陕B2-20190002{e(BREAK_OUT)}">'
    )
    return (
        f"<!doctype html><html><head><meta charset=utf-8><title>{e(SCRIPT)}{RLO}{e(BREAK_OUT)}</title>"
        f"<script>{PWN}</script></head><body><nav>{anchors}</nav><main>首页</main>"
        f"<footer>{footer}</footer></body></html>"
    ).encode()


class Attacker(BaseHTTPRequestHandler):
    """Every path is the hostile page; the homepage also links the hostile URLs."""

    paths: list[str] = []  # noqa: RUF012 - the requests this module's server saw

    def do_GET(self) -> None:
        Attacker.paths.append(self.path)
        if self.path == "/robots.txt" or self.path.startswith("/sitemap"):
            body, status, kind = b"", 404, "text/plain"
        else:
            body, status, kind = hostile_page(EVIL_PATHS if self.path == "/" else []), 200, "text/html"
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real pipeline over the attacker's site: the CLI crawls, judges, stores and writes the report."""
    work = tmp_path_factory.mktemp("hostile")
    before = len(Attacker.paths)
    with serve_handler(Attacker) as base:
        done = icp_audit(*audit_args(base, work, "--today", "2026-11-27"))
    assert done.returncode == 2, done.stderr  # wrong numbers everywhere: error findings
    assert sum(p.startswith("/p/") for p in Attacker.paths[before:]) == len(
        EVIL_PATHS
    )  # every hostile URL was crawled
    return work / "out" / "run-1.html"


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["as-shipped", "escaping-alone"])
def test_no_script_runs_and_hostile_text_shows_as_text(
    browser: Browser, hostile_report: Path, bypass_csp: bool
) -> None:
    """With the report's CSP, and without it (so escaping alone must hold): nothing the attacker wrote runs."""
    with open_file(browser, hostile_report, bypass_csp=bypass_csp) as visit:
        page = visit.page
        if not bypass_csp:
            screenshot(page, "hostile-zh")
        visit.assert_quiet()  # no console.error('pwned'), no alert, no <img src=x> request
        assert page.evaluate("window.__pwned") is None
        assert "pwned" not in page.title()
        injected = page.evaluate(
            """() => ({
              scripts: document.scripts.length,
              images: document.images.length,
              handlers: [...document.querySelectorAll('*')].flatMap(
                  e => [...e.attributes].filter(a => a.name.startsWith('on')).map(a => a.name)),
            })"""
        )
        assert injected == {"scripts": 0, "images": 0, "handlers": []}
        text = page.inner_text("body")
    for shown in (SCRIPT, BREAK_OUT, JS_LINK, "陕B2-20190001", "<b>1,000</b>"):
        assert shown in text  # the attacker's text is there, as text


def test_no_link_is_javascript(browser: Browser, hostile_report: Path) -> None:
    with open_file(browser, hostile_report) as visit:
        links = visit.page.eval_on_selector_all(
            "a[href]", "els => els.map(a => [a.getAttribute('href'), a.protocol, a.textContent])"
        )
    assert links  # the hostile URLs are listed as links to the crawled pages
    for href, protocol, _ in links:
        assert protocol in ("http:", "https:", "file:") or href.startswith("#"), href
    assert any(BREAK_OUT in label for _, _, label in links)  # the break-out URL is a link's text, not markup


def test_bidi_controls_are_shown_not_obeyed(browser: Browser, hostile_report: Path) -> None:
    with open_file(browser, hostile_report) as visit:
        page = visit.page
        text = page.inner_text("body")
        attributes = page.evaluate(
            "() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.value))"
        )
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    assert not BIDI.search(text)  # no override left in the text, so nothing displays reversed
    assert not [a for a in attributes if BIDI.search(a)]
    assert "[U+202E]gnp.exe" in text  # the reader sees that the URL carried one
    assert "[U+202E]1720120-2B陕" in text  # and the footer
    assert any(h.endswith("/p/%E2%80%AEgnp.exe") for h in hrefs)  # the link still goes to the crawled URL
