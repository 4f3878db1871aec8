"""Per-host request pacing: at most N requests per second to each origin; I/O (sleeps)."""

from __future__ import annotations

import asyncio
import time


class HostPacer:
    """Reserves send slots per origin so concurrent workers never exceed the rate (0 = unlimited)."""

    def __init__(self, requests_per_second: float) -> None:
        self._interval = 1.0 / requests_per_second if requests_per_second > 0 else 0.0
        self._next: dict[str, float] = {}

    async def wait(self, origin: str) -> None:
        """Sleep until this origin's next free slot, and reserve it."""
        if not self._interval:
            return
        now = time.monotonic()
        slot = max(now, self._next.get(origin, now))
        # Reserve before sleeping: the event loop is single-threaded, so no lock is needed.
        self._next[origin] = slot + self._interval
        if slot > now:
            await asyncio.sleep(slot - now)
