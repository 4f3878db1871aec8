"""What changed between two runs of a site: findings new, resolved and still open, pages added and gone; pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from rules.model import Finding, Severity
from rules.records import RunRecord


@dataclass(frozen=True, slots=True)
class DiffFinding:
    """One finding as the diff shows it: rule, page URL (None for a site finding), severity, message."""

    rule: str
    url: str | None
    severity: Severity
    message: str


@dataclass(frozen=True, slots=True)
class RunDiff:
    """The current run compared with an earlier run (`against_run`) of the same site."""

    against_run: int
    new: tuple[DiffFinding, ...]
    resolved: tuple[DiffFinding, ...]
    open: tuple[DiffFinding, ...]
    pages_added: tuple[str, ...]
    pages_gone: tuple[str, ...]

    def count(self, which: tuple[DiffFinding, ...], severity: Severity) -> int:
        """How many findings of `which` (e.g. `self.new`) have `severity`."""
        return sum(f.severity is severity for f in which)


def normalise_url(url: str) -> str:
    """The URL as findings are matched: scheme and host lower-case, no fragment, an empty path is "/"."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


_Key = tuple[str, str | None]


def _findings(record: RunRecord) -> dict[_Key, DiffFinding]:
    """The run's findings keyed by (rule, normalised URL); the first of duplicates on one page wins."""
    keyed: dict[_Key, DiffFinding] = {}

    def add(found: Iterable[Finding], url: str | None) -> None:
        for f in found:
            key = (f.rule, None if url is None else normalise_url(url))
            keyed.setdefault(key, DiffFinding(f.rule, url, f.severity, f.message))

    add(record.site_findings, None)
    for page in record.pages:
        add(page.findings, page.url)
    return keyed


def _urls(record: RunRecord) -> dict[str, str]:
    return {normalise_url(p.url): p.url for p in record.pages}


def diff_runs(current: RunRecord, previous: RunRecord) -> RunDiff:
    """Compare `current` with `previous`: findings matched by (rule, normalised URL), pages by URL.

    New and still-open findings are shown as the current run words them, resolved ones as the
    previous run did; every list keeps the order of the run it comes from.
    """
    now, before = _findings(current), _findings(previous)
    now_urls, before_urls = _urls(current), _urls(previous)
    return RunDiff(
        against_run=previous.info.id,
        new=tuple(f for k, f in now.items() if k not in before),
        resolved=tuple(f for k, f in before.items() if k not in now),
        open=tuple(f for k, f in now.items() if k in before),
        pages_added=tuple(u for k, u in now_urls.items() if k not in before_urls),
        pages_gone=tuple(u for k, u in before_urls.items() if k not in now_urls),
    )
