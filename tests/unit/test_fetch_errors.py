"""fetch.py's mapping of transport failures and statuses to FetchResult (httpx.MockTransport, no sockets)."""

from __future__ import annotations

import asyncio
import gzip
import ssl
import zlib

import httpx
import pytest

from crawler.fetch import FetchError, FetchResult, FetchSettings, fetch
from crawler.robots import Robots, load_robots

SETTINGS = FetchSettings(retries=2, backoff_base=0.001, page_timeout=5)


def _run(
    handler: httpx.MockTransport, url: str = "http://site.test/", settings: FetchSettings = SETTINGS
) -> FetchResult:
    async def go() -> FetchResult:
        async with httpx.AsyncClient(transport=handler) as client:
            return await fetch(client, url, settings)

    return asyncio.run(go())


def _raising(exc: Exception, calls: list[int]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise exc

    return httpx.MockTransport(handler)


@pytest.mark.parametrize(
    ("exc", "kind", "attempts"),
    [
        (httpx.ConnectError("refused"), FetchError.CONNECT, 3),
        (httpx.ReadTimeout("slow"), FetchError.TIMEOUT, 3),
        (httpx.RemoteProtocolError("reset"), FetchError.PROTOCOL, 3),
    ],
)
def test_transport_errors_are_retried_then_recorded(exc: Exception, kind: FetchError, attempts: int) -> None:
    calls: list[int] = []
    result = _run(_raising(exc, calls))
    assert result.error is kind
    assert result.html is None
    assert len(calls) == attempts == result.attempts


def test_tls_failure_is_recorded_and_never_retried() -> None:
    calls: list[int] = []
    error = httpx.ConnectError("certificate verify failed")
    error.__cause__ = ssl.SSLCertVerificationError("self-signed")
    result = _run(_raising(error, calls))
    assert result.error is FetchError.TLS
    assert len(calls) == 1


def test_5xx_is_retried_and_429_honours_retry_after() -> None:
    statuses = iter([503, 429, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        status = next(statuses)
        headers = {"Retry-After": "0"} if status == 429 else {"Content-Type": "text/html"}
        return httpx.Response(status, headers=headers, content=b"<p>ok</p>")

    result = _run(httpx.MockTransport(handler))
    assert result.ok
    assert result.attempts == 3


def test_404_is_not_retried() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(404)

    result = _run(httpx.MockTransport(handler))
    assert (result.status, result.error, len(calls)) == (404, FetchError.HTTP, 1)


def test_redirects_off_scope_and_loops() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        targets = {"/out": "https://elsewhere.test/", "/a": "/b", "/b": "/a"}
        return httpx.Response(301, headers={"Location": targets[request.url.path]})

    scoped = FetchSettings(retries=0, in_scope=lambda url: "site.test" in url)
    off = _run(httpx.MockTransport(handler), "http://site.test/out", scoped)
    loop = _run(httpx.MockTransport(handler), "http://site.test/a", scoped)
    assert off.error is FetchError.OFF_SCOPE_REDIRECT
    assert loop.error is FetchError.REDIRECT_LOOP


def test_a_self_redirect_with_a_new_cookie_each_time_ends_at_the_redirect_cap() -> None:
    calls: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.headers.get("cookie", "").encode())
        return httpx.Response(302, headers={"Location": "/", "Set-Cookie": f"n={len(calls)}"})

    result = _run(httpx.MockTransport(handler), settings=FetchSettings(retries=0))
    assert result.error is FetchError.TOO_MANY_REDIRECTS
    assert calls[:3] == [b"", b"n=1", b"n=2"]


def test_cookies_of_one_fetch_are_kept_for_the_next_through_the_settings() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("cookie", ""))
        return httpx.Response(
            200, headers={"Set-Cookie": "a=1", "Content-Type": "text/html"}, content=b"<p>x"
        )

    settings = FetchSettings(retries=0)

    async def go() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            for url in ("http://site.test/", "http://site.test/x", "http://other.test/"):
                await fetch(client, url, settings)
            assert not client.cookies  # httpx's own jar keeps nothing: the run's jar decides

    asyncio.run(go())
    assert seen == ["", "a=1", ""]  # never to another host


def test_body_cap_and_non_html() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/big":
            return httpx.Response(200, headers={"Content-Type": "text/html"}, content=b"x" * 5000)
        return httpx.Response(200, headers={"Content-Type": "application/pdf"}, content=b"%PDF-1.4")

    small = FetchSettings(retries=0, max_body_bytes=1024)
    assert _run(httpx.MockTransport(handler), "http://site.test/big", small).error is FetchError.TOO_LARGE
    pdf = _run(httpx.MockTransport(handler), "http://site.test/doc.pdf", small)
    assert (pdf.error, pdf.status, pdf.content_type) == (FetchError.NOT_HTML, 200, "application/pdf")


def test_gzip_and_deflate_are_inflated_and_a_stacked_bomb_stops_at_the_cap() -> None:
    page = "<html><body>压缩的页面</body></html>".encode()
    bomb = gzip.compress(gzip.compress(bytes(50_000_000)))  # ~50 KB that inflate to 50 MB in two steps

    def handler(request: httpx.Request) -> httpx.Response:
        body, coding = {
            "/gzip": (gzip.compress(page), "gzip"),
            "/deflate": (zlib.compress(page), "deflate"),
            "/raw-deflate": (zlib.compress(page, wbits=-15), "deflate"),
            "/bomb": (bomb, "gzip, gzip"),
            "/corrupt": (b"\x1f\x8b not gzip", "gzip"),
        }[request.url.path]
        headers = {"Content-Type": "text/html", "Content-Encoding": coding}
        return httpx.Response(200, headers=headers, stream=httpx.ByteStream(body))  # not read in advance

    small = FetchSettings(retries=0, max_body_bytes=100_000)
    for path in ("/gzip", "/deflate", "/raw-deflate"):
        assert _run(httpx.MockTransport(handler), f"http://site.test{path}", small).html == page.decode()
    bombed = _run(httpx.MockTransport(handler), "http://site.test/bomb", small)
    assert (bombed.error, bombed.error_detail) == (FetchError.TOO_LARGE, "body exceeds 100000 bytes")
    assert _run(httpx.MockTransport(handler), "http://site.test/corrupt", small).error is FetchError.PROTOCOL


@pytest.mark.parametrize("status", [204, 205, 304])
def test_a_bodiless_answer_is_no_page_but_an_empty_robots_txt(status: int) -> None:
    transport = httpx.MockTransport(
        lambda request: httpx.Response(status, headers={"Content-Type": "text/html"})
    )
    page = _run(transport, settings=FetchSettings(retries=0))
    assert (page.status, page.error, page.body) == (status, FetchError.NO_CONTENT, None)

    async def robots() -> Robots:
        async with httpx.AsyncClient(transport=transport) as client:
            return await load_robots(
                client, "http://site.test", FetchSettings(retries=0, accept_any_type=True)
            )

    loaded = asyncio.run(robots())
    assert not loaded.unreachable  # an empty robots.txt: everything allowed, as before
    assert loaded.allows("http://site.test/x")
