"""Domain types shared by every layer: severities, verdicts, page facts, findings, licence facts; pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from rules.numbers import NumberKind


class Severity(StrEnum):
    """How bad a finding is; ordered by `rank`."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


class Verdict(StrEnum):
    """The one verdict of a page (DESIGN.md §4), in the order they are tried."""

    COMPLIANT = "compliant"
    WRONG_NUMBER = "wrong-number"
    HIDDEN = "hidden"
    IMAGE_ONLY = "image-only"
    ELSEWHERE = "elsewhere"
    NEEDS_RENDER = "needs-render"
    MISSING = "missing"
    FETCH_ERROR = "fetch-error"
    NOT_HTML = "not-html"
    SKIPPED = "skipped"

    @property
    def judged(self) -> bool:
        """True for verdicts about a fetched HTML page (the ones that count as compliant or not)."""
        return self not in (Verdict.FETCH_ERROR, Verdict.NOT_HTML, Verdict.SKIPPED)


class Where(StrEnum):
    """Where in the markup a number stands; only TEXT is what a visitor reads."""

    TEXT = "text"  # rendered text, visible unless `NumberHit.visible` is False
    IMAGE = "image"  # alt or title of an <img> (pixels are not text)
    COMMENT = "comment"
    SCRIPT = "script"
    NOSCRIPT = "noscript"
    TEMPLATE = "template"
    ATTRIBUTE = "attribute"  # title, meta content, JSON-LD and other text nobody reads on screen


@dataclass(frozen=True, slots=True)
class NumberHit:
    """One registration number found on a page, with where it stands and what it links to."""

    kind: NumberKind
    value: str
    key: str
    where: Where
    in_footer: bool
    visible: bool
    href: str | None = None
    hidden_reason: str | None = None  # e.g. "display:none on div.footer" when visible is False
    context: str = ""  # normalised text around the number, for evidence
    raw: str = ""  # the matched text as shown (normalised), label typos and missing 号 included
    centred: bool | None = (
        None  # its block is centred (text-align/margin auto); None = cannot tell statically
    )
    badge: bool = False  # a police-badge image in the same link or right beside it (公安 numbers)


class SignalKind(StrEnum):
    """Page features the scope and e-commerce rules weigh; a human decides, the rules only point."""

    SITE_SEARCH = (
        "site-search"  # a search box over the site's own pages (form[role=search], input[type=search], …)
    )
    SEARCH_SERVICE = "search-service"  # a search engine, 网址导航 directory or third-party data lookup
    CHAT_VENDOR = "chat-vendor"  # a customer-service widget run by a vendor (53KF, 美洽, …)
    INSTANT_MESSAGING = "instant-messaging"  # user-to-user chat, IM SDKs, WebSocket chat, 私信/聊天室
    VOICE_VIDEO = "voice-video"  # WebRTC getUserMedia, 语音通话/视频通话
    SHOP = "shop"  # cart, checkout, buy buttons with prices
    BUSINESS_LICENCE = "business-licence"  # 营业执照 / 亮照 link (gsxt.gov.cn, zzlz)


@dataclass(frozen=True, slots=True)
class Signal:
    """One page feature with the evidence a human needs to decide (an element, a script host, a phrase)."""

    kind: SignalKind
    evidence: str


@dataclass(frozen=True, slots=True)
class PageFacts:
    """What extraction learnt of one HTML page; the static and a browser path produce the same type."""

    url: str
    final_url: str
    is_homepage: bool
    footer_found: bool
    footer_how: str  # which heuristic located the footer ("footer", "role", "class", "last-block", "none")
    footer_text: str  # visible, normalised footer text (truncated), for evidence
    numbers: tuple[NumberHit, ...] = ()
    js_shell: bool = False  # almost no visible text but scripts: a browser would build the page
    signals: tuple[Signal, ...] = ()
    # Facts read from a browser's DOM: the keys of the numbers the server's HTML already showed as
    # visible text (TECH-001 names the others). None for facts from the static path.
    server_keys: frozenset[str] | None = None
    viewport_gaps: tuple[tuple[str, str], ...] = ()  # (number, viewport): shown on one, hidden on this one
    # The footer's structure for grouping pages by template (rules.templates): its elements' tag
    # names in document order, nested in "( )", no ids, classes or text; bounded; "" without a footer.
    footer_shape: str = ""
    # Distinct hrefs that are no URL (an unclosed IPv6 bracket): how many, and
    # the first few as written, clipped (NET-004). They are not followed.
    bad_links: tuple[str, ...] = ()
    bad_link_count: int = 0


@dataclass(frozen=True, slots=True)
class SiteFacts:
    """What the whole crawl saw, for site rules: the hosts that served pages, and the homepage's verdict."""

    hosts: tuple[str, ...] = ()
    pages_judged: int = 0
    pages_with_licence_in_footer: int = 0
    orphans: tuple[str, ...] = ()  # judged pages found only through the sitemap, linked from no judged page
    unrendered: int = 0  # pages the browser mode should have rendered but could not (TECH-003)
    render_problem: str = ""  # why: no usable browser, or the first render failure
    images_unread: int = 0  # pages whose footer images could not be read with OCR (TECH-006)
    ocr_problem: str = ""  # why: no OCR engine, or over the run's image budget
    sitemap_problems: tuple[
        tuple[str, str], ...
    ] = ()  # (sitemap or robots.txt URL, what was wrong) (NET-003)


Params = tuple[tuple[str, str], ...]
"""The values a finding's message is built from, as sorted (key, value) pairs: frozen and hashable."""


def message_params(**values: object) -> Params:
    """`Finding.params` from keyword values, each turned into a string, sorted by key."""
    return tuple(sorted((key, str(value)) for key, value in values.items()))


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule's result: id, severity, a message for people and the evidence that supports it.

    `message` is English (the JSON export's contract); `params` holds the values it was built from,
    with a `case` key where one rule words several situations, so reports can say it in any language.
    """

    rule: str
    severity: Severity
    message: str
    evidence: str = ""
    params: Params = ()


@dataclass(frozen=True, slots=True)
class LicenceFacts:
    """The facts printed on a 增值电信业务经营许可证, plus a renewal when one was granted."""

    number: str
    holder: str
    valid_until: date
    issued: date | None = None
    renewed_until: date | None = None
    domains: tuple[str, ...] = ()
    excluded_services: tuple[str, ...] = ()

    @property
    def effective_until(self) -> date:
        """The last day the licence is valid, counting a recorded renewal."""
        return self.renewed_until or self.valid_until

    def days_left(self, today: date) -> int:
        """Days until expiry; negative once expired."""
        return (self.effective_until - today).days

    def days_before_issue(self, today: date) -> int:
        """Days from `today` to the issue date: positive while not yet issued, else (or unknown) 0."""
        return max(0, (self.issued - today).days) if self.issued else 0


@dataclass(frozen=True, slots=True)
class FetchOutcome:
    """The network side of one URL as rules see it: status, error kind, redirects."""

    url: str
    final_url: str | None
    status: int | None
    content_type: str | None
    error: str | None = None  # FetchError value: "timeout", "connect", "tls", "http", "too_large", ...
    error_detail: str = ""
    redirects: tuple[str, ...] = field(default_factory=tuple)
