"""Plain records of a stored run, shared by storage (which returns them) and reports (which shows them); pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from rules.model import Finding, LicenceFacts, NumberHit, Severity, Verdict


class RunStatus(StrEnum):
    """Lifecycle of a run: running from its first row, then complete, failed or interrupted."""

    RUNNING = "running"
    COMPLETE = "complete"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


@dataclass(frozen=True, slots=True)
class PageRecord:
    """One URL's recorded outcome and judgement."""

    url: str
    final_url: str | None
    status: int | None
    content_type: str | None
    depth: int
    verdict: Verdict
    footer_found: bool = False
    footer_text: str = ""
    is_homepage: bool = False
    numbers: tuple[NumberHit, ...] = ()
    findings: tuple[Finding, ...] = ()
    error: str | None = None  # FetchError kind plus detail, or the reason it was skipped
    redirects: tuple[str, ...] = ()
    size: int | None = None
    elapsed_ms: int | None = None
    footer_fingerprint: str = ""  # groups pages by footer template; "" when none was computed


@dataclass(frozen=True, slots=True)
class FooterShot:
    """The picture of one footer template as a browser drew it (the licence number outlined when found)."""

    fingerprint: str  # the template's footer fingerprint (PageRecord.footer_fingerprint)
    media_type: str  # image/png, or image/jpeg when a PNG would be too large
    data: bytes
    width: int  # pixels
    height: int
    viewport: str = "desktop"


@dataclass(frozen=True, slots=True)
class NotificationRecord:
    """One alert sent (or attempted) about a run: which channel, whether it went out, and when."""

    channel: str
    ok: bool
    detail: str  # what was sent to whom, or why it failed
    sent_at: datetime  # UTC, tz-aware


@dataclass(frozen=True, slots=True)
class Counts:
    """The counts of the JSON contract's `run.counts`."""

    pages: int
    compliant: int
    non_compliant: int
    fetch_errors: int
    errors: int
    warnings: int
    infos: int

    @classmethod
    def of(cls, pages: Sequence[PageRecord], site_findings: Sequence[Finding]) -> Counts:
        """Count verdicts and findings (site findings included)."""
        findings = [f for p in pages for f in p.findings] + list(site_findings)
        return cls(
            pages=len(pages),
            compliant=sum(p.verdict is Verdict.COMPLIANT for p in pages),
            non_compliant=sum(p.verdict.judged and p.verdict is not Verdict.COMPLIANT for p in pages),
            fetch_errors=sum(p.verdict is Verdict.FETCH_ERROR for p in pages),
            errors=sum(f.severity is Severity.ERROR for f in findings),
            warnings=sum(f.severity is Severity.WARNING for f in findings),
            infos=sum(f.severity is Severity.INFO for f in findings),
        )


@dataclass(frozen=True, slots=True)
class RunInfo:
    """A run's header row: who, when, how it ended, against which licence facts and date."""

    id: int
    site: str
    status: RunStatus
    trigger: str  # manual | schedule | catch-up
    started_at: datetime  # UTC, tz-aware
    finished_at: datetime | None
    tool_version: str
    licence: LicenceFacts
    today: date  # the date the VAL rules judged against
    error: str | None = None  # one line saying why a run failed
    counts: Counts | None = None
    # Every URL skipped, by reason kind (`skip_kind`), stored as a row or not (only a sample is); empty for
    # runs stored before issue 12. `skipped_exact`: False once the crawl counted links, not distinct URLs.
    skipped: tuple[tuple[str, int], ...] = ()
    skipped_exact: bool = True


_SKIP_KINDS = (
    ("over max_pages", "max_pages"),
    ("over max_depth", "max_depth"),
    ("over max_query_variants", "max_query_variants"),
    ("excluded", "excluded"),
    ("disallowed by robots.txt", "robots"),
    ("robots.txt unreachable", "robots_unreachable"),
)


def skip_kind(reason: str) -> str:
    """The kind of a skipped URL's reason ("over max_pages 500" -> "max_pages"), counted per run."""
    return next((kind for prefix, kind in _SKIP_KINDS if reason.startswith(prefix)), "other")


@dataclass(frozen=True, slots=True, repr=False)
class RunRecord:
    """A whole stored run: header, site findings, every page and its footer pictures (browser mode)."""

    info: RunInfo
    site_findings: tuple[Finding, ...]
    # A tuple, or (from storage) a sequence read from the database a chunk at a time on each pass.
    pages: Sequence[PageRecord]
    footer_shots: tuple[FooterShot, ...] = ()  # one per footer template pictured; none for older runs

    def __repr__(self) -> str:
        # Short on purpose: reprlib (asyncio's task repr, pytest) builds the whole repr before cutting it,
        # and Python 3.11's asyncio.run formats the finished main task once, so the default repr of a
        # 10,000-page run (about 70 MB of text) was the audit's peak memory.
        return f"RunRecord(run {self.info.id} of {self.info.site!r}, {len(self.pages)} pages)"

    @property
    def counts(self) -> Counts:
        """The counts stored with the header (computed by the database), else from the pages."""
        if self.info.counts is not None:
            return self.info.counts
        return Counts.of(self.pages, self.site_findings)
