"""The same-site stylesheets, frame documents and footer images a page needs to be judged, fetched once per run; I/O.

Off-scope URLs are never requested (dropped as off-site links are); an in-scope one is requested only
once `admit` allowed it, which reads the robots.txt of its origin first and records a refusal.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace

import httpx

from crawler.fetch import FetchSettings, fetch

MAX_SHEETS = 100  # per run: sites share a handful; a trap of endless sheet URLs must not grow this
MAX_FRAMES_PER_PAGE = 3
SHEET_MAX_BYTES = 2_000_000
MAX_IMAGES = 100  # footer image URLs a run fetches (OCR reads at most crawler.ocr.MAX_IMAGES_PER_RUN)
IMAGE_MAX_BYTES = 1_000_000  # = crawler.ocr.MAX_IMAGE_BYTES: a larger one is not read


# (url, depth of the page needing it + 1) → may it be fetched? (robots.txt read first; refusals recorded)
Admit = Callable[[str, int], Awaitable[bool]]


class PageResources:
    """Caches stylesheet and frame texts by URL; only URLs in scope that `admit` allows are requested."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        settings: FetchSettings,
        in_scope: Callable[[str], bool],
        admit: Admit,
        pace: Callable[[str], Awaitable[None]],
    ) -> None:
        self.client, self.in_scope, self.admit, self.pace = client, in_scope, admit, pace
        self.sheet_settings = replace(settings, accept_any_type=True, max_body_bytes=SHEET_MAX_BYTES)
        self.page_settings = settings
        # a longer image body is a fetch error: not read (never held whole)
        self.image_settings = replace(settings, accept_any_type=True, max_body_bytes=IMAGE_MAX_BYTES)
        self.images: dict[str, asyncio.Task[bytes]] = {}
        self.sheets: dict[str, asyncio.Task[str]] = {}
        self.frames: dict[str, asyncio.Task[str]] = {}

    def known_sheets(self) -> dict[str, str]:
        """The stylesheets fetched so far (URL → CSS text)."""
        return {
            url: task.result() for url, task in self.sheets.items() if task.done() and not task.cancelled()
        }

    async def sheets_for(self, urls: tuple[str, ...], depth: int = 0) -> bool:
        """Fetch the page's stylesheets not yet known; True when any became available for it."""
        wanted = [u for u in urls if u in self.sheets or (self.in_scope(u) and len(self.sheets) < MAX_SHEETS)]
        for url in wanted:
            if url not in self.sheets:
                self.sheets[url] = asyncio.ensure_future(self._text(url, self.sheet_settings, depth))
        pending = [self.sheets[u] for u in wanted if not self.sheets[u].done()]
        await asyncio.gather(*pending)
        return bool(pending)

    async def frames_for(self, urls: tuple[str, ...], depth: int = 0) -> dict[str, str]:
        """The documents of the page's footer frames (URL → HTML), fetched once each."""
        wanted = [u for u in urls if u in self.frames or self.in_scope(u)][:MAX_FRAMES_PER_PAGE]
        for url in wanted:
            if url not in self.frames:
                self.frames[url] = asyncio.ensure_future(self._text(url, self.page_settings, depth))
        texts = await asyncio.gather(*(self.frames[u] for u in wanted))
        return {url: text for url, text in zip(wanted, texts, strict=True) if text}

    async def images_for(self, urls: tuple[str, ...], depth: int = 0) -> dict[str, bytes]:
        """The bytes of the page's footer images in scope (URL → body), fetched once each a run."""
        wanted = [u for u in urls if u in self.images or (self.in_scope(u) and len(self.images) < MAX_IMAGES)]
        for url in wanted:
            if url not in self.images:
                self.images[url] = asyncio.ensure_future(self._bytes(url, depth))
        bodies = await asyncio.gather(*(self.images[u] for u in wanted))
        return {url: body for url, body in zip(wanted, bodies, strict=True) if body}

    async def _bytes(self, url: str, depth: int) -> bytes:
        if not await self.admit(url, depth):
            return b""  # refused (robots.txt, exclude): not read
        await self.pace(url)
        result = await fetch(self.client, url, self.image_settings)
        return result.body or b"" if result.error is None else b""

    async def _text(self, url: str, settings: FetchSettings, depth: int) -> str:
        if not await self.admit(url, depth):
            return ""  # refused (robots.txt, exclude): judged without, as a sheet that failed
        await self.pace(url)
        result = await fetch(self.client, url, settings)
        return result.html or ""  # a failed sheet or frame is judged without, not retried per page
