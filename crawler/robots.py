"""robots.txt (RFC 9309, parsed by protego) and sitemap discovery for one origin; I/O through `fetch`."""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from protego import Protego

from crawler.fetch import FetchError, FetchSettings, fetch

_LOC = re.compile(rb"<loc>\s*(.*?)\s*</loc>", re.I | re.S)
MAX_SITEMAPS = 20  # sitemap indexes can fan out; bound the work
ROBOTS_TOKEN = "icp-audit"  # the product token groups are matched against (not the whole User-Agent)
CRAWL_DELAY_CAP = 30.0  # seconds: a larger Crawl-delay is honoured as this (a crawl must still end)
# Redirects robots.txt may not take (off the crawl's hosts, loops): "unavailable", i.e. allow all (RFC 9309 §2.3.1.2).
_UNAVAILABLE = (FetchError.OFF_SCOPE_REDIRECT, FetchError.REDIRECT_LOOP, FetchError.TOO_MANY_REDIRECTS)


@dataclass(frozen=True, slots=True)
class Robots:
    """What robots.txt of one origin allows; `unreachable` means everything is disallowed (RFC 9309)."""

    origin: str
    parser: Protego | None
    unreachable: bool = False
    detail: str = ""

    def allows(self, url: str) -> bool:
        """May icp-audit fetch `url`?"""
        if self.unreachable:
            return False
        return self.parser is None or bool(self.parser.can_fetch(url, ROBOTS_TOKEN))

    @property
    def crawl_delay(self) -> float:
        """Seconds between requests the `Crawl-delay` of our group asks for (0: none), at most CRAWL_DELAY_CAP."""
        delay = self.parser.crawl_delay(ROBOTS_TOKEN) if self.parser is not None else None
        return min(max(float(delay), 0.0), CRAWL_DELAY_CAP) if delay else 0.0

    @property
    def sitemaps(self) -> list[str]:
        """Sitemap URLs robots.txt names."""
        return list(self.parser.sitemaps) if self.parser is not None else []


async def load_robots(client: httpx.AsyncClient, origin: str, settings: FetchSettings) -> Robots:
    """Fetch and parse `<origin>/robots.txt`: 2xx parsed, 4xx allow all, 5xx or no answer disallow all.

    `settings` should truncate: RFC 9309 parses the first 500 KiB of a larger file.
    """
    result = await fetch(client, f"{origin}/robots.txt", settings)
    if (result.status is not None and 400 <= result.status < 500) or result.error in _UNAVAILABLE:
        return Robots(origin, None)
    if result.html is None:
        what = f"HTTP {result.status}" if result.status else (result.error or FetchError.CONNECT).value
        detail = f"{what}: {result.error_detail}" if result.error_detail and result.status is None else what
        return Robots(origin, None, unreachable=True, detail=detail)
    try:
        return Robots(origin, Protego.parse(result.html))
    except Exception:
        return Robots(origin, None)


async def sitemap_urls(
    client: httpx.AsyncClient, start: list[str], settings: FetchSettings, may_fetch: Callable[[str], bool]
) -> list[str]:
    """Page URLs listed by the given sitemaps and the sitemap indexes they name (bounded).

    `may_fetch` (scope and robots) is asked about every sitemap, also those an index names.
    """
    queue = [u for u in dict.fromkeys(start) if may_fetch(u)]
    seen, pages = set(queue), []
    while queue and len(seen) <= MAX_SITEMAPS:
        result = await fetch(client, queue.pop(0), settings)
        if result.body is None:
            continue
        body = result.body
        if body[:2] == b"\x1f\x8b":
            body = _gunzip(body, settings.max_body_bytes)
        is_index = b"<sitemapindex" in body[:2048]
        for loc in _LOC.findall(body):
            url = loc.decode("utf-8", "replace").replace("&amp;", "&")
            if is_index and url not in seen and may_fetch(url):
                seen.add(url)
                queue.append(url)
            elif not is_index:
                pages.append(url)
    return pages


def _gunzip(data: bytes, limit: int) -> bytes:
    """Inflate a .xml.gz sitemap, at most `limit` bytes; a corrupt or truncated file yields nothing."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
            return f.read(limit)
    except (OSError, EOFError, zlib.error):
        return b""
