"""The run's cookie jar: per host, sent back as they came, bad ones refused (no sockets)."""

from __future__ import annotations

import asyncio

import httpx

from crawler.client import make_client
from crawler.cookies import COOKIE_MAX_BYTES, COOKIES_PER_HOST, CookieJar
from crawler.profiles import load_profile


def _jar(url: str, *set_cookies: bytes, now: float = 1000.0) -> CookieJar:
    jar = CookieJar(now=lambda: now)
    jar.store(url, set_cookies)
    return jar


def test_a_utf8_value_is_sent_back_as_its_bytes() -> None:
    jar = _jar("http://a.test/", "city=西安".encode())
    assert jar.header("http://a.test/x") == "city=西安".encode()


def test_cookies_never_reach_another_host_whatever_their_domain_says() -> None:
    jar = _jar("http://www.a.test/", b"s=1; Domain=a.test", b"t=2")
    assert jar.header("http://a.test/") is None
    assert jar.header("http://b.test/") is None
    assert jar.header("http://WWW.A.TEST:8080/") == b"s=1; t=2"  # a host, whatever the port (RFC 6265)


def test_refused_cookies_are_ignored_and_the_rest_kept() -> None:
    jar = _jar(
        "http://a.test/",
        b"ctl=a\x01b",
        b"big=" + b"x" * COOKIE_MAX_BYTES,
        b"",
        b"=",
        b"ok=1",
        b"bare",
    )
    assert jar.header("http://a.test/") == b"ok=1; bare"


def test_secure_path_and_expiry_as_browsers_do() -> None:
    jar = _jar(
        "https://a.test/shop/cart",
        b"sec=1; Secure",
        b"shop=1",  # default path /shop
        b"root=1; Path=/",
        b"gone=1; Max-Age=0",
        b"old=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        b"brief=1; Max-Age=10",
    )
    assert jar.header("https://a.test/shop/x") == b"sec=1; shop=1; brief=1; root=1"  # longest path first
    assert jar.header("http://a.test/shopping") == b"root=1"  # /shop cookies are not for /shopping
    jar.now = lambda: 2000.0
    assert jar.header("http://a.test/") == b"root=1"
    jar.store("http://a.test/", [b"root=; Max-Age=-1"])
    assert jar.header("http://a.test/") is None


def test_a_host_keeps_at_most_so_many_cookies() -> None:
    jar = _jar("http://a.test/", *(f"c{i}=v".encode() for i in range(COOKIES_PER_HOST * 4)))
    sent = jar.header("http://a.test/") or b""
    names = [pair.split(b"=")[0] for pair in sent.split(b"; ")]
    assert names == [b"c%d" % i for i in range(COOKIES_PER_HOST * 3, COOKIES_PER_HOST * 4)]  # the newest


def test_a_url_that_does_not_parse_sets_and_gets_nothing() -> None:
    jar = _jar("http://[::1/", b"a=1")
    assert jar.hosts == {}
    assert jar.header("http://[::1/") is None


def test_the_run_client_keeps_no_cookie_of_its_own() -> None:
    async def go() -> int:
        async with make_client(load_profile(None)) as client:
            request = httpx.Request("GET", "https://chaoqiankeji.com/")
            client.cookies.extract_cookies(
                httpx.Response(200, headers={"Set-Cookie": "city=西安".encode()}, request=request)
            )
            return len(client.cookies.jar)

    assert asyncio.run(go()) == 0  # else its next request would fail to encode the header
