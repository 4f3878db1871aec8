"""A server that misbehaves on purpose (Scrapy's mock-server idea): the run still completes and records it all."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.static_server import serve_handler
from tests.conftest import LOCAL_PROFILE

FOOTER = "<footer>增值电信业务经营许可证：陕B2-20210271</footer>"
LINKS = [
    "/nan-retry",
    "/hex-charset",
    "/bad-link",
    "/loop-a",
    "/utm-redirect",
    "/to-private",
    "/slow",
    "/deep",
    "/brotli",
]


class Hostile(BaseHTTPRequestHandler):
    requests: list[str] = []  # noqa: RUF012 - shared log, one server per module

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        Hostile.requests.append(self.path)
        name = path.strip("/").replace("-", "_").replace(".", "_") or "index"
        route = getattr(self, f"route_{name}", None)
        if route is None:
            self._send(404, b"gone")
        else:
            route()

    def _send(self, status: int, body: bytes, ctype: str = "text/html", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def route_index(self) -> None:
        links = "".join(f'<a href="{u}">x</a>' for u in LINKS)
        self._send(200, f"<html><body>{links}{FOOTER}</body></html>".encode())

    def route_robots_txt(self) -> None:
        base = f"http://127.0.0.1:{self.server.server_port}"  # type: ignore[attr-defined]
        self._send(
            200, f"User-agent: *\nDisallow: /private/\nSitemap: {base}/index.xml\n".encode(), "text/plain"
        )

    def route_index_xml(self) -> None:  # a sitemap index naming another host and a corrupt gzip
        body = (
            "<sitemapindex><sitemap><loc>http://elsewhere.invalid/evil.xml</loc></sitemap>"
            f"<sitemap><loc>http://127.0.0.1:{self.server.server_port}/broken.xml.gz</loc></sitemap>"  # type: ignore[attr-defined]
            "</sitemapindex>"
        )
        self._send(200, body.encode(), "application/xml")

    def route_broken_xml_gz(self) -> None:
        self._send(200, gzip.compress(b"<urlset><url><loc>/x</loc></url></urlset>")[:20], "application/gzip")

    def route_nan_retry(self) -> None:
        self._send(503, b"busy", retry_after="nan")

    def route_hex_charset(self) -> None:
        self._send(200, f'<meta charset="undefined"><body>{FOOTER}</body>'.encode(), "text/html; charset=hex")

    def route_bad_link(self) -> None:
        self._send(
            200, f'<body><a href="/b\x7fad">ctl</a><a href="/{"x" * 70000}">long</a>{FOOTER}</body>'.encode()
        )

    def route_loop_a(self) -> None:
        self._send(302, b"", location="/loop-b")

    def route_loop_b(self) -> None:
        self._send(302, b"", location="/loop-a")

    def route_utm_redirect(self) -> None:
        if "utm_source" in self.path:
            self._send(200, f"<body>{FOOTER}</body>".encode())
        else:
            self._send(302, b"", location="/utm-redirect?utm_source=self")

    def route_to_private(self) -> None:
        self._send(302, b"", location="/private/x")

    def route_private_x(self) -> None:
        self._send(200, f"<body>{FOOTER}</body>".encode())

    def route_deep(
        self,
    ) -> None:  # just inside extract.MAX_NESTING (5,000): parsed off the event loop, and judged
        self._send(200, ("<div>" * 4900 + FOOTER + "</div>" * 4900).encode())

    def route_brotli(self) -> None:  # a coding we never offered: still-compressed bytes are no page
        self._send(200, b"\x1b\x03\x00\xf8\xa5\x40", content_encoding="br")

    def route_slow(self) -> None:
        time.sleep(3)
        self._send(200, b"late")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def hostile() -> Iterator[str]:
    with serve_handler(Hostile) as base:
        yield base


def test_a_hostile_site_is_audited_to_the_end(hostile: str, tmp_path: Path) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text(
        LOCAL_PROFILE.read_text("utf-8")
        .replace("page_timeout = 5.0", "page_timeout = 1.0")
        .replace("retries = 0", "retries = 1"),
        "utf-8",
    )
    result = CliRunner().invoke(
        cli,
        [
            "audit",
            "--config",
            str(profile),
            "--start-url",
            f"{hostile}/",
            "--db",
            str(tmp_path / "a.db"),
            "--out",
            str(tmp_path / "out"),
            "--json",
            str(tmp_path / "r.json"),
        ],
    )
    assert result.exit_code == 2, result.output
    pages = {
        urlsplit(p["url"]).path: p for p in json.loads((tmp_path / "r.json").read_text("utf-8"))["pages"]
    }
    assert pages["/"]["verdict"] == "compliant"
    assert pages["/hex-charset"]["verdict"] == "compliant"  # a non-text codec label is ignored, not fatal
    assert pages["/bad-link"]["verdict"] == "compliant"  # links with control characters or 70 KB are dropped
    assert pages["/nan-retry"]["verdict"] == "fetch-error"  # Retry-After: nan did not hang the retry
    assert pages["/nan-retry"]["status"] == 503
    assert pages["/loop-a"]["error"].startswith("redirect_loop")
    assert pages["/utm-redirect"]["verdict"] == "compliant"  # adding a tracking parameter is not a loop
    assert pages["/slow"]["error"].startswith("timeout")
    assert pages["/deep"]["verdict"] == "compliant"
    assert pages["/brotli"]["error"].startswith("protocol: unsupported Content-Encoding br")
    assert pages["/to-private"]["error"].startswith("blocked_redirect")  # robots.txt holds across redirects
    assert "/private/x" not in Hostile.requests
    assert not [r for r in Hostile.requests if "elsewhere" in r]
    assert "/index.xml" in Hostile.requests
    assert "/broken.xml.gz" in Hostile.requests  # fetched, found corrupt, ignored
