"""Footer templates: a fingerprint of a page's footer (normalised text, structure, registration numbers)
and the pages of a run grouped by it, broken templates first; pure.

The same site-wide footer on two pages gets the same fingerprint; what varies per page in such a
footer is masked (the page's own address, dates and times, render timings and visit counters), never a
registration number: any change to a number, its visibility, where it stands or where it links gives
another template. The structure is the crawler's `PageFacts.footer_shape` (tag names only: a class
marking the current page's link does not split a template).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import urlsplit

from rules.model import Finding, NumberHit, PageFacts, Severity, Verdict
from rules.numbers import find_numbers
from rules.records import PageRecord
from rules.text import normalise

NO_FOOTER = "none"  # the fingerprint of every judged page without a footer region
FULL = "f1-"  # text, structure and numbers (computed while crawling); the digit is the scheme's version
TEXT_ONLY = "t1-"  # text and numbers, no structure: pages stored before fingerprints were recorded
DIGEST_CHARS = 16  # hex digits kept of the SHA-256 (64 bits: no collision among a site's footers)
TEXT_KEYS_MEMO = 256  # footer texts whose key is remembered (the pages of a site repeat a few footers)

# What a site-wide footer shows differently on each page, as (pattern, placeholder); applied in order,
# outside the registration numbers only. Dates come before times and timings before counters.
PER_PAGE_TEXT: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<!\d)\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}(?:\s*日)?(?!\d)"), "<date>"),
    (re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])"), "<time>"),
    (
        re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s*(?:ms|s|sec|seconds?|second\(s\)|毫秒|秒)(?![A-Za-z])", re.I),
        "<timing>",
    ),
    (re.compile(r"(?<!\d)\d+\s*(?:queries|次查询|次访问|位访客|人次)", re.I), "<count>"),
    (
        re.compile(
            r"(?:访问量|浏览量|访问次数|浏览次数|点击量|点击数|阅读量|阅读|浏览|访客|在线人数|当前在线)\s*:?\s*\d+"
        ),
        "<count>",
    ),
)
_URL = re.compile(r"https?://[^\s<>\"']+", re.I)


def _hosts(urls: Iterable[str]) -> frozenset[str]:
    return frozenset(h for u in urls if (h := (urlsplit(u).hostname or "").lower()))


def _mask(text: str, hosts: frozenset[str]) -> str:
    def own(m: re.Match[str]) -> str:
        return "<url>" if (urlsplit(m[0]).hostname or "").lower() in hosts else m[0]

    if hosts:
        text = _URL.sub(own, text)
    for pattern, placeholder in PER_PAGE_TEXT:
        text = pattern.sub(placeholder, text)
    return text


def footer_text_key(text: str, urls: Iterable[str] = ()) -> str:
    """The footer text as templates compare it: normalised (rules.text), the per-page parts masked
    (PER_PAGE_TEXT, and URLs on the host of any of `urls`, the page's own addresses); registration
    numbers are kept exactly, so a wrong digit is never masked away; whitespace is dropped."""
    text = _normalised(text)
    hosts = _hosts(urls) if "://" in text else frozenset()  # URL parsing costs more than the rest
    return _text_key(text, hosts)


# A site's pages share a few footers: their normalised text and key are remembered, not recomputed.
@lru_cache(maxsize=TEXT_KEYS_MEMO)
def _normalised(text: str) -> str:
    """`normalise(text).strip()`, memoised."""
    return normalise(text).strip()


@lru_cache(maxsize=TEXT_KEYS_MEMO)
def _text_key(text: str, hosts: frozenset[str]) -> str:
    """The key of a normalised footer text, given the page's hosts (memoised)."""
    parts: list[str] = []
    pos = 0
    for match in find_numbers(text):
        parts.append(_mask(text[pos : match.start], hosts))
        parts.append(text[match.start : match.end])
        pos = match.end
    parts.append(_mask(text[pos:], hosts))
    return "".join("".join(parts).split())  # indentation differs between pages built by one template


def _number_key(hit: NumberHit) -> str:
    # Everything a rule may judge about a footer number, except the page-specific hidden_reason wording.
    shown = "".join((hit.raw or hit.value).split())
    fields = (hit.kind, shown, hit.where, hit.visible, hit.href or "", hit.centred, hit.badge)
    return "|".join(map(str, fields))


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:DIGEST_CHARS]


def fingerprint(
    *, footer_found: bool, text: str, numbers: Sequence[NumberHit], urls: Iterable[str], shape: str | None
) -> str:
    """The template fingerprint of a footer: NO_FOOTER without one; else FULL (with `shape`) or
    TEXT_ONLY (`shape` None) followed by a digest of its text key, shape and footer numbers in order."""
    if not footer_found:
        return NO_FOOTER
    footer_numbers = "\x1e".join(_number_key(h) for h in numbers if h.in_footer)
    text_key = footer_text_key(text, urls)
    if shape is None:
        return TEXT_ONLY + _digest(text_key, footer_numbers)
    return FULL + _digest(text_key, shape, footer_numbers)


def facts_fingerprint(facts: PageFacts) -> str:
    """The fingerprint of an extracted page (text, structure and numbers)."""
    return fingerprint(
        footer_found=facts.footer_found,
        text=facts.footer_text,
        numbers=facts.numbers,
        urls=(facts.url, facts.final_url),
        shape=facts.footer_shape,
    )


def page_fingerprint(page: PageRecord) -> str:
    """A stored page's fingerprint: the one recorded while crawling, else (runs stored before
    fingerprints existed) TEXT_ONLY from its footer text and numbers; "" for a page not judged."""
    if not page.verdict.judged:
        return ""
    if page.footer_fingerprint:
        return page.footer_fingerprint
    urls = (page.url, page.final_url or page.url)
    return fingerprint(
        footer_found=page.footer_found, text=page.footer_text, numbers=page.numbers, urls=urls, shape=None
    )


def broken(verdict: Verdict) -> bool:
    """The page does not display the licence properly (judged, neither compliant nor undecidable)."""
    return verdict.judged and verdict not in (Verdict.COMPLIANT, Verdict.NEEDS_RENDER)


def _badness(page: PageRecord) -> tuple[object, ...]:
    """Sort key: broken pages first, then undecidable, then compliant; the homepage, then shallow, short URLs."""
    level = 0 if broken(page.verdict) else 1 if page.verdict is Verdict.NEEDS_RENDER else 2
    return (level, not page.is_homepage, page.depth, len(page.url), page.url)


@dataclass(frozen=True, slots=True)
class Template:
    """The judged pages sharing one footer fingerprint, the worst first, and their verdicts."""

    fingerprint: str
    pages: tuple[PageRecord, ...]
    verdicts: tuple[tuple[Verdict, int], ...]  # each verdict with its page count, in Verdict order

    @property
    def example(self) -> PageRecord:
        """The page that shows the template at its worst (a broken one if any; the homepage first)."""
        return self.pages[0]

    @property
    def broken_pages(self) -> int:
        """How many of its pages do not display the licence properly."""
        return sum(n for v, n in self.verdicts if broken(v))

    @property
    def text_only(self) -> bool:
        """Grouped by text and numbers alone (a run stored before fingerprints were recorded)."""
        return self.fingerprint.startswith(TEXT_ONLY)


def _order(t: Template) -> tuple[object, ...]:
    undecided = sum(n for v, n in t.verdicts if v is Verdict.NEEDS_RENDER)
    return (not t.broken_pages, not undecided, -t.broken_pages, -len(t.pages), t.example.url)


def worse(page: PageRecord, than: PageRecord) -> bool:
    """Whether `page` shows its template worse than `than` does (the example is the worst, the first of equals)."""
    return _badness(page) < _badness(than)


@lru_cache(maxsize=1024)
def _light_finding(rule: str, severity: Severity) -> Finding:
    return Finding(rule, severity, "")  # one object per rule and severity, shared by every light page


def light_page(page: PageRecord) -> PageRecord:
    """A page as a template keeps it when it is not the example: what sorting and the template's verdicts
    and rules need, without its footer text, numbers and finding texts (a big run holds thousands)."""
    findings = tuple(_light_finding(f.rule, f.severity) for f in page.findings)
    # The fingerprint is kept as computed from the whole page (runs stored before fingerprints: its text).
    fingerprint = page_fingerprint(page)
    return replace(
        page, footer_text="", numbers=(), findings=findings, redirects=(), footer_fingerprint=fingerprint
    )


def group_templates(
    pages: Iterable[PageRecord], *, keep: Callable[[PageRecord], PageRecord] | None = None
) -> tuple[Template, ...]:
    """The judged pages grouped by footer fingerprint: templates with broken pages first (most broken
    pages first), then those with undecidable pages, then by size; pages not judged are left out.
    `keep` (e.g. `light_page`) is what a template holds of each page but its example, which stays whole."""
    groups: dict[str, list[PageRecord]] = {}
    examples: dict[str, PageRecord] = {}  # the worst page of each template so far, whole
    for page in pages:
        if key := page_fingerprint(page):
            if key not in examples or worse(page, examples[key]):
                examples[key] = page
            groups.setdefault(key, []).append(page if keep is None else keep(page))
    templates: list[Template] = []
    for key, members in groups.items():
        seen = Counter(p.verdict for p in members)
        verdicts = tuple((v, seen[v]) for v in Verdict if seen[v])
        ordered = sorted(members, key=_badness)  # the example first: sorting is stable, as min() is
        templates.append(Template(key, (examples[key], *ordered[1:]), verdicts))
    return tuple(sorted(templates, key=_order))
