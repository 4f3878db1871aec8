"""Sitemaps read through fetch from a local server at the protocol's limits: what is cut is said (NET-003)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

import httpx
import pytest

from crawler.fetch import FetchSettings
from crawler.sitemaps import MAX_SITEMAP_BYTES, MAX_SITEMAP_URLS, MAX_SITEMAPS, Found, read_sitemaps
from crawler.static_server import serve_handler

SETTINGS = FetchSettings(
    retries=0, page_timeout=10, accept_any_type=True, truncate=True, max_body_bytes=MAX_SITEMAP_BYTES
)


def _urlset(base: str, count: int) -> bytes:
    return b"<urlset>" + b"".join(b"<url><loc>%s/p%d</loc></url>" % (base.encode(), i) for i in range(count))


class Sitemaps(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        base = f"http://127.0.0.1:{self.server.server_port}"  # type: ignore[attr-defined]
        path = urlsplit(self.path).path
        if path == "/many.xml":
            body = _urlset(base, MAX_SITEMAP_URLS + 5)
        elif path == "/fan-out.xml":
            locs = "".join(f"<sitemap><loc>{base}/s{i}.xml</loc></sitemap>" for i in range(MAX_SITEMAPS + 4))
            body = f"<sitemapindex>{locs}</sitemapindex>".encode()
        elif path.startswith("/s") and path[2:3].isdigit():
            body = _urlset(base, 1)
        elif path == "/long.xml":
            body = _urlset(base, 100) + b" " * 5000 + b"</urlset>"
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serve_handler(Sitemaps) as url:
        yield url


def _read(base: str, path: str, settings: FetchSettings = SETTINGS) -> Found:
    async def go() -> Found:
        async with httpx.AsyncClient() as client:
            return await read_sitemaps(client, [base + path], settings, lambda _u: True, source="robots.txt")

    return asyncio.run(go())


def test_a_sitemap_over_50000_urls_is_cut_and_says_so(base: str) -> None:
    found = _read(base, "/many.xml")
    assert len(found.pages) == MAX_SITEMAP_URLS
    assert found.problems == [(f"{base}/many.xml", "lists more than 50,000 URLs: the rest were ignored")]


def test_an_index_naming_too_many_sitemaps_says_how_many_were_left(base: str) -> None:
    found = _read(base, "/fan-out.xml")
    assert len(found.pages) == MAX_SITEMAPS - 1  # the index itself is one of the files read
    assert found.problems == [(f"{base}/s19.xml", f"not read: over {MAX_SITEMAPS} sitemaps (5 left unread)")]


def test_a_sitemap_over_the_size_cap_is_read_up_to_it_and_says_so(base: str) -> None:
    found = _read(base, "/long.xml", replace(SETTINGS, max_body_bytes=2000))
    assert 0 < len(found.pages) < 100
    assert found.problems == [(f"{base}/long.xml", "larger than 2,000 bytes: only the first 2,000 were read")]


def test_a_missing_sitemap_nobody_named_is_no_problem_but_a_named_one_is(base: str) -> None:
    async def go(guessed: bool) -> Found:
        async with httpx.AsyncClient() as client:
            return await read_sitemaps(
                client,
                [f"{base}/none.xml"],
                SETTINGS,
                lambda _u: True,
                source="robots.txt",
                guessed=guessed,
            )

    assert asyncio.run(go(True)).problems == []
    assert asyncio.run(go(False)).problems == [(f"{base}/none.xml", "could not be fetched: HTTP 404")]
