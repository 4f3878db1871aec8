"""robots.txt (RFC 9309, parsed by protego) of one origin, and the sitemaps it names; I/O through `fetch`."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from protego import Protego

from crawler.fetch import FetchError, FetchSettings, fetch

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
        """Sitemap URLs robots.txt names, as written (crawler.sitemaps checks them)."""
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
