"""Judge one fetched HTML page of a crawl: with its style sheets and footer frames, then in the browser
where static analysis cannot settle it; a page that cannot be judged becomes a finding, never a crash."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace

from crawler.extract import Extracted, PageTooDeep
from crawler.footer_images import FooterImages
from crawler.judge_pool import Judges, JudgingFailed
from crawler.judging import Judged, PageInput
from crawler.render.confirm import BrowserPass
from crawler.resources import PageResources
from rules.judge import Judgement, judge_unparsed
from rules.model import Finding, Severity
from rules.policy import Policy
from rules.records import PageRecord
from rules.templates import facts_fingerprint


@dataclass(frozen=True, slots=True)
class PageJudge:
    """What judging a crawl's pages needs: the judges, the page resources, the browser, the policy and
    the footer images' reader."""

    judges: Judges
    resources: PageResources
    browser: BrowserPass
    policy: Policy
    images: FooterImages

    async def judge(
        self, record: PageRecord, page: PageInput, allow: Callable[[str], Awaitable[bool]]
    ) -> tuple[PageRecord, tuple[str, ...]]:
        """The judged record of a fetched page and the links it holds (none when it could not be judged);
        `allow` is asked for each request the browser makes."""
        try:
            judged, known = await self._statically(page, record.depth)
            extracted, judgement = judged.extracted, judged.judgement
            if (
                self.browser.mode != "never"
            ):  # the page's text is only decoded here when a browser may need it
                css = [known[u] for u in extracted.stylesheets if u in known]
                extracted, judgement = await self.browser.confirm(page.text, extracted, judgement, css, allow)
            extracted, judgement = await self.images.read(extracted, judgement, record.depth)
        except Exception as exc:  # a parser or rule bug on one page must not end the crawl
            return self._not_judged(record, page.is_homepage, exc), ()
        fingerprint = (
            judged.fingerprint if extracted is judged.extracted else facts_fingerprint(extracted.facts)
        )
        return _judged(record, page.is_homepage, extracted, judgement, fingerprint), extracted.links

    async def _statically(self, page: PageInput, depth: int) -> tuple[Judged, Mapping[str, str]]:
        """The page judged with its style sheets and footer frames, and the sheets known by then."""
        sheets = self.resources.known_sheets()
        judged = await self.judges.judge(page, sheets, {})
        await self.resources.sheets_for(judged.extracted.stylesheets, depth + 1)
        frames = await self.resources.frames_for(judged.extracted.frames, depth + 1)
        known = self.resources.known_sheets()
        # Judged again with the page's style sheets that arrived meanwhile (fetched for it, or for
        # another page while it was being judged) and its footer frames.
        if frames or any(u in known and u not in sheets for u in judged.extracted.stylesheets):
            judged = await self.judges.judge(page, known, frames)
        return judged, known

    def _not_judged(self, record: PageRecord, home: bool, exc: Exception) -> PageRecord:
        kind = exc.kind if isinstance(exc, JudgingFailed) else type(exc).__name__
        if kind == PageTooDeep.__name__:  # judged here or in a judging process alike: by its name
            unparsed = judge_unparsed(str(exc), self.policy)
            return replace(record, verdict=unparsed.verdict, is_homepage=home, findings=unparsed.findings)
        problem = Finding("RULE-ERROR", Severity.WARNING, f"page could not be judged: {kind}", str(exc)[:300])
        return replace(record, error=f"judge: {kind}: {exc}"[:300], findings=(problem,))


def _judged(
    record: PageRecord, home: bool, extracted: Extracted, judgement: Judgement, fingerprint: str
) -> PageRecord:
    facts = extracted.facts
    return replace(
        record,
        verdict=judgement.verdict,
        footer_found=facts.footer_found,
        is_homepage=home,
        footer_text=facts.footer_text,
        numbers=facts.numbers,
        findings=judgement.findings,
        footer_fingerprint=fingerprint,
    )
