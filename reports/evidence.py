"""Failing pages as evidence: highlighted footer text, numbers found, pages with identical evidence grouped."""

from __future__ import annotations

from dataclasses import dataclass

from reports.bidi import encode_bidi_controls
from reports.findings import FindingLine, finding_line, worst_severity
from reports.messages import Catalogue
from rules.model import NumberHit, Severity, Verdict
from rules.numbers import NumberKind, find_numbers, parse_licence
from rules.records import PageRecord, RunRecord
from rules.text import normalise

MAX_GROUPS = 200  # evidence blocks shown; the all-pages table lists the rest
URLS_SHOWN = 5  # per group before the rest collapses
NUMBERS_SHOWN = 12
FOOTER_CHARS = 2000
VERDICT_ORDER = {v: i for i, v in enumerate(Verdict)}
VERDICT_TONES = {
    Verdict.COMPLIANT: "ok",
    Verdict.FETCH_ERROR: "warn",
    Verdict.NEEDS_RENDER: "warn",
    Verdict.NOT_HTML: "muted",
    Verdict.SKIPPED: "muted",
}


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of crawled text; `mark` is "ours" or "other" for a licence number, else empty."""

    text: str
    mark: str = ""


@dataclass(frozen=True, slots=True)
class Link:
    """A crawled URL; `href` is set only for http(s) URLs, so no javascript: link reaches the report."""

    text: str
    href: str


@dataclass(frozen=True, slots=True)
class NumberView:
    """One registration number found on a page, with where it stood and its surrounding text."""

    kind: str
    value: str
    mark: str
    where: str
    flags: str
    hidden_reason: str
    href: str
    context: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class FailGroup:
    """Pages that share one verdict and identical evidence."""

    verdict: str
    verdict_help: str
    tone: str
    fetched: bool
    title: str
    urls: tuple[Link, ...]
    more_urls: tuple[Link, ...]
    more_label: str
    status: str
    error: str
    footer_found: bool
    footer: tuple[Segment, ...]
    numbers: tuple[NumberView, ...]
    findings: tuple[FindingLine, ...]


@dataclass(frozen=True, slots=True)
class FailingView:
    """The failing-pages section: groups, an intro line and how many groups were left out."""

    groups: tuple[FailGroup, ...]
    intro: str
    capped: str


def verdict_tone(verdict: Verdict) -> str:
    """The colour family of a verdict: ok, warn, muted or bad."""
    return VERDICT_TONES.get(verdict, "bad")


def licence_key(number: str) -> str:
    """The comparison key of the configured licence number."""
    return parse_licence(number) or number


def highlight(text: str, key: str) -> tuple[Segment, ...]:
    """Split normalised text around licence numbers: ours marked "ours", any other "other"."""
    text = normalise(text)
    segments: list[Segment] = []
    pos = 0
    for match in find_numbers(text):
        if match.kind is not NumberKind.LICENCE:
            continue
        # the licence pattern may start with the spaces before an unprefixed number: leave them unmarked
        start = match.end - len(text[match.start : match.end].lstrip())
        segments.append(Segment(text[pos:start]))
        segments.append(Segment(text[start : match.end], "ours" if match.key == key else "other"))
        pos = match.end
    segments.append(Segment(text[pos:]))
    return tuple(s for s in segments if s.text)


def is_failing(page: PageRecord) -> bool:
    """A page the failing section shows: judged and not compliant, unfetched, or with a warning or worse."""
    if page.verdict.judged and page.verdict is not Verdict.COMPLIANT:
        return True
    return page.verdict is Verdict.FETCH_ERROR or any(f.severity is not Severity.INFO for f in page.findings)


def link(url: str) -> Link:
    """A crawled URL as a link: clickable only when it is http(s)."""
    safe = url.lower().startswith(("http://", "https://"))
    return Link(url, encode_bidi_controls(url) if safe else "")


def _flags(hit: NumberHit, cat: Catalogue) -> str:
    seen = cat.text["number_visible" if hit.visible else "number_invisible"]
    footer = cat.text["number_in_footer" if hit.in_footer else "number_not_in_footer"]
    return f"{seen} · {footer}"


def _number(hit: NumberHit, key: str, cat: Catalogue) -> NumberView:
    mark = "" if hit.kind is not NumberKind.LICENCE else ("ours" if hit.key == key else "other")
    return NumberView(
        kind=cat.kinds[hit.kind],
        value=hit.value,
        mark=mark,
        where=cat.wheres[hit.where],
        flags=_flags(hit, cat),
        hidden_reason=hit.hidden_reason or "",
        href=hit.href or "",
        context=highlight(hit.context[:FOOTER_CHARS], key) if hit.context else (),
    )


def evidence_key(page: PageRecord) -> tuple[object, ...]:
    """What the failing section shows of a page: pages with equal keys are shown as one group."""
    return (
        page.verdict,
        page.status,
        page.footer_found,
        page.footer_text,
        page.numbers,
        page.findings,
        page.error,
    )


def _group(pages: list[PageRecord], key: str, cat: Catalogue) -> FailGroup:
    first = pages[0]
    links = tuple(link(p.url) for p in pages)
    rest = len(links) - URLS_SHOWN
    return FailGroup(
        verdict=cat.verdicts[first.verdict],
        verdict_help=cat.verdict_help[first.verdict],
        tone=verdict_tone(first.verdict),
        fetched=first.verdict.judged,
        title=cat.say("group_same", pages=cat.count("page", len(pages))) if len(pages) > 1 else "",
        urls=links[:URLS_SHOWN],
        more_urls=links[URLS_SHOWN:],
        more_label=cat.say("group_more", pages=cat.count("page", rest)) if rest > 0 else "",
        status="" if first.status is None else str(first.status),
        error=first.error or "",
        footer_found=first.footer_found,
        footer=highlight(first.footer_text[:FOOTER_CHARS], key),
        numbers=tuple(_number(h, key, cat) for h in first.numbers[:NUMBERS_SHOWN]),
        findings=tuple(finding_line(f, cat) for f in first.findings),
    )


def _order(pages: list[PageRecord]) -> tuple[object, ...]:
    worst = worst_severity(f for f in pages[0].findings)
    rank = worst.rank if worst else -1
    homepage = any(p.is_homepage for p in pages)
    return (not homepage, -rank, VERDICT_ORDER[pages[0].verdict], -len(pages), pages[0].url)


def failing_view(record: RunRecord, cat: Catalogue) -> FailingView:
    """Group the failing pages by identical evidence, worst first, the homepage's group leading."""
    groups: dict[tuple[object, ...], list[PageRecord]] = {}
    # Only the failing pages are held and sorted: a big run's pages are read a chunk at a time.
    for page in sorted((p for p in record.pages if is_failing(p)), key=lambda p: (p.depth, p.url)):
        groups.setdefault(evidence_key(page), []).append(page)
    ordered = sorted(groups.values(), key=_order)
    key = licence_key(record.info.licence.number)
    total = sum(len(g) for g in ordered)
    left_out = len(ordered) - MAX_GROUPS
    return FailingView(
        groups=tuple(_group(g, key, cat) for g in ordered[:MAX_GROUPS]),
        intro=cat.say(
            "failing_intro", pages=cat.count("page", total), groups=cat.count("group", len(ordered))
        )
        if ordered
        else "",
        capped=cat.say("failing_capped", groups=cat.count("group", left_out)) if left_out > 0 else "",
    )
