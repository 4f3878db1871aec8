"""Fetch one URL with httpx: redirects checked hop by hop, retries, size cap, decoding; I/O.

Every outcome is a `FetchResult`; network and HTTP problems are data, never exceptions.
"""

from __future__ import annotations

import asyncio
import math
import random
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from enum import StrEnum
from functools import cached_property
from urllib.parse import urldefrag, urljoin

import httpx

from crawler.body import BodyError, read_capped
from crawler.cookies import CookieJar
from crawler.decode import decode_body, sniffs_as_html
from crawler.urls import normalise_url

MAX_REDIRECTS = 10
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_UNKNOWN_TYPES = ("unknown/unknown", "application/unknown", "*/*")  # sniffed as if absent (WHATWG)
# Statuses that carry no page (RFC 9110 §15.3.5, §15.3.6, §15.4.5): a browser shown one keeps the
# page it was on, so there is nothing a visitor could see here.
_NO_CONTENT = {204: "HTTP 204 No Content", 205: "HTTP 205 Reset Content", 304: "HTTP 304 Not Modified"}
_BAD_LOCATION = "Invalid URL in location header"  # httpx reads Location before we do; never retried


class FetchError(StrEnum):
    """Why a fetch produced no page."""

    TIMEOUT = "timeout"
    CONNECT = "connect"
    TLS = "tls"
    HTTP = "http"  # a status >= 400
    TOO_LARGE = "too_large"
    NOT_HTML = "not_html"
    REDIRECT_LOOP = "redirect_loop"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    OFF_SCOPE_REDIRECT = "off_scope_redirect"
    BLOCKED_REDIRECT = "blocked_redirect"  # to a path robots.txt or the profile's exclude forbids
    PROTOCOL = "protocol"
    BAD_URL = "bad_url"
    NO_CONTENT = "no_content"  # a 204/205/304 or an empty body: fetched, but no page to judge


@dataclass(frozen=True)
class FetchResult:
    """The outcome of fetching one URL; `html` is the decoded text of an HTML page, else None.

    The text is decoded on first use: when a judging process decodes the page's bytes itself, the
    crawler's process never does (no __slots__, so `html` can be cached on a frozen instance).
    """

    url: str
    final_url: str | None = None
    status: int | None = None
    content_type: str | None = None
    redirects: tuple[str, ...] = ()
    size: int | None = None
    elapsed_ms: int | None = None
    error: FetchError | None = None
    error_detail: str = ""
    attempts: int = 1
    body: bytes | None = None  # the bytes as fetched (decompressed): an HTML page, robots.txt, a sitemap
    truncated: bool = False  # the body is the first max_body_bytes of a longer one (settings.truncate)

    @cached_property
    def html(self) -> str | None:
        """The body decoded as a browser would (HTTP charset, <meta>, then detection); None if no body."""
        if self.body is None or self.error is not None:
            return None
        return decode_body(self.body, self.content_type)[0]

    @property
    def ok(self) -> bool:
        """True when an HTML page came back."""
        return self.body is not None and self.error is None


async def _nothing() -> None:
    """No reason to refuse: the default of `FetchSettings.refuse`."""
    return None


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """The knobs of one fetch, from the profile's [crawl] table."""

    max_body_bytes: int = 5_000_000
    page_timeout: float = 60.0
    retries: int = 2
    retry_after_cap: float = 10.0
    backoff_base: float = 0.5
    accept_any_type: bool = False  # robots.txt and sitemaps are fetched through the same path
    truncate: bool = False  # keep the first max_body_bytes instead of failing (RFC 9309 for robots.txt)
    in_scope: Callable[[str], bool] = field(default=lambda _url: True)
    cookies: CookieJar = field(default_factory=CookieJar)  # the run's: share it with replace()
    # Why a URL in scope is off limits (robots.txt, exclude), or None; awaited before every request,
    # each redirect hop included, so the robots.txt of a new origin is read before its first request.
    refuse: Callable[[str], Awaitable[str | None]] = field(default=lambda _url: _nothing())


class _Failed(Exception):
    def __init__(self, kind: FetchError, detail: str, status: int | None = None) -> None:
        super().__init__(detail)
        self.kind, self.detail, self.status = kind, detail, status


@dataclass(slots=True)
class _Hop:
    """Where one attempt has got to: the URL asked for, the current URL and the chain behind it."""

    start: str
    url: str
    redirects: list[str] = field(default_factory=list)

    def failed(self, kind: FetchError, detail: str, status: int | None = None) -> FetchResult:
        """A failure that still records how far the redirects went."""
        return FetchResult(
            self.start,
            final_url=self.url,
            status=status,
            error=kind,
            error_detail=detail,
            redirects=tuple(self.redirects),
        )


def _error_of(exc: httpx.HTTPError) -> tuple[FetchError, str]:
    """Map an httpx exception to our error kind and a short detail."""
    detail = (str(exc) or type(exc).__name__)[:200]
    if detail == "Receive buffer too long":  # h11's words for headers over httpcore's 100 KB
        detail = "response headers over 100 KB (e.g. a huge Set-Cookie): not read"
    if isinstance(exc, httpx.TimeoutException):
        return FetchError.TIMEOUT, detail
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLError | ssl.CertificateError):
            return FetchError.TLS, detail
        cause = cause.__cause__ or cause.__context__
    if isinstance(exc, httpx.ConnectError):
        return FetchError.CONNECT, detail
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL) or detail.startswith(_BAD_LOCATION):
        return FetchError.BAD_URL, detail
    return FetchError.PROTOCOL, detail


def _retry_after(response: httpx.Response, cap: float) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError, OverflowError):
            return None
    if not math.isfinite(seconds):
        return None  # 'nan' or 'inf' from a hostile server would make asyncio.sleep wait forever
    return min(max(seconds, 0.0), cap)


def _retryable(status: int) -> bool:
    return status == 429 or 500 <= status <= 599


def _is_html(content_type: str | None, body: bytes) -> bool:
    essence = (content_type or "").split(";")[0].strip().lower()
    if essence and essence not in _UNKNOWN_TYPES:
        return essence in _HTML_TYPES
    return sniffs_as_html(body)


async def _one_attempt(client: httpx.AsyncClient, hop: _Hop, settings: FetchSettings) -> FetchResult:
    """Follow redirects by hand so every hop is checked against the scope and for loops."""
    jar = settings.cookies
    seen = {(hop.url, jar.header(hop.url))}
    while True:
        cookie = jar.header(hop.url)
        request = client.build_request("GET", hop.url, headers={b"Cookie": cookie} if cookie else None)
        response = await client.send(request, stream=True, follow_redirects=False)
        # httpx keeps cookies in the client as well and would send them to every later request, with
        # a non-ASCII value fatal there: the run's jar alone decides (nothing runs between send and here).
        client.cookies.clear()
        try:
            jar.store(hop.url, (v for k, v in response.headers.raw if k.lower() == b"set-cookie"))
            if not (response.is_redirect and "location" in response.headers):
                return await _finish(response, hop, settings)
            _next_hop(hop, response, seen, settings)
        finally:
            await response.aclose()
        # with the connection released: this may first read the robots.txt of the target's origin
        if reason := await settings.refuse(hop.url):
            detail = f"redirects to {hop.url} ({reason}; not followed)"
            raise _Failed(FetchError.BLOCKED_REDIRECT, detail, response.status_code)


def _target(base: str, location: str) -> str | None:
    """Where a Location header points (fragment dropped), or None when it names no http(s) URL."""
    try:
        target = urldefrag(urljoin(base, location.strip())).url
    except ValueError:  # an unclosed IPv6 bracket, a full-width slash in the host, a bad port
        return None
    return target if normalise_url(target) is not None else None


def _next_hop(
    hop: _Hop, response: httpx.Response, seen: set[tuple[str, bytes | None]], settings: FetchSettings
) -> None:
    location = response.headers["location"]
    # The target is requested exactly as the server names it (a redirect that only adds a tracking
    # parameter is not a loop); the normalised form only decides the scope.
    target = _target(hop.url, location)
    status = response.status_code
    if target is None:
        raise _Failed(FetchError.BAD_URL, f"redirect to {location[:200]!r}", status)
    hop.redirects.append(hop.url)
    hop.url = target
    # The same URL asked for with other cookies is another request (a page that sets a cookie and
    # redirects to itself until it comes back); the same URL with the same cookies is a loop.
    key = (target, settings.cookies.header(target))
    if key in seen:
        raise _Failed(FetchError.REDIRECT_LOOP, " → ".join([*hop.redirects, target])[:300], status)
    if len(hop.redirects) > MAX_REDIRECTS:
        raise _Failed(FetchError.TOO_MANY_REDIRECTS, f"more than {MAX_REDIRECTS} redirects", status)
    if not settings.in_scope(target):
        raise _Failed(
            FetchError.OFF_SCOPE_REDIRECT,
            f"redirects to {target} (outside the crawl scope; not followed)",
            status,
        )
    seen.add(key)


async def _finish(response: httpx.Response, hop: _Hop, settings: FetchSettings) -> FetchResult:
    content_type = response.headers.get("content-type")
    status = response.status_code
    base = FetchResult(
        url=hop.start,
        final_url=hop.url,
        status=status,
        content_type=content_type,
        redirects=tuple(hop.redirects),
    )
    if status >= 400:
        if _retryable(status):
            raise _Retry(base, _retry_after(response, settings.retry_after_cap))
        return _replace(base, error=FetchError.HTTP, error_detail=f"HTTP {status}")
    if status in _NO_CONTENT and not settings.accept_any_type:  # an empty robots.txt allows all
        return _replace(
            base, size=0, error=FetchError.NO_CONTENT, error_detail=f"{_NO_CONTENT[status]}: no page"
        )
    try:
        body, truncated = await read_capped(response, settings.max_body_bytes, settings.truncate)
    except BodyError as exc:
        kind = FetchError.TOO_LARGE if exc.too_large else FetchError.PROTOCOL
        raise _Failed(kind, exc.detail, status) from exc
    if not body and not settings.accept_any_type:
        detail = f"HTTP {status} with an empty body: no page"
        return _replace(base, size=0, error=FetchError.NO_CONTENT, error_detail=detail)
    if not settings.accept_any_type and not _is_html(content_type, body):
        return _replace(
            base, size=len(body), error=FetchError.NOT_HTML, error_detail=content_type or "unknown type"
        )
    return _replace(base, size=len(body), body=body, truncated=truncated)


class _Retry(Exception):
    def __init__(self, result: FetchResult, wait: float | None) -> None:
        super().__init__(result.status)
        self.result, self.wait = result, wait


def _replace(result: FetchResult, **changes: object) -> FetchResult:
    from dataclasses import replace

    return replace(result, **changes)  # type: ignore[arg-type]


async def fetch(client: httpx.AsyncClient, url: str, settings: FetchSettings) -> FetchResult:
    """Fetch `url` with retries on connection errors, 429 and 5xx; always returns a FetchResult."""
    if not settings.in_scope(url):
        return FetchResult(
            url, error=FetchError.OFF_SCOPE_REDIRECT, error_detail="outside the crawl scope; not fetched"
        )
    if reason := await settings.refuse(url):  # callers check first; this holds whoever calls
        return FetchResult(url, error=FetchError.BLOCKED_REDIRECT, error_detail=f"{reason}; not fetched")
    started = time.monotonic()
    last = FetchResult(url)
    for attempt in range(1, settings.retries + 2):
        hop, wait = _Hop(url, url), None
        try:
            async with asyncio.timeout(settings.page_timeout):
                result = await _one_attempt(client, hop, settings)
            return _replace(result, elapsed_ms=_ms(started), attempts=attempt)
        except _Retry as retry:
            last = _replace(retry.result, error=FetchError.HTTP, error_detail=f"HTTP {retry.result.status}")
            wait = retry.wait
        except _Failed as failed:
            return _replace(
                hop.failed(failed.kind, failed.detail, failed.status),
                elapsed_ms=_ms(started),
                attempts=attempt,
            )
        except TimeoutError:
            last = hop.failed(FetchError.TIMEOUT, f"no complete answer in {settings.page_timeout:g}s")
        except httpx.InvalidURL as exc:  # not an HTTPError: a link with control characters, a huge URL
            return _replace(
                hop.failed(FetchError.BAD_URL, str(exc)[:200]), elapsed_ms=_ms(started), attempts=attempt
            )
        except httpx.HTTPError as exc:
            kind, detail = _error_of(exc)
            last = hop.failed(kind, detail)
            if kind in (FetchError.TLS, FetchError.BAD_URL):
                return _replace(
                    last, elapsed_ms=_ms(started), attempts=attempt
                )  # never retried, never unverified
        if attempt <= settings.retries:
            await asyncio.sleep(wait if wait is not None else _backoff(settings.backoff_base, attempt - 1))
    return _replace(last, elapsed_ms=_ms(started), attempts=settings.retries + 1)


def _backoff(base: float, attempt: int) -> float:
    # Full jitter: spreads retries of many workers instead of hammering the server in step.
    return random.uniform(0, base * 2**attempt)


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
