"""Per-host request pacing: at most N requests per second to each host, slower where robots.txt asks
(`Crawl-delay`); I/O (sleeps)."""

from __future__ import annotations

import asyncio
import time


class HostPacer:
    """Reserves send slots per origin so concurrent workers never exceed the rate (0 = unlimited)."""

    def __init__(self, requests_per_second: float) -> None:
        self._interval = 1.0 / requests_per_second if requests_per_second > 0 else 0.0
        self._delays: dict[str, float] = {}  # Crawl-delay per host, where robots.txt gives one
        self._next: dict[str, float] = {}

    def honour_delay(self, origin: str, seconds: float) -> None:
        """Space this origin's requests at least `seconds` apart (robots.txt `Crawl-delay`); the largest wins."""
        if seconds > 0:
            self._delays[origin] = max(self._delays.get(origin, 0.0), seconds)

    def interval(self, origin: str) -> float:
        """Seconds between two requests to `origin`: the slower of the rate and its Crawl-delay."""
        return max(self._interval, self._delays.get(origin, 0.0))

    async def wait(self, origin: str) -> None:
        """Sleep until this origin's next free slot, and reserve it."""
        interval = self.interval(origin)
        if not interval:
            return
        now = time.monotonic()
        slot = max(now, self._next.get(origin, now))
        # Reserve before sleeping: the event loop is single-threaded, so no lock is needed.
        self._next[origin] = slot + interval
        if slot > now:
            await asyncio.sleep(slot - now)
