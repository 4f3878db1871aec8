"""Fetch one URL with httpx: redirects checked hop by hop, retries, size cap, decoding; I/O.

Every outcome is a `FetchResult`; network and HTTP problems are data, never exceptions.
"""

from __future__ import annotations

import asyncio
import math
import random
import ssl
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from enum import StrEnum
from functools import cached_property
from urllib.parse import urldefrag, urljoin

import httpx

from crawler.decode import decode_body
from crawler.urls import normalise_url

MAX_REDIRECTS = 10
_HTML_TYPES = ("text/html", "application/xhtml+xml")
ACCEPT_ENCODING = "gzip, deflate"  # what _Inflater undoes; sent explicitly so httpx never offers br or zstd
INFLATE_STEP = 65536  # most bytes one decompression step may yield
_GZIP_WBITS = 16 + zlib.MAX_WBITS


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
    if isinstance(exc, httpx.TimeoutException):
        return FetchError.TIMEOUT, detail
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLError | ssl.CertificateError):
            return FetchError.TLS, detail
        cause = cause.__cause__ or cause.__context__
    if isinstance(exc, httpx.ConnectError):
        return FetchError.CONNECT, detail
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
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


class _Inflater:
    """Undoes a response's Content-Encoding (gzip, deflate, stacked) in steps of INFLATE_STEP bytes or less.

    httpx inflates each network read whole: 64 KB of a gzip bomb become 64 MB at once, and a bomb
    inside a bomb (`gzip, gzip`) gigabytes in one call that also blocks the event loop. Stepping lets
    the caller stop at the size cap after at most one step too many. A coding we did not offer
    (br, zstd, compress) is a protocol error: judging still-compressed bytes would be a false verdict.
    """

    def __init__(self, content_encoding: str) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        unknown = [c for c in codings if c not in ("gzip", "x-gzip", "deflate", "identity")]
        if unknown:
            raise _Failed(FetchError.PROTOCOL, f"unsupported Content-Encoding {', '.join(unknown)}")
        self.codings = [c for c in reversed(codings) if c != "identity"]
        self.layers: list[zlib._Decompress | None] = [None] * len(self.codings)
        # A deflate layer's first byte waits here for the second, which tells zlib-wrapped from raw.
        self.heads = [b""] * len(self.codings)

    def feed(self, data: bytes, layer: int = 0) -> Iterator[bytes]:
        """The decoded bytes of the next piece of the body, in bounded steps."""
        if not data:
            return
        if layer == len(self.codings):
            yield data
            return
        inflater = self.layers[layer]
        if inflater is None:
            data = self.heads[layer] + data
            if self.codings[layer] == "deflate" and len(data) < 2:
                self.heads[layer] = data
                return
            inflater = self._start(layer, data)
        while not inflater.eof:
            try:
                out = inflater.decompress(data, INFLATE_STEP)
            except zlib.error as exc:
                raise _Failed(FetchError.PROTOCOL, f"bad {self.codings[layer]} body: {exc}") from exc
            data = inflater.unconsumed_tail
            yield from self.feed(out, layer + 1)
            inner = self.layers[layer + 1] if layer + 1 < len(self.layers) else None
            if inner is not None and inner.eof:
                return  # the inner stream ended: what this layer still holds is trailing junk, not body
            if not data and len(out) < INFLATE_STEP:
                return  # a full step may leave output inside zlib: only a short one means drained

    def complete(self) -> bool:
        """Every compressed stream that started also ended (a cut-off gzip body is not a page)."""
        return all(layer is None or layer.eof for layer in self.layers)

    def _start(self, layer: int, data: bytes) -> zlib._Decompress:
        wbits = _GZIP_WBITS
        if self.codings[layer] == "deflate":  # zlib-wrapped as the RFC says, or raw as some servers send
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and int.from_bytes(data[:2], "big") % 31 == 0
            wbits = zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS
        inflater = self.layers[layer] = zlib.decompressobj(wbits)
        return inflater


async def _read_capped(response: httpx.Response, limit: int, truncate: bool = False) -> bytes:
    """Read the decompressed body, stopping as soon as it exceeds `limit` (a gzip bomb stays small)."""
    declared = response.headers.get("content-length", "")
    encoding = response.headers.get("content-encoding", "")
    too_long = declared.isdigit() and int(declared) > limit and not encoding
    if too_long and not truncate:
        raise _Failed(
            FetchError.TOO_LARGE, f"Content-Length {declared} exceeds {limit} bytes", response.status_code
        )
    inflater = _Inflater("" if response.is_stream_consumed else encoding)
    chunks: list[bytes] = []
    size = 0
    async for raw in _wire_bytes(response):
        for chunk in inflater.feed(raw):
            size += len(chunk)
            if size > limit:
                if truncate:
                    chunks.append(chunk[: limit - (size - len(chunk))])
                    return b"".join(chunks)
                raise _Failed(FetchError.TOO_LARGE, f"body exceeds {limit} bytes", response.status_code)
            chunks.append(chunk)
    if not inflater.complete():
        raise _Failed(
            FetchError.PROTOCOL, "compressed body ends before its stream does", response.status_code
        )
    return b"".join(chunks)


async def _wire_bytes(response: httpx.Response) -> AsyncIterator[bytes]:
    """The body as it comes off the wire; httpx's decoded copy when it holds one already (mock transports)."""
    if response.is_stream_consumed:
        yield response.content
        return
    async for raw in response.aiter_raw():
        yield raw


def _is_html(content_type: str | None, body_start: bytes) -> bool:
    if content_type:
        return content_type.split(";")[0].strip().lower() in _HTML_TYPES
    head = body_start[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


async def _one_attempt(client: httpx.AsyncClient, hop: _Hop, settings: FetchSettings) -> FetchResult:
    """Follow redirects by hand so every hop is checked against the scope and for loops."""
    seen = {hop.url}
    while True:
        request = client.build_request("GET", hop.url)
        response = await client.send(request, stream=True, follow_redirects=False)
        try:
            if not (response.is_redirect and "location" in response.headers):
                return await _finish(response, hop, settings)
            _next_hop(hop, response, seen, settings)
        finally:
            await response.aclose()
        # with the connection released: this may first read the robots.txt of the target's origin
        if reason := await settings.refuse(hop.url):
            detail = f"redirects to {hop.url} ({reason}; not followed)"
            raise _Failed(FetchError.BLOCKED_REDIRECT, detail, response.status_code)


def _next_hop(hop: _Hop, response: httpx.Response, seen: set[str], settings: FetchSettings) -> None:
    location = response.headers["location"]
    # The target is requested exactly as the server names it (a redirect that only adds a tracking
    # parameter is not a loop); the normalised form only decides the scope.
    target = urldefrag(urljoin(hop.url, location.strip())).url
    status = response.status_code
    if normalise_url(target) is None:
        raise _Failed(FetchError.BAD_URL, f"redirect to {location[:200]!r}", status)
    hop.redirects.append(hop.url)
    hop.url = target
    if target in seen:
        raise _Failed(FetchError.REDIRECT_LOOP, " → ".join([*hop.redirects, target])[:300], status)
    if len(hop.redirects) > MAX_REDIRECTS:
        raise _Failed(FetchError.TOO_MANY_REDIRECTS, f"more than {MAX_REDIRECTS} redirects", status)
    if not settings.in_scope(target):
        raise _Failed(
            FetchError.OFF_SCOPE_REDIRECT,
            f"redirects to {target} (outside the crawl scope; not followed)",
            status,
        )
    seen.add(target)


async def _finish(response: httpx.Response, hop: _Hop, settings: FetchSettings) -> FetchResult:
    content_type = response.headers.get("content-type")
    base = FetchResult(
        url=hop.start,
        final_url=hop.url,
        status=response.status_code,
        content_type=content_type,
        redirects=tuple(hop.redirects),
    )
    if response.status_code >= 400:
        if _retryable(response.status_code):
            raise _Retry(base, _retry_after(response, settings.retry_after_cap))
        return _replace(base, error=FetchError.HTTP, error_detail=f"HTTP {response.status_code}")
    body = await _read_capped(response, settings.max_body_bytes, settings.truncate)
    if not settings.accept_any_type and not _is_html(content_type, body):
        return _replace(
            base, size=len(body), error=FetchError.NOT_HTML, error_detail=content_type or "unknown type"
        )
    return _replace(base, size=len(body), body=body)


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
