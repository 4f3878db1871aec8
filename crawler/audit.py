"""The one orchestrator: crawl a site, judge every page, store the run in batches; I/O.

`run_audit` is called by the `audit` command and by the scheduler, and by nothing else.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

import httpx

from crawler import __version__
from crawler.client import USER_AGENT
from crawler.config import Profile
from crawler.extract import extract
from crawler.fetch import FetchError, FetchResult, FetchSettings, fetch
from crawler.frontier import Frontier, Skip, Visit
from crawler.pacing import HostPacer
from crawler.robots import Robots, load_robots, sitemap_urls
from crawler.urls import in_scope, is_homepage, normalise_url, origin_of
from rules.judge import judge_page, judge_site, judge_unfetched
from rules.model import FetchOutcome, Verdict
from rules.policy import Policy
from rules.records import PageRecord, RunStatus
from storage import Database

BATCH_SIZE = 50  # pages per commit: a killed process loses at most one batch
ROBOTS_MAX_BYTES = 512_000  # RFC 9309 lets crawlers stop at 500 KiB

PageListener = Callable[[PageRecord, int], None]


@dataclass(frozen=True, slots=True)
class AuditOutcome:
    """How a run ended: its id, status, and the one-line reason when it failed."""

    run_id: int
    status: RunStatus
    error: str | None


def make_policy(profile: Profile, today: date) -> Policy:
    """The rules' view of a profile, judged against `today`."""
    return Policy(profile.licence.facts(), today, profile.rules.inner_pages, dict(profile.rules.severity))


async def run_audit(
    profile: Profile,
    *,
    client: httpx.AsyncClient,
    db: Database,
    now: Callable[[], datetime],
    today: date,
    trigger: str = "manual",
    on_page: PageListener | None = None,
) -> AuditOutcome:
    """Audit the profile's site once and store the run; a failed fetch is data, never an exception."""
    policy = make_policy(profile, today)
    run_id = db.start_run(
        site=profile.site.name,
        trigger=trigger,
        tool_version=__version__,
        licence=policy.licence,
        today=today,
        started_at=now(),
    )
    crawl = _Crawl(profile, client, policy, db, run_id, on_page)
    try:
        await crawl.run()
    except BaseException:
        crawl.flush()
        db.finish_run(
            run_id, status=RunStatus.INTERRUPTED, finished_at=now(), error="stopped before the crawl ended"
        )
        raise
    crawl.flush()
    db.add_site_findings(run_id, judge_site(policy))
    error = crawl.failure()
    status = RunStatus.FAILED if error else RunStatus.COMPLETE
    db.finish_run(run_id, status=status, finished_at=now(), error=error)
    return AuditOutcome(run_id, status, error)


class _Crawl:
    """One crawl's state: frontier, robots per origin, pacing, the batch waiting to be committed."""

    def __init__(
        self,
        profile: Profile,
        client: httpx.AsyncClient,
        policy: Policy,
        db: Database,
        run_id: int,
        on_page: PageListener | None,
    ) -> None:
        crawl = profile.crawl
        self.profile, self.client, self.policy, self.db, self.run_id = profile, client, policy, db, run_id
        self.on_page = on_page
        hosts = profile.site.hosts
        self.frontier = Frontier(
            hosts, crawl.max_pages, crawl.max_depth, tuple(re.compile(p) for p in crawl.exclude)
        )
        scope: Callable[[str], bool] = lambda url: in_scope(url, hosts)  # noqa: E731
        self.settings = FetchSettings(
            max_body_bytes=crawl.max_body_bytes,
            page_timeout=crawl.page_timeout,
            retries=crawl.retries,
            retry_after_cap=crawl.retry_after_cap,
            in_scope=scope,
        )
        self.side_settings = FetchSettings(
            max_body_bytes=ROBOTS_MAX_BYTES,
            page_timeout=crawl.page_timeout,
            retries=crawl.retries,
            retry_after_cap=crawl.retry_after_cap,
            accept_any_type=True,
            in_scope=scope,
        )
        self.pacer = HostPacer(crawl.requests_per_second)
        self.robots: dict[str, asyncio.Task[Robots]] = {}
        self.batch: list[PageRecord] = []
        self.start_urls = {u for u in map(normalise_url, profile.site.start_urls) if u}
        self.fetched = 0
        self.first_error: str | None = None
        self.active = 0
        self.wake = asyncio.Event()

    async def run(self) -> None:
        for url in self.profile.site.start_urls:
            self._record_skip(self.frontier.offer(url, 0, "start"))
        if self.profile.crawl.use_sitemap and self.profile.crawl.max_depth > 0:
            await self._seed_sitemaps()
        workers = [asyncio.create_task(self._worker()) for _ in range(self.profile.crawl.concurrency)]
        try:
            await asyncio.gather(*workers)
        finally:
            for task in workers:
                task.cancel()

    async def _seed_sitemaps(self) -> None:
        for origin in sorted({origin_of(u) for u in self.start_urls}):
            robots = await self._robots_of(origin)
            if robots.unreachable:
                continue
            listed = robots.sitemaps or [f"{origin}/sitemap.xml"]
            for url in await sitemap_urls(
                self.client, [u for u in listed if in_scope(u, self.frontier.hosts)], self.side_settings
            ):
                self._record_skip(self.frontier.offer(url, 1, "sitemap"))

    def _robots_of(self, origin: str) -> asyncio.Task[Robots]:
        if origin not in self.robots:
            self.robots[origin] = asyncio.ensure_future(load_robots(self.client, origin, self.side_settings))
        return self.robots[origin]

    async def _worker(self) -> None:
        while True:
            visit = self.frontier.pop()
            if visit is None:
                if self.active == 0:
                    self.wake.set()  # let the other idle workers see the crawl is over
                    return
                self.wake.clear()
                await self.wake.wait()
                continue
            self.active += 1
            try:
                await self._visit(visit)
            finally:
                self.active -= 1
                self.wake.set()

    async def _visit(self, visit: Visit) -> None:
        origin = origin_of(visit.url)
        robots = await self._robots_of(origin)
        if self.profile.crawl.respect_robots and not robots.allows(visit.url, USER_AGENT):
            reason = (
                f"robots.txt unreachable ({robots.detail})"
                if robots.unreachable
                else "disallowed by robots.txt"
            )
            self._record_skip(Skip(visit.url, visit.depth, reason))
            return
        await self.pacer.wait(origin)
        result = await fetch(self.client, visit.url, self.settings)
        links = self._record_fetch(visit, result)
        for link in links:
            self._record_skip(self.frontier.offer(link, visit.depth + 1, "link"))

    def _record_fetch(self, visit: Visit, result: FetchResult) -> tuple[str, ...]:
        """Judge one fetched URL, queue its record, return the links it holds."""
        record = PageRecord(
            url=visit.url,
            final_url=result.final_url,
            status=result.status,
            content_type=result.content_type,
            depth=visit.depth,
            verdict=Verdict.FETCH_ERROR,
            redirects=result.redirects,
            size=result.size,
            elapsed_ms=result.elapsed_ms,
        )
        if result.html is None:
            self._add(self._unfetched(record, result))
            return ()
        self.fetched += 1
        final = result.final_url or visit.url
        home = visit.url in self.start_urls or is_homepage(visit.url) or is_homepage(final)
        extracted = extract(result.html, visit.url, final, is_homepage=home)
        facts = extracted.facts
        judgement = judge_page(facts, self.policy)
        self._add(
            replace(
                record,
                verdict=judgement.verdict,
                footer_found=facts.footer_found,
                is_homepage=home,
                footer_text=facts.footer_text,
                numbers=facts.numbers,
                findings=judgement.findings,
            )
        )
        return extracted.links

    def _unfetched(self, record: PageRecord, result: FetchResult) -> PageRecord:
        """The record of a URL that gave no HTML: not-html (counts as fetched) or a fetch error."""
        error = result.error.value if result.error else None
        outcome = FetchOutcome(
            record.url,
            result.final_url,
            result.status,
            result.content_type,
            error,
            result.error_detail,
            result.redirects,
        )
        if result.error is FetchError.NOT_HTML:
            self.fetched += 1
            return replace(record, verdict=Verdict.NOT_HTML)
        if self.first_error is None:
            self.first_error = f"{record.url}: {result.error_detail or error}"
        judgement = judge_unfetched(outcome, Verdict.FETCH_ERROR, self.policy)
        return replace(record, findings=judgement.findings, error=f"{error}: {result.error_detail}")

    def _record_skip(self, skip: Skip | None) -> None:
        if skip is not None:
            self._add(
                PageRecord(
                    url=skip.url,
                    final_url=None,
                    status=None,
                    content_type=None,
                    depth=skip.depth,
                    verdict=Verdict.SKIPPED,
                    error=skip.reason,
                )
            )

    def _add(self, record: PageRecord) -> None:
        self.batch.append(record)
        if self.on_page is not None:
            self.on_page(record, len(self.frontier.queue))
        if len(self.batch) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        """Commit the pages judged so far."""
        if self.batch:
            self.db.add_pages(self.run_id, self.batch)
            self.batch = []

    def failure(self) -> str | None:
        """Why the run failed, in one line, or None: it fails when no page could be fetched."""
        if self.fetched:
            return None
        for task in self.robots.values():
            robots = task.result() if task.done() and not task.cancelled() else None
            if robots is not None and robots.unreachable:
                return f"robots.txt of {robots.origin} unreachable ({robots.detail}); nothing was fetched"
        return f"no page could be fetched: {self.first_error or 'no URL in scope'}"
