"""The gate every request of a run passes: the profile's excludes, then the robots.txt of its origin; I/O.

Each origin's robots.txt is read once, before the first request to that origin, whatever the request is
for (a page, a redirect hop, a style sheet, a frame, a browser request).
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace

import httpx

from crawler.fetch import FetchSettings
from crawler.pacing import HostPacer
from crawler.robots import Robots, load_robots
from crawler.urls import host_of, origin_of

ROBOTS_MAX_BYTES = 512_000  # RFC 9309: parse at least the first 500 KiB
EXCLUDED = "excluded by the profile's crawl.exclude"


def robots_refusal(robots: Robots, url: str) -> str | None:
    """Why `robots` forbids `url` (disallowed, or its robots.txt unreachable), or None."""
    if robots.allows(url):
        return None
    return f"robots.txt unreachable ({robots.detail})" if robots.unreachable else "disallowed by robots.txt"


class Gate:
    """One run's robots.txt per origin (loaded once each, as tasks) and the refusals they and the
    profile's excludes make."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        settings: FetchSettings,
        exclude: tuple[re.Pattern[str], ...],
        respect_robots: bool,
        pacer: HostPacer,
    ) -> None:
        self.client, self.exclude, self.respect_robots, self.pacer = client, exclude, respect_robots, pacer
        # robots.txt follows redirects within the scope without a gate (it is what the gate reads)
        self.settings = replace(
            settings,
            max_body_bytes=ROBOTS_MAX_BYTES,
            accept_any_type=True,
            truncate=True,
            refuse=FetchSettings().refuse,
        )
        self.robots: dict[str, asyncio.Task[Robots]] = {}

    async def refusal(self, url: str) -> str | None:
        """Why an in-scope `url` may not be requested (exclude, robots.txt), or None; the robots.txt
        of its origin is read first (once per origin), whatever the request is for."""
        if any(p.search(url) for p in self.exclude):
            return EXCLUDED
        if not self.respect_robots:
            return None
        return robots_refusal(await self.robots_of(origin_of(url)), url)

    def known_refusal(self, url: str) -> str | None:
        """Why `url` may not be fetched (exclude, robots.txt of its origin once loaded), or None."""
        if any(p.search(url) for p in self.exclude):
            return EXCLUDED
        task = self.robots.get(origin_of(url))
        robots = task.result() if task is not None and task.done() else None
        if robots is not None and self.respect_robots and not robots.allows(url):
            return "disallowed by robots.txt"
        return None

    def robots_of(self, origin: str) -> asyncio.Task[Robots]:
        """The robots.txt of `origin`, loading it on first use; every later caller awaits the same task."""
        if origin not in self.robots:
            self.robots[origin] = asyncio.ensure_future(self._load(origin))
        return self.robots[origin]

    async def _load(self, origin: str) -> Robots:
        robots = await load_robots(self.client, origin, self.settings)
        if self.respect_robots:  # Crawl-delay, capped in crawler.robots
            self.pacer.honour_delay(host_of(origin), robots.crawl_delay)
        return robots

    def unreachable(self) -> Robots | None:
        """A loaded robots.txt that could not be reached (so its origin was disallowed), if any."""
        for task in self.robots.values():
            robots = task.result() if task.done() and not task.cancelled() else None
            if robots is not None and robots.unreachable:
                return robots
        return None
