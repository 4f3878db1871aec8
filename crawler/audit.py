"""The one orchestrator: crawl a site, judge every page, store the run in batches; I/O.

`run_audit` is called by the `audit` command and by the scheduler, and by nothing else.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

import httpx

from crawler import __version__
from crawler.config import Profile
from crawler.fetch import FetchError, FetchResult, FetchSettings, fetch
from crawler.footer_images import FooterImages
from crawler.frontier import Frontier, Skip, Visit
from crawler.gate import Gate, robots_refusal
from crawler.judge_page import PageJudge
from crawler.judge_pool import WARMUP_PAGES, Judges, processes_for
from crawler.judging import PageInput
from crawler.ledger import Ledger
from crawler.pacing import HostPacer
from crawler.render.confirm import BrowserPass
from crawler.resources import PageResources
from crawler.sitemaps import MAX_SITEMAP_BYTES, read_sitemaps
from crawler.urls import host_of, in_scope, is_homepage, normalise_url, origin_of
from rules.judge import judge_site, judge_unfetched
from rules.model import FetchOutcome, SiteFacts, Verdict
from rules.policy import Policy
from rules.records import FooterShot, PageRecord, RunStatus, skip_kind
from storage import Database
from storage.errors import DatabaseBusyError, StorageError

# How long a stopped audit waits for another writer's lock to store its last pages and close the run
# (twice: pages, then the run row), so that SIGTERM is honoured within 2 s even on a busy database.
STOP_WAIT_S = 0.5
MAX_REFUSED_RECORDED = 200  # refused resources recorded a run (browser requests repeat, with new queries)

log = logging.getLogger("icp_audit.run")

PageListener = Callable[[PageRecord, int], None]


@dataclass(frozen=True, slots=True)
class AuditOutcome:
    """How a run ended: its id, status, and the one-line reason when it failed."""

    run_id: int
    status: RunStatus
    error: str | None
    rendered: int = 0  # pages judged in the browser
    footer_shots: tuple[FooterShot, ...] = ()  # one picture per footer template (browser mode), as stored


def make_policy(profile: Profile, today: date) -> Policy:
    """The rules' view of a profile, judged against `today`."""
    return Policy(
        profile.licence.facts(),
        today,
        profile.rules.inner_pages,
        dict(profile.rules.severity),
        filing_icp=profile.filings.icp,
        filing_public_security=profile.filings.public_security,
    )


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
    """Audit the profile's site once and store the run; a failed fetch is data, never an exception.

    The caller holds the site's lock. Whatever happens, the run row is finished: `complete` or
    `failed` normally, `interrupted` when cancelled (SIGTERM, Ctrl-C), `failed` on a bug (re-raised).
    """
    policy = make_policy(profile, today)
    browser = await BrowserPass.open(profile.crawl, policy)  # before the run row: `always` may refuse
    setting = profile.crawl.judge_processes
    warmup = WARMUP_PAGES if setting == "auto" else 0
    judges = Judges(policy, processes_for(setting), warmup=warmup, timeout=profile.crawl.judge_timeout)
    try:
        if setting != "auto":  # a number of processes was asked for: they judge every page
            await judges.start()
        return await _audit(profile, client, db, now, today, trigger, on_page, policy, browser, judges)
    finally:
        await judges.close()
        await browser.close()


async def _audit(
    profile: Profile,
    client: httpx.AsyncClient,
    db: Database,
    now: Callable[[], datetime],
    today: date,
    trigger: str,
    on_page: PageListener | None,
    policy: Policy,
    browser: BrowserPass,
    judges: Judges,
) -> AuditOutcome:
    run_id = db.start_run(
        site=profile.site.name,
        trigger=trigger,
        tool_version=__version__,
        licence=policy.licence,
        today=today,
        started_at=now(),
    )
    crawl = _Crawl(profile, client, policy, db, run_id, on_page, browser, judges)
    status: RunStatus = RunStatus.INTERRUPTED
    error: str | None = "stopped before the crawl ended"
    stopping = False
    try:
        await crawl.run()
        await crawl.ledger.drain()
        db.add_site_findings(run_id, judge_site(policy, crawl.site_facts()))
        db.add_footer_shots(run_id, tuple(browser.shots.values()))
        error = crawl.failure()
        status = RunStatus.FAILED if error else RunStatus.COMPLETE
    except DatabaseBusyError as exc:  # waited [storage] busy_timeout for another writer: exit 6
        status, error = RunStatus.FAILED, str(exc)
        raise
    except asyncio.CancelledError:
        stopping = True  # SIGTERM or Ctrl-C: honoured at once, a busy database is not waited out
        raise
    except Exception as exc:
        status, error = RunStatus.FAILED, f"internal error: {type(exc).__name__}: {exc}"[:300]
        raise
    finally:
        crawl.ledger.flush_quietly(STOP_WAIT_S if stopping else None)
        _finish(db, run_id, status, now(), error, crawl, stopping)
    return AuditOutcome(run_id, status, error, browser.rendered, tuple(browser.shots.values()))


def _finish(
    db: Database,
    run_id: int,
    status: RunStatus,
    finished_at: datetime,
    error: str | None,
    crawl: _Crawl,
    stopping: bool,
) -> None:
    skipped, exact = crawl.ledger.skipped, not crawl.frontier.forgetting
    try:
        db.finish_run(
            run_id,
            status=status,
            finished_at=finished_at,
            error=error,
            skipped=skipped,
            skipped_exact=exact,
            wait=STOP_WAIT_S if stopping else None,
        )
    except StorageError:
        if stopping:
            # Another writer holds the lock: the stop is not delayed for it. The run stays `running`
            # and the next command that reads the database marks it interrupted (crawler.lock).
            log.warning("run %d could not be closed as interrupted: the database is busy", run_id)
            return
        if not crawl.ledger.gave_up:
            raise
        # The lock never freed: the run stays `running`, and the next audit of the site marks it
        # interrupted. The busy error on its way out says what happened.
        log.warning("run %d could not be closed as failed: the database is still busy", run_id)


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
        browser: BrowserPass,
        judges: Judges,
    ) -> None:
        crawl = profile.crawl
        self.browser, self.judges = browser, judges
        self.profile, self.client, self.policy, self.db, self.run_id = profile, client, policy, db, run_id
        self.on_page = on_page
        scope = self.scope = profile.site.scope
        excluded = tuple(re.compile(p) for p in crawl.exclude)
        self.frontier = Frontier(
            scope, crawl.max_pages, crawl.max_depth, excluded, max_query_variants=crawl.max_query_variants
        )
        self.pacer = HostPacer(crawl.requests_per_second)
        unguarded = FetchSettings(
            max_body_bytes=crawl.max_body_bytes,
            page_timeout=crawl.page_timeout,
            retries=crawl.retries,
            retry_after_cap=crawl.retry_after_cap,
            in_scope=lambda url: in_scope(url, scope),
        )
        self.gate = Gate(client, unguarded, excluded, crawl.respect_robots, self.pacer)
        self.settings = replace(unguarded, refuse=self.gate.refusal)
        self.sitemap_settings = replace(
            self.settings, accept_any_type=True, truncate=True, max_body_bytes=MAX_SITEMAP_BYTES
        )
        self.sitemap_problems: list[tuple[str, str]] = []
        self.resources = PageResources(
            client,
            self.settings,
            lambda url: in_scope(url, scope),
            self._admit,
            lambda url: self.pacer.wait(host_of(url)),
        )
        self.images = FooterImages(self.resources, policy)
        self.page_judge = PageJudge(judges, self.resources, browser, policy, self.images)
        self.refused = 0  # resources (sheets, frames, browser requests) recorded as refused
        self.ledger = Ledger(db, run_id, busy_timeout=profile.storage.busy_timeout)
        self.start_urls = {u for u in map(normalise_url, profile.site.start_urls) if u}
        self.fetched = 0
        self.hosts: set[str] = set()  # hosts that served judged pages (final URLs)
        self.judged = 0
        self.in_footer = 0
        self.first_error: str | None = None
        self.first_skip: str | None = None
        self.from_sitemap: list[tuple[str, str]] = []  # (url, final url) of pages admitted from the sitemap
        self.linked: set[str | None] = set()  # normalised URLs some judged page links to
        self.capped = False  # some URL was left out by max_pages/max_depth/max_query_variants
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
        leftovers = self.frontier.leftovers()
        if self.profile.crawl.max_depth > 0:  # depth 0 (and --url-list) asked for the listed URLs only
            for skip in leftovers:
                self._record_skip(skip)

    async def _seed_sitemaps(self) -> None:
        for origin in sorted({origin_of(u) for u in self.start_urls}):
            robots = await self.gate.robots_of(origin)
            if robots.unreachable:
                continue
            listed = robots.sitemaps or [f"{origin}/sitemap.xml"]
            found = await read_sitemaps(
                self.client,
                listed,
                self.sitemap_settings,
                self._may_fetch_now,
                source=f"{origin}/robots.txt",
                guessed=not robots.sitemaps,
            )
            self.sitemap_problems += found.problems
            for url in found.pages:
                self._record_skip(self.frontier.offer(url, 1, "sitemap"))

    def _may_fetch_now(self, url: str) -> bool:
        """In scope, and allowed by the profile's excludes and (where already known) robots.txt."""
        return in_scope(url, self.scope) and self.gate.known_refusal(url) is None

    async def _admit(self, url: str, depth: int) -> bool:
        """May a resource of a page (style sheet, frame, browser request) be fetched? A refusal is
        recorded as a skipped URL (once per URL, at most MAX_REFUSED_RECORDED a run)."""
        reason = await self.gate.refusal(url)
        if reason is None:
            return True
        key = normalise_url(url) or url
        if key not in self.frontier.seen and self.refused < MAX_REFUSED_RECORDED:
            self.frontier.seen.add(key)  # the frontier will not record it a second time as a link
            self.refused += 1
            self._record_skip(Skip(key, depth, reason))
        return False

    def _browser_allow(self, depth: int) -> Callable[[str], Awaitable[bool]]:
        """The check for each request the browser makes while rendering a page at `depth`."""

        async def allow(url: str) -> bool:
            """In scope and admitted (robots.txt of its origin read first); then paced like every
            fetch of its host."""
            if not in_scope(url, self.scope) or not await self._admit(url, depth + 1):
                return False
            await self.pacer.wait(host_of(url))
            return True

        return allow

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
            await self.ledger.settle()  # pauses here while the database is busy and the batch full

    async def _visit(self, visit: Visit) -> None:
        robots = await self.gate.robots_of(origin_of(visit.url))
        reason = robots_refusal(robots, visit.url) if self.profile.crawl.respect_robots else None
        if reason is not None:
            self._record_skip(Skip(visit.url, visit.depth, reason))
            return
        await self.pacer.wait(host_of(visit.url))  # per host: http and https share one budget
        result = await fetch(self.client, visit.url, self.settings)
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
        if not result.ok or result.body is None:
            self._add(self._unfetched(record, result))
            return
        self.fetched += 1
        final = record.final_url or record.url
        home = record.url in self.start_urls or is_homepage(record.url) or is_homepage(final)
        page = PageInput(record.url, final, home, result.body, record.content_type)
        record, links = await self.page_judge.judge(record, page, self._browser_allow(record.depth))
        self.hosts.add(host_of(record.final_url or record.url))
        self.judged += 1
        self.in_footer += record.verdict is Verdict.COMPLIANT
        self._add(record)
        if visit.via == "sitemap":
            self.from_sitemap.append((visit.url, normalise_url(record.final_url or "") or visit.url))
        for link in links:
            self._record_skip(self.frontier.offer(link, visit.depth + 1, "link"))
            if (url := normalise_url(link)) != visit.url:  # a page linking to itself is still unreachable
                self.linked.add(url)

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
            if self.first_skip is None:
                self.first_skip = f"{skip.url}: {skip.reason}"
            self.capped = self.capped or skip.reason.startswith("over max_")
            record = PageRecord(
                url=skip.url,
                final_url=None,
                status=None,
                content_type=None,
                depth=skip.depth,
                verdict=Verdict.SKIPPED,
                error=skip.reason,
            )
            # Counted by reason; stored as a row only while the run's sample has room (issue 12).
            if self.ledger.add_skipped(record, skip_kind(skip.reason)) and self.on_page is not None:
                self.on_page(record, len(self.frontier.queue))

    def _add(self, record: PageRecord) -> None:
        self.ledger.add(record)
        if self.on_page is not None:
            self.on_page(record, len(self.frontier.queue))

    def site_facts(self) -> SiteFacts:
        """What the crawl saw, for the site rules."""
        return SiteFacts(
            hosts=tuple(sorted(self.hosts)),
            pages_judged=self.judged,
            pages_with_licence_in_footer=self.in_footer,
            orphans=self.orphans(),
            unrendered=self.browser.unconfirmed,
            render_problem=self.browser.problem,
            images_unread=self.images.unread,
            ocr_problem=self.images.problem or "",
            sitemap_problems=tuple(self.sitemap_problems),
        )

    def orphans(self) -> tuple[str, ...]:
        """Judged pages admitted from the sitemap that no judged page links to (under the URL or its
        redirect target). Empty when a cap left pages uncrawled: their links are unknown."""
        if self.capped:
            return ()
        return tuple(sorted(u for u, final in self.from_sitemap if not {u, final} & self.linked))

    def failure(self) -> str | None:
        """Why the run failed, in one line, or None: it fails when no page could be fetched."""
        if self.fetched:
            return None
        robots = self.gate.unreachable() if self.profile.crawl.respect_robots else None
        if robots is not None:
            return f"robots.txt of {robots.origin} unreachable ({robots.detail}); nothing was fetched"
        if self.first_error is not None:
            return f"no page could be fetched: {self.first_error}"
        return f"nothing was fetched: {self.first_skip or 'no start URL in scope'}"
