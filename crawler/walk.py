"""One iterative walk of a parsed page in document order: rendered text segments with their context,
numbers in the non-rendered channels, links, images, scripts and frames; pure (selectolax Lexbor).

An explicit stack (deeply nested pages must not overflow). Rendered text is kept as segments, glued
across inline tags and broken at blocks; each segment keeps its visibility, footer membership, link
and text node, for `crawler.hits` to map numbers back. Comments, scripts, <noscript>, <template>,
attributes and image alt text are searched as separate channels. Frames (`<iframe srcdoc>`, and
`<iframe src>` documents the caller fetched) are walked in place as documents of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from html import unescape
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler.footer_heuristics import INLINE_TAGS, NON_RENDERED_TAGS
from crawler.stylesheets import document_base, document_styles
from crawler.textscan import BLANK, ZERO_WIDTH, find_numbers, normalise
from crawler.visibility import (
    HIDING_TAGS,
    MATCH_MEMO_MAX,
    NO_PENDING,
    VISIBLE,
    Hiding,
    LateIndex,
    PageStyles,
    Pending,
    StyleSheet,
    enter_hiding,
)
from rules.model import NumberHit, Where
from rules.net_rules import BAD_LINKS_QUOTED
from rules.numbers import NumberMatch

CONTEXT_CHARS = 25  # of evidence on each side of a number
MAX_FRAME_DEPTH = 2  # a frame's document may hold a frame, and no deeper
# Frame documents walked per page, and their characters in all: each parsed tree is kept until the page
# is judged (about 190 KB for the smallest), so 15,000 <iframe srcdoc> would hold gigabytes. Past
# either limit a frame is not read, and the page is not judged `missing` on what was read (see extract).
MAX_FRAMES = 100
MAX_FRAME_CHARS = 2_000_000
SCRIPT_TEXT_MAX = 300_000  # characters of one inline script kept for the signal search
CHANNEL_MEMO = 2048  # short channel texts whose numbers are remembered across pages
BAD_LINK_CHARS = 200  # of a malformed href quoted as evidence (NET-004 quotes BAD_LINKS_QUOTED of them)
CHANNEL_MEMO_CHARS = 256  # …up to this length (scripts and templates are long and rarely repeat)

_IGNORED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")
_URL_NOISE = re.compile(r"[\t\n\r]")
_DIGIT = re.compile(r"\d")
_MARKUP = re.compile(r"<(?:(!--)|/?([a-zA-Z][a-zA-Z0-9-]*))")  # where a comment or a tag opens
_JS_ESCAPE = re.compile(r"\\u(?![dD][89a-fA-F])([0-9a-fA-F]{4})")  # not surrogates: no lone halves
_EXECUTABLE = ("", "text/javascript", "application/javascript", "module", "text/ecmascript")
# An image whose alt, title, src or class says it is the police badge (警徽) of a 公安 filing.
_BADGE_HINT = re.compile(r"公安|备案|警|police|beian|ghs|gongan|gaba|badge|(?:^|[/_.-])ga(?:[_.-]|$)", re.I)


class Ctx:
    """What an element hands down to its content."""

    __slots__ = ("footer", "hiding", "href", "late", "link", "pending", "visible")

    def __init__(
        self,
        hiding: Hiding,
        footer: bool,
        href: str | None,
        pending: Pending,
        link: int,
        late: tuple[LateIndex, ...],
    ) -> None:
        self.hiding, self.footer, self.href, self.pending = hiding, footer, href, pending
        self.link, self.late = link, late  # the enclosing <a> (0: none); the document's late rules
        self.visible = hiding is VISIBLE or hiding.reason is None  # most text is in VISIBLE's context

    def hidden(self, reason: str) -> Ctx:
        """The same context, hidden for `reason` (nothing below can undo it)."""
        return Ctx(
            replace(self.hiding, hard=reason), self.footer, self.href, self.pending, self.link, self.late
        )

    def in_footer(self) -> Ctx:
        """The same context, in the footer region."""
        return Ctx(self.hiding, True, self.href, self.pending, self.link, self.late)


@dataclass(frozen=True, slots=True)
class Image:
    """An <img> in the rendered flow: before which text segment, in which block, in which link."""

    segment: int
    block: int
    link: int
    visible: bool
    attrs: Mapping[str, str | None]
    footer: bool = False  # in the footer region (its pixels may be read with OCR)

    @property
    def badge_hint(self) -> bool:
        """Its alt, title, src, class or id says it is a police badge (公安, 备案, beian, ghs, …)."""
        hint = " ".join(self.attrs.get(a) or "" for a in ("alt", "title", "src", "class", "id"))
        return _BADGE_HINT.search(hint) is not None


@dataclass(frozen=True, slots=True)
class Frame:
    """An <iframe>: its src (None for srcdoc), the segments and channel hits of its document."""

    url: str | None
    segments: tuple[int, int]
    hits: tuple[int, int]
    footer: bool
    visible: bool


def _alternate_page(attrs: Mapping[str, str | None]) -> bool:
    """A <link rel=alternate> to another version of the page (language, mobile): not a feed, a file or an
    alternate style sheet."""
    rel = (attrs.get("rel") or "").lower().split()
    kind = (attrs.get("type") or "text/html").split(";")[0].strip().lower()
    return "alternate" in rel and "stylesheet" not in rel and kind in ("text/html", "application/xhtml+xml")


def declares_colour(html: str) -> bool:
    """The markup may set a text colour itself (a style attribute or <font color>)."""
    return "color" in html or "COLOR" in html or "Color" in html


_WORD = re.compile(r"[\w\-.:：]*")  # a run the window must not cut (half a number reads as another number)
_WORD_BEFORE = re.compile(r"[\w\-.:：]+\Z")  # searched up to an end: the run of word characters before it


def context(text: str, start: int, end: int) -> str:
    """Up to CONTEXT_CHARS either side of a match, widened so no number or word is cut at the edges."""
    left, right = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    # Widened left over the word characters before it, to 2 × CONTEXT_CHARS before the match at most:
    # the first offset from that limit whose characters up to `left` are all word characters.
    if left > 0 and (run := _WORD_BEFORE.search(text, max(0, start - 2 * CONTEXT_CHARS), left)):
        left = run.start()
    word = _WORD.match(text, right)
    right = min(len(text), right + (len(word[0]) if word else 0), end + 2 * CONTEXT_CHARS)
    return " ".join(text[left:right].split())


def _markup_text(markup: str) -> str:
    """Text of unparsed markup (template or noscript source): tags dropped, blocks broken, entities read."""

    return unescape("".join(_markup_pieces(markup)))


def _markup_pieces(markup: str) -> Iterator[str]:
    """The text of `markup` in pieces: a comment's text between line breaks, a tag as a line break (none
    for an inline one). Linear: a comment or tag left open is never searched past again, since no later
    one can close either."""
    pos, comments = 0, True
    while (m := _MARKUP.search(markup, pos)) is not None:
        at = m.start()
        if m[1]:
            end = markup.find("-->", at + 4) if comments else -1
            comments = end >= 0
            yield markup[pos : at + 1] if end < 0 else f"{markup[pos:at]}\n{markup[at + 4 : end]}\n"
            pos = at + 1 if end < 0 else end + 3
            continue
        end = markup.find(">", m.end())
        if end < 0:
            break
        yield markup[pos:at] + ("" if m[2].lower() in INLINE_TAGS else "\n")
        pos = end + 1
    yield markup[pos:]


def _numbers_in(raw: str) -> tuple[str, tuple[NumberMatch, ...]]:
    """A channel text, normalised, and the numbers in it."""
    text = normalise(raw)
    return text, tuple(find_numbers(text))


# The short channel texts (titles, alt text, aria-labels) of a site's pages repeat from page to page.
_channel_numbers = lru_cache(maxsize=CHANNEL_MEMO)(_numbers_in)


def _plain_path(href: str) -> bool:
    """No dot segment, query, fragment or parameters: urljoin would resolve or drop (empty ones) those."""
    return "/." not in href and "?" not in href and "#" not in href and ";" not in href


def _names_host(href: str) -> bool:
    """The href starts with http:// or https:// and a host (without one, urljoin takes the base's)."""
    if href.startswith("http://"):
        return href[7:8] not in ("", "/", "?", "#")
    return href.startswith("https://") and href[8:9] not in ("", "/", "?", "#")


@lru_cache(maxsize=CHANNEL_MEMO)
def _join_absolute(https: bool, href: str) -> str:
    """`urljoin(base, href)` for an href `_names_host` accepts and any base whose scheme is https
    (`https`) or http: the base's host and path play no part (links to other sites repeat from page
    to page, and urljoin parses both URLs every time)."""
    return urljoin("https://x/" if https else "http://x/", href)


def _js_text(script: str) -> str:
    if "\\u" not in script:
        return script
    return _JS_ESCAPE.sub(lambda m: chr(int(m[1], 16)), script)


class Walk:
    """The state of one walk: text segments, channel hits, links, images, scripts and frames."""

    def __init__(
        self,
        styles: PageStyles,
        footer_roots: frozenset[int],
        base: str,
        *,
        stylesheets: Mapping[str, str],
        frame_documents: Mapping[str, str],
    ) -> None:
        self.styles, self.footer_roots = styles, footer_roots
        self.sheet = styles.hiding
        self.stylesheets, self.frame_documents = stylesheets, frame_documents
        self.set_base(base)
        self.raws: list[str] = []  # raw text of the rendered text nodes
        self.seps: list[str] = []  # what stands before each: "\n" (a block boundary), " " or ""
        self.ctxs: list[Ctx] = []
        self.nodes: list[LexborNode] = []  # the text nodes themselves (computed style is looked up late)
        self.blocks: list[int] = []  # the block each stands in (a counter bumped at every block boundary)
        self.block = 0
        self.hits: list[tuple[tuple[int, int, int], NumberHit]] = []
        self.links: dict[str, None] = {}
        self.bad_links: list[str] = []  # the first malformed hrefs, clipped (NET-004)
        self.bad_link_count = 0
        self.anchors: list[tuple[str, bool]] = []  # (absolute href of an <a>, in the footer)
        self.resolved: dict[str, str | None] = {}
        self.scripts = 0  # executable scripts
        self.script_srcs: list[str] = []
        self.script_texts: list[str] = []
        self.titles: list[str] = []
        self.images: list[Image] = []
        self.linked_images: set[int] = set()  # links (Ctx.link) holding a visible image
        self.link_count = 0
        self.frames: list[Frame] = []
        self.frame_srcs: list[str] = []  # every <iframe src>, for signals
        self.sheet_links: dict[str, None] = {}
        self.trees: list[LexborHTMLParser] = []  # frame documents: their nodes must outlive the walk
        self.frame_chars = 0  # characters of the frame documents walked
        self.unread_frames = 0  # frame documents left unread past MAX_FRAMES or MAX_FRAME_CHARS
        self.depth = 0
        self.colours = styles.colours  # some document of the page may colour text (else no camouflage)

    def set_base(self, base: str) -> None:
        """Resolve links against `base` from now on (a frame's document has its own)."""
        self.base = base
        # scheme://host[:port] of the base, for the fast path of root-relative links
        self.origin = urljoin(base, "/").rstrip("/") if base.startswith(("http://", "https://")) else None
        self.resolved = {}

    def resolve(self, raw: str, record: bool = True) -> str | None:
        """The absolute URL of an href (None when empty or malformed); records it as a link."""
        if raw in self.resolved:
            return self.resolved[raw]
        noisy = "\t" in raw or "\n" in raw or "\r" in raw  # three memchr calls cost less than the regex
        href = (_URL_NOISE.sub("", raw) if noisy else raw).strip()
        url: str | None = None
        if self.origin and href[:1] == "/" and href[1:2] not in ("/", "\\") and _plain_path(href):
            url = self.origin + href  # what urljoin returns for a plain root-relative path, 20 times faster
            if record:  # a path: no ignored scheme
                self.links[url] = None
                self.resolved[raw] = url
            return url
        if href:
            try:
                url = (
                    _join_absolute(self.base[:5] == "https", href)
                    if self.origin and _names_host(href)
                    else urljoin(self.base, href)
                )
            except ValueError:  # e.g. a malformed IPv6 host: recorded against the page (NET-004)
                url = None
                self.bad_link_count += 1
                if len(self.bad_links) < BAD_LINKS_QUOTED:
                    self.bad_links.append(raw[:BAD_LINK_CHARS])
        if not record:
            return url
        if url and not href[:11].lower().startswith(_IGNORED_SCHEMES):
            self.links[url] = None
        self.resolved[raw] = url
        return url

    def scan(self, raw: str | None, where: Where, ctx: Ctx) -> None:
        """Numbers in one channel text (never visible page text)."""
        if not raw or _DIGIT.search(raw) is None:  # every number has digits (full-width ones are \d too)
            return
        text, found = _channel_numbers(raw) if len(raw) <= CHANNEL_MEMO_CHARS else _numbers_in(raw)
        for m in found:
            hit = NumberHit(
                m.kind, m.value, m.key, where, ctx.footer, False, ctx.href, ctx.hiding.reason,
                context(text, m.start, m.end), " ".join(text[m.start : m.end].split()),
            )  # fmt: skip
            self.hits.append(((len(self.raws), 0, len(self.hits)), hit))

    def enter(self, node: LexborNode, tag: str, attrs: dict[str, str | None], ctx: Ctx) -> Ctx:
        """The context an element hands to its content; records its links and attribute channels."""
        hiding, footer, href, pending, link = ctx.hiding, ctx.footer, ctx.href, ctx.pending, ctx.link
        if not footer and self.footer_roots and node.mem_id in self.footer_roots:
            footer = True
        if tag == "a":
            self.link_count += 1
            link = self.link_count
            if (raw := attrs.get("href")) is not None and (url := self.resolve(raw)):
                href = url
                self.anchors.append((url, footer))
        elif (tag == "area" or (tag == "link" and _alternate_page(attrs))) and (
            raw := attrs.get("href")
        ) is not None:
            self.resolve(raw)
        sheet = self.sheet
        # enter_hiding changes nothing without hiding attributes, a <dialog> or a rule or chain here
        if (
            "hidden" in attrs
            or "style" in attrs
            or tag in HIDING_TAGS
            or "dir" in attrs
            or (sheet is not None and not sheet.plain(tag, attrs, pending))
        ):
            hiding, pending = enter_hiding(sheet, tag, attrs, hiding, pending)
        if (
            hiding is not ctx.hiding
            or footer != ctx.footer
            or href is not ctx.href
            or pending is not ctx.pending
            or link != ctx.link
        ):
            ctx = Ctx(hiding, footer, href, pending, link, ctx.late)
        if "title" in attrs or "aria-label" in attrs or tag == "img" or tag == "meta":
            self.attributes(tag, attrs, ctx)
            if tag == "img":
                self.image(attrs, ctx)
        return ctx

    def unstyled(self, tag: str, attrs: dict[str, str | None]) -> bool:
        """No hiding rule matches the element, nor starts a descendant chain at it (no pending chain)."""
        if self.sheet is None:
            return True
        rules, pending = self.sheet.match(tag, attrs, NO_PENDING)
        return not rules and not pending

    def image(self, attrs: dict[str, str | None], ctx: Ctx) -> None:
        """An image in the flow, remembered for the badge beside a 公安 number."""
        self.images.append(Image(len(self.raws), self.block, ctx.link, ctx.visible, attrs, ctx.footer))
        if ctx.link and ctx.visible:
            self.linked_images.add(ctx.link)

    def attributes(self, tag: str, attrs: dict[str, str | None], ctx: Ctx) -> None:
        """Numbers in title, aria-label, <img alt/title> and <meta content>."""
        if tag == "img":
            self.scan(attrs.get("alt"), Where.IMAGE, ctx)
            self.scan(attrs.get("title"), Where.IMAGE, ctx)
        else:
            self.scan(attrs.get("title"), Where.ATTRIBUTE, ctx)
        self.scan(attrs.get("aria-label"), Where.ATTRIBUTE, ctx)
        if tag == "meta":
            self.scan(attrs.get("content"), Where.ATTRIBUTE, ctx)

    def non_rendered(self, node: LexborNode, tag: str, attrs: dict[str, str | None], ctx: Ctx) -> None:
        """Script, noscript, template, title and the like: searched, never shown."""
        if attrs:
            self.attributes(tag, attrs, ctx)
        if tag == "script":
            kind = (attrs.get("type") or "").strip().lower()
            executable = kind in _EXECUTABLE
            self.scripts += executable
            if (src := attrs.get("src")) and (url := self.resolve(src, record=False)):
                self.script_srcs.append(url)
            code = node.text(deep=True)
            where = Where.ATTRIBUTE if kind == "application/ld+json" else Where.SCRIPT
            if code and executable:
                self.script_texts.append(code[:SCRIPT_TEXT_MAX])
            self.scan(_js_text(code), where, ctx)
        elif tag == "noscript":
            self.scan(_markup_text(node.text(deep=True)), Where.NOSCRIPT, ctx)
        elif tag == "template":
            self.scan(_markup_text(node.html or ""), Where.TEMPLATE, ctx)
        elif tag == "title":
            title = node.text(deep=True)
            self.titles.append(title)
            self.scan(title, Where.ATTRIBUTE, ctx)

    def frame(self, node: LexborNode, attrs: dict[str, str | None], ctx: Ctx) -> None:
        """An <iframe>: its srcdoc, or the fetched document of its src, is walked in place."""
        inner = self.enter(node, "iframe", attrs, ctx)
        srcdoc, src = attrs.get("srcdoc"), attrs.get("src")
        # a link too (the frontier keeps same-site ones)
        url = self.resolve(src) if src and srcdoc is None else None
        url = url.partition("#")[0] if url and url.startswith(("http://", "https://")) else None
        if url:
            self.frame_srcs.append(url)
        html = srcdoc if srcdoc is not None else self.frame_documents.get(url) if url else None
        start, first_hit = len(self.raws), len(self.hits)
        if html and self.depth < MAX_FRAME_DEPTH:
            if len(self.trees) < MAX_FRAMES and self.frame_chars + len(html) <= MAX_FRAME_CHARS:
                self.frame_chars += len(html)
                self.document(html, url or self.base, inner)
            else:
                self.unread_frames += 1
        self.frames.append(
            Frame(url, (start, len(self.raws)), (first_hit, len(self.hits)), inner.footer, inner.visible)
        )

    def document(self, html: str, url: str, outer: Ctx) -> None:
        """Walk a frame's document as part of the page: its own style sheets and base, the frame's
        hiding and footer membership."""
        tree = LexborHTMLParser(html.encode("utf-8", "replace"), scripting=True)
        self.trees.append(tree)
        saved = (self.styles, self.base, self.origin, self.resolved, self.footer_roots)
        base = document_base(tree, url)
        styles, links = document_styles(tree, html, base, self.stylesheets)
        self.sheet_links.update(dict.fromkeys(links))
        self.colours = self.colours or styles.colours or declares_colour(html)
        self.styles, self.footer_roots = styles, frozenset()
        self.sheet = styles.hiding
        self.set_base(base)
        self.depth += 1
        root = tree.root
        if root is not None:
            self.block += 1
            self.walk(root, Ctx(outer.hiding, outer.footer, None, NO_PENDING, 0, styles.late))
            self.block += 1
        self.depth -= 1
        self.styles, self.base, self.origin, self.resolved, self.footer_roots = saved
        self.sheet = self.styles.hiding

    def walk(self, start: LexborNode, root: Ctx) -> None:
        """Visit every node under `start` in document order, without recursion.

        One loop with local names on purpose: it runs for every node of every page.
        """
        stack: list[tuple[LexborNode | None, Ctx]] = []
        push, pop = stack.append, stack.pop
        raws, seps, ctxs, nodes, blocks = self.raws, self.seps, self.ctxs, self.nodes, self.blocks
        sep = "\n" if raws else ""
        enter_all = self.sheet is not None or bool(self.footer_roots)
        footer_roots = self.footer_roots
        bare_entered = bare_tags_entered(self.sheet)
        # (tag, class, id) of elements that no rule styles: kept with the sheet, for the pages it serves
        inert = self.sheet.inert if self.sheet is not None else {}
        if len(inert) >= MATCH_MEMO_MAX:
            inert.clear()
        block = self.block
        child = start.last_child
        while child is not None:
            push((child, root))
            child = child.prev
        while stack:
            node, ctx = pop()
            if node is None:
                sep = "\n"  # the end of a block
                block += 1
                continue
            raw = node.text_content  # None for any node but text: cheaper than reading the tag first
            if raw is not None:
                if not raw:
                    continue
                if raw.isspace():  # whitespace separates (every whitespace character is in BLANK)
                    sep = sep or " "
                    continue
                # whitespace and zero-width characters alone (then it separates only if it has whitespace)
                if raw[0] in BLANK and not raw.strip(BLANK):
                    if raw.strip(ZERO_WIDTH):
                        sep = sep or " "
                    continue
                seps.append(sep if raws else "")
                raws.append(raw)
                ctxs.append(ctx)
                nodes.append(node)
                blocks.append(block)
                sep = ""
                continue
            tag = node.tag
            if tag is None or tag[0] == "-":  # a comment, doctype, processing instruction
                if tag == "-comment":
                    self.scan(node.comment_content, Where.COMMENT, ctx)
                continue
            attrs = node.attributes
            if tag in NON_RENDERED_TAGS:
                if tag == "iframe":
                    self.block = block
                    self.frame(node, attrs, ctx)
                    sep = "\n"  # a frame's text never runs into the page's
                    block = self.block + 1
                else:
                    self.non_rendered(node, tag, attrs, ctx)
                continue
            if tag == "img":
                self.block = block  # where Walk.image records it
            # Walk.enter leaves the context of an element without attributes as it is, unless a style
            # rule, a pending chain going on at its tag, the footer region or its tag (a, img, meta,
            # dialog) may change it: skip that call.
            # The same holds for an element with only a class or id that no style rule matches or
            # starts a chain at (with no pending chain, nothing else Walk.enter reads differs).
            root_here = not ctx.footer and footer_roots and node.mem_id in footer_roots
            if attrs:
                inert_key = (
                    (tag, attrs.get("class"), attrs.get("id"))
                    # (no attribute but class and id: their count is the number of attributes)
                    if not (
                        ctx.pending
                        or root_here
                        or tag in _ENTERED
                        or len(attrs) > ("class" in attrs) + ("id" in attrs)
                    )
                    else None
                )
                if inert_key is not None and inert.get(inert_key):
                    inner = ctx
                else:
                    inner = self.enter(node, tag, attrs, ctx)
                    if inert_key is not None and inert_key not in inert:
                        inert[inert_key] = self.unstyled(tag, attrs)
            elif tag in HIDING_TAGS or (
                enter_all
                and (
                    bare_entered is None
                    or tag in bare_entered
                    or root_here
                    or (ctx.pending and (tag in ctx.pending or "*" in ctx.pending))
                )
            ):
                inner = self.enter(node, tag, attrs, ctx)
            else:
                inner = ctx
            if tag not in INLINE_TAGS:
                sep = "\n"
                block += 1
                push((None, ctx))
            if tag == "details" and "open" not in attrs:
                stack.extend(reversed(_closed_details(node, inner)))
                continue
            child = node.last_child
            while child is not None:
                push((child, inner))
                child = child.prev
        self.block = block + 1


# Tags whose element Walk.enter may handle differently even without attributes: links are counted,
# images and meta read, a <dialog> without `open` hidden.
_BARE_ENTERED = frozenset({"a", "img", "meta", "dialog"})
# Tags Walk.enter records something for (links, images, meta), whatever their context.
_ENTERED = _BARE_ENTERED | {"area", "link", "iframe"} | HIDING_TAGS


def bare_tags_entered(sheet: StyleSheet | None) -> frozenset[str] | None:
    """The tags for which an element without attributes must go through Walk.enter: those above and
    those some rule of `sheet` is filed under; None for every tag (a rule filed under "*")."""
    if sheet is None:
        return _BARE_ENTERED
    if "*" in sheet.first:
        return None
    return _BARE_ENTERED | frozenset(k for k in sheet.first if k[:1] not in ("#", ".", "["))


def _closed_details(node: LexborNode, ctx: Ctx) -> list[tuple[LexborNode | None, Ctx]]:
    """The children of a closed <details>: its first <summary> shows, the rest is hidden."""
    kids: list[LexborNode] = []
    child = node.first_child
    while child is not None:
        kids.append(child)
        child = child.next
    summary = next((k.mem_id for k in kids if k.tag == "summary"), None)
    hidden = ctx if ctx.hiding.hard else ctx.hidden("closed <details>")
    return [(kid, ctx if kid.mem_id == summary else hidden) for kid in kids]
