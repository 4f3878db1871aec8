"""A page's footer images fetched (in scope, admitted) and read with OCR into its facts; I/O.

OCR is optional: without the engine the page keeps its judgement and the pages with footer images are
counted for the site finding TECH-006. Pixels never make a page compliant (rules/verdict.py).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING

from crawler.extract import Extracted
from crawler.resources import PageResources
from rules.judge import Judgement, judge_page
from rules.model import NumberHit, Verdict
from rules.policy import Policy

if TYPE_CHECKING:
    from crawler.ocr import ImageReader

# Verdicts decided before any image counts (rules/verdict.py): reading the footer's pictures cannot
# change them, so their images are not fetched.
_SETTLED = (Verdict.COMPLIANT, Verdict.WRONG_NUMBER, Verdict.HIDDEN)


class FooterImages:
    """Reads the footer images of a run's pages: fetched once per URL, read once per content hash."""

    def __init__(self, resources: PageResources, policy: Policy) -> None:
        self.resources, self.policy = resources, policy
        self.reader: ImageReader | None = None
        self.problem: str | None = None
        self.started = False
        self.unread = 0  # pages with footer images none of which could be read (TECH-006)

    def _engine(self) -> ImageReader | None:
        if not self.started:
            self.started = True
            try:
                from crawler import ocr
            except ImportError as exc:  # Pillow absent: the ocr extra is not installed
                self.problem = f"the ocr extra is not installed ({exc.name})"
                return None
            self.problem = ocr.engine_problem()
            self.reader = None if self.problem else ocr.ImageReader()
        return self.reader

    async def read(
        self, extracted: Extracted, judgement: Judgement, depth: int
    ) -> tuple[Extracted, Judgement]:
        """The page's facts with the numbers its footer images show, judged again; unchanged when it
        has no footer image, its verdict cannot change, or nothing was read."""
        if not extracted.images or judgement.verdict in _SETTLED:
            return extracted, judgement
        reader = self._engine()
        if reader is None:
            self.unread += 1
            return extracted, judgement
        hits, complete = await self._hits(reader, extracted.images, depth)
        if not complete:
            self.unread += 1
            self.problem = self.problem or "over the run's budget of footer images"
        if not hits:
            return extracted, judgement
        facts = replace(extracted.facts, numbers=(*extracted.facts.numbers, *hits))
        return replace(extracted, facts=facts), judge_page(facts, self.policy)

    async def _hits(
        self, reader: ImageReader, urls: tuple[str, ...], depth: int
    ) -> tuple[list[NumberHit], bool]:
        from crawler.ocr import image_hits

        # Whether every image was read or could not be (a 404, not an image: nothing a visitor reads
        # either); False when one was left out for the run's budgets (URLs fetched, images read).
        bodies = await self.resources.images_for(urls, depth + 1)
        complete = all(u in self.resources.images for u in urls if self.resources.in_scope(u))
        skipped = reader.skipped
        hits: list[NumberHit] = []
        for url, body in bodies.items():
            text = await asyncio.to_thread(reader.read, body)  # tesseract runs as a child process
            if text is not None:
                hits.extend(image_hits(text, url))
        return hits, complete and reader.skipped == skipped
