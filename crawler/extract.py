"""HTML → `PageFacts` and links: footer region, visibility and registration numbers; pure (selectolax Lexbor).

One parse and one iterative walk in document order (an explicit stack: deeply nested pages must not
overflow). Rendered text becomes one string, glued across inline tags and broken at blocks, with a
map from offsets back to each text node's visibility, footer membership and link; comments,
scripts, <noscript>, <template>, attributes and image alt text are searched as separate channels.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from html import unescape
from itertools import accumulate
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler.footer_heuristics import INLINE_TAGS, NON_RENDERED_TAGS
from crawler.footer_region import locate_footer
from crawler.textscan import BLANK, ZERO_WIDTH, find_numbers, normalise, normalise_many
from crawler.visibility import (
    NO_PENDING,
    VISIBLE,
    Hiding,
    Pending,
    StyleRule,
    StyleSheet,
    element_hiding,
    media_applies,
    parse_stylesheet,
)
from rules.model import NumberHit, PageFacts, Where
from rules.numbers import NumberMatch

FOOTER_TEXT_MAX = 500
JS_SHELL_MAX_CHARS = 200  # fewer visible characters than this, plus a script: a JavaScript shell
CONTEXT_CHARS = 25  # of evidence on each side of a number

_IGNORED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")
_URL_NOISE = re.compile(r"[\t\n\r]")
_DIGIT = re.compile(r"\d")
_MARKUP = re.compile(r"<!--(.*?)-->|<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>", re.S)
_JS_ESCAPE = re.compile(r"\\u(?![dD][89a-fA-F])([0-9a-fA-F]{4})")  # not surrogates: no lone halves
_FONT_ZERO = re.compile(r"font-size\s*:\s*0(?![.\d]*[1-9])")
_EXECUTABLE = ("", "text/javascript", "application/javascript", "module", "text/ecmascript")


@dataclass(frozen=True, slots=True)
class Extracted:
    """What one HTML page yields: its facts for the rules and the links for the frontier."""

    facts: PageFacts
    links: tuple[str, ...]


class _Ctx:
    """What an element hands down to its content."""

    __slots__ = ("footer", "hiding", "href", "pending", "visible")

    def __init__(self, hiding: Hiding, footer: bool, href: str | None, pending: Pending) -> None:
        self.hiding, self.footer, self.href, self.pending = hiding, footer, href, pending
        self.visible = hiding.reason is None


def _describe(tag: str, attrs: dict[str, str | None]) -> str:
    if el_id := attrs.get("id"):
        return f"{tag}#{el_id}"
    classes = (attrs.get("class") or "").split()
    return f"{tag}.{classes[0]}" if classes else tag


_WORD = re.compile(r"[\w\-.:：]*")  # a run the window must not cut (half a number reads as another number)


def _context(text: str, start: int, end: int) -> str:
    """Up to CONTEXT_CHARS either side of a match, widened so no number or word is cut at the edges."""
    left, right = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    while left > 0 and left > start - 2 * CONTEXT_CHARS and _WORD.fullmatch(text[left - 1]):
        left -= 1
    word = _WORD.match(text, right)
    right = min(len(text), right + (len(word[0]) if word else 0), end + 2 * CONTEXT_CHARS)
    return " ".join(text[left:right].split())


def _markup_text(markup: str) -> str:
    """Text of unparsed markup (template or noscript source): tags dropped, blocks broken, entities read."""

    def repl(m: re.Match[str]) -> str:
        if m[1] is not None:
            return f"\n{m[1]}\n"
        return "" if m[3].lower() in INLINE_TAGS else "\n"

    return unescape(_MARKUP.sub(repl, markup))


def _js_text(script: str) -> str:
    if "\\u" not in script:
        return script
    return _JS_ESCAPE.sub(lambda m: chr(int(m[1], 16)), script)


class _Walk:
    """The state of one walk: text segments, channel hits and links."""

    def __init__(self, sheet: StyleSheet | None, footer_roots: frozenset[int], base: str) -> None:
        self.sheet, self.footer_roots, self.base = sheet, footer_roots, base
        # scheme://host[:port] of the base, for the fast path of root-relative links
        self.origin = urljoin(base, "/").rstrip("/") if base.startswith(("http://", "https://")) else None
        self.raws: list[str] = []  # raw text of the rendered text nodes
        self.seps: list[str] = []  # what stands before each: "\n" (a block boundary), " " or ""
        self.ctxs: list[_Ctx] = []
        self.hits: list[tuple[tuple[int, int, int], NumberHit]] = []
        self.links: dict[str, None] = {}
        self.resolved: dict[str, str | None] = {}
        self.scripts = 0

    def resolve(self, raw: str) -> str | None:
        """The absolute URL of an href (None when empty or malformed); records it as a link."""
        if raw in self.resolved:
            return self.resolved[raw]
        href = _URL_NOISE.sub("", raw).strip()
        url: str | None = None
        if self.origin and href[:1] == "/" and href[1:2] not in ("/", "\\") and "/." not in href:
            url = self.origin + href  # what urljoin returns for a plain root-relative path, 20 times faster
        elif href:
            try:
                url = urljoin(self.base, href)
            except ValueError:  # e.g. a malformed IPv6 host
                url = None
        if url and not href[:11].lower().startswith(_IGNORED_SCHEMES):
            self.links[url] = None
        self.resolved[raw] = url
        return url

    def scan(self, raw: str | None, where: Where, ctx: _Ctx) -> None:
        """Numbers in one channel text (never visible page text)."""
        if not raw or _DIGIT.search(raw) is None:  # every number has digits (full-width ones are \d too)
            return
        text = normalise(raw)
        for m in find_numbers(text):
            hit = NumberHit(
                m.kind, m.value, m.key, where, ctx.footer, False, ctx.href, ctx.hiding.reason,
                _context(text, m.start, m.end),
            )  # fmt: skip
            self.hits.append(((len(self.raws), 0, len(self.hits)), hit))

    def enter(self, node: LexborNode, tag: str, attrs: dict[str, str | None], ctx: _Ctx) -> _Ctx:
        """The context an element hands to its content; records its links and attribute channels."""
        hiding, footer, href, pending = ctx.hiding, ctx.footer, ctx.href, ctx.pending
        if not footer and self.footer_roots and node.mem_id in self.footer_roots:
            footer = True
        if (tag == "a" or tag == "area") and (raw := attrs.get("href")) is not None:
            url = self.resolve(raw)
            href = url if tag == "a" and url else href
        rules: list[StyleRule] = []
        if self.sheet is not None:
            rules, pending = self.sheet.match(tag, attrs.get("id"), attrs.get("class"), pending)
        if rules or "hidden" in attrs or "style" in attrs:
            hiding = element_hiding(hiding, _describe(tag, attrs), attrs, rules)
        if tag == "dialog" and "open" not in attrs and hiding.hard is None:
            hiding = replace(hiding, hard="closed <dialog>")
        if (
            hiding is not ctx.hiding
            or footer != ctx.footer
            or href is not ctx.href
            or pending is not ctx.pending
        ):
            ctx = _Ctx(hiding, footer, href, pending)
        if "title" in attrs or "aria-label" in attrs or tag == "img" or tag == "meta":
            self.attributes(tag, attrs, ctx)
        return ctx

    def attributes(self, tag: str, attrs: dict[str, str | None], ctx: _Ctx) -> None:
        """Numbers in title, aria-label, <img alt/title> and <meta content>."""
        if tag == "img":
            self.scan(attrs.get("alt"), Where.IMAGE, ctx)
            self.scan(attrs.get("title"), Where.IMAGE, ctx)
        else:
            self.scan(attrs.get("title"), Where.ATTRIBUTE, ctx)
        self.scan(attrs.get("aria-label"), Where.ATTRIBUTE, ctx)
        if tag == "meta":
            self.scan(attrs.get("content"), Where.ATTRIBUTE, ctx)

    def non_rendered(self, node: LexborNode, tag: str, attrs: dict[str, str | None], ctx: _Ctx) -> None:
        """Script, noscript, template, title and the like: searched, never shown."""
        if attrs:
            self.attributes(tag, attrs, ctx)
        if tag == "script":
            kind = (attrs.get("type") or "").strip().lower()
            self.scripts += kind in _EXECUTABLE
            where = Where.ATTRIBUTE if kind == "application/ld+json" else Where.SCRIPT
            self.scan(_js_text(node.text(deep=True)), where, ctx)
        elif tag == "noscript":
            self.scan(_markup_text(node.text(deep=True)), Where.NOSCRIPT, ctx)
        elif tag == "template":
            self.scan(_markup_text(node.html or ""), Where.TEMPLATE, ctx)
        elif tag == "title":
            self.scan(node.text(deep=True), Where.ATTRIBUTE, ctx)

    def walk(self, start: LexborNode, root: _Ctx) -> None:
        """Visit every node under `start` in document order, without recursion.

        One loop with local names on purpose: it runs for every node of every page.
        """
        stack: list[tuple[LexborNode | None, _Ctx]] = []
        push, pop = stack.append, stack.pop
        raws, seps, ctxs = self.raws, self.seps, self.ctxs
        sep = ""
        enter_all = self.sheet is not None or bool(self.footer_roots)
        child = start.last_child
        while child is not None:
            push((child, root))
            child = child.prev
        while stack:
            node, ctx = pop()
            if node is None:
                sep = "\n"  # the end of a block
                continue
            tag = node.tag
            if tag == "-text":
                raw = node.text_content
                if not raw:
                    continue
                if not raw.strip(BLANK):  # whitespace separates; zero-width characters alone do not
                    if raw.strip(ZERO_WIDTH):
                        sep = sep or " "
                    continue
                seps.append(sep if raws else "")
                raws.append(raw)
                ctxs.append(ctx)
                sep = ""
                continue
            if tag == "-comment":
                self.scan(node.comment_content, Where.COMMENT, ctx)
                continue
            if tag is None or tag[0] == "-":  # doctype, processing instruction
                continue
            attrs = node.attributes
            if tag in NON_RENDERED_TAGS:
                self.non_rendered(node, tag, attrs, ctx)
                continue
            inner = self.enter(node, tag, attrs, ctx) if attrs or enter_all or tag == "dialog" else ctx
            if tag not in INLINE_TAGS:
                sep = "\n"
                push((None, ctx))
            if tag == "details" and "open" not in attrs:
                stack.extend(reversed(_closed_details(node, inner)))
                continue
            child = node.last_child
            while child is not None:
                push((child, inner))
                child = child.prev


def _closed_details(node: LexborNode, ctx: _Ctx) -> list[tuple[LexborNode | None, _Ctx]]:
    """The children of a closed <details>: its first <summary> shows, the rest is hidden."""
    kids: list[LexborNode] = []
    child = node.first_child
    while child is not None:
        kids.append(child)
        child = child.next
    summary = next((k.mem_id for k in kids if k.tag == "summary"), None)
    hiding = ctx.hiding if ctx.hiding.hard else replace(ctx.hiding, hard="closed <details>")
    hidden = _Ctx(hiding, ctx.footer, ctx.href, ctx.pending)
    return [(kid, ctx if kid.mem_id == summary else hidden) for kid in kids]


@dataclass(frozen=True, slots=True)
class _Joined:
    """Segments joined into one text: where each kept segment starts, and which segment it is."""

    text: str
    starts: list[int]
    index: list[int]


def _join_all(texts: list[str], seps: list[str]) -> _Joined:
    parts = [""] * (2 * len(texts))
    parts[0::2], parts[1::2] = seps, texts
    ends = list(accumulate(map(len, parts), initial=0))
    return _Joined("".join(parts), ends[1::2], list(range(len(texts))))


def _join_some(texts: list[str], seps: list[str], keep: list[bool]) -> _Joined:
    """Only the kept segments; a skipped one still separates its neighbours as it did."""
    parts: list[str] = []
    starts: list[int] = []
    index: list[int] = []
    pos, sep = 0, ""
    for i, text in enumerate(texts):
        if seps[i] == "\n" or not sep:
            sep = seps[i]  # the strongest separator since the last kept segment
        if not keep[i]:
            continue
        if parts and sep:
            parts.append(sep)
            pos += 1
        starts.append(pos)
        index.append(i)
        parts.append(text)
        pos += len(text)
        sep = ""
    return _Joined("".join(parts), starts, index)


def _text_hit(m: NumberMatch, joined: _Joined, ctxs: list[_Ctx]) -> tuple[tuple[int, int, int], NumberHit]:
    first = max(0, bisect_right(joined.starts, m.start) - 1)
    last = max(first, bisect_left(joined.starts, m.end) - 1)
    segs = [ctxs[joined.index[k]] for k in range(first, last + 1)]
    reason = next((c.hiding.reason for c in segs if not c.visible), None)
    href = next((c.href for c in segs if c.href), None)
    context = _context(joined.text, m.start, m.end)
    hit = NumberHit(m.kind, m.value, m.key, Where.TEXT, segs[0].footer, reason is None, href, reason, context)
    return (joined.index[first], 1, m.start), hit


def _text_hits(walk: _Walk, texts: list[str]) -> list[tuple[tuple[int, int, int], NumberHit]]:
    """Numbers in the rendered text; then in its visible part alone, where hidden text split them."""
    full = _join_all(texts, walk.seps)
    hits = [_text_hit(m, full, walk.ctxs) for m in find_numbers(full.text)]
    keep = [c.visible for c in walk.ctxs]
    if all(keep):
        return hits
    seen = {(hit.value, key[0]) for key, hit in hits if hit.visible}
    shown = _join_some(texts, walk.seps, keep)
    for m in find_numbers(shown.text):
        key, hit = _text_hit(m, shown, walk.ctxs)
        if (hit.value, key[0]) not in seen:
            hits.append((key, hit))
    return hits


def _footer_text(texts: list[str], seps: list[str], ctxs: list[_Ctx]) -> str:
    parts: list[str] = []
    last = -2
    for i, ctx in enumerate(ctxs):
        if ctx.footer and ctx.visible:
            parts.append(seps[i] if i == last + 1 else " ")
            parts.append(texts[i])
            last = i
    return " ".join("".join(parts).split())[:FOOTER_TEXT_MAX]


def _visible_chars(texts: list[str], ctxs: list[_Ctx], enough: int) -> int:
    count = 0
    for text, ctx in zip(texts, ctxs, strict=True):
        if ctx.visible:
            count += len(text) - text.count(" ")
            if count >= enough:
                break
    return count


def _base_url(tree: LexborHTMLParser, final_url: str) -> str:
    base = tree.css_first("base[href]")
    href = _URL_NOISE.sub("", (base.attributes.get("href") or "") if base is not None else "").strip()
    try:
        return urljoin(final_url, href) if href else final_url
    except ValueError:
        return final_url


def extract(html: str, url: str, final_url: str, *, is_homepage: bool) -> Extracted:
    """Parse one HTML page and return its `PageFacts` and the absolute URLs it links to.

    `final_url` (after redirects) and `<base href>` resolve relative links. Pure: no network, disk or clock.
    """
    tree = LexborHTMLParser(html.encode("utf-8", "replace"), scripting=True)
    styles = tuple(n.text(deep=True) for n in tree.css("style") if media_applies(n.attributes.get("media")))
    sheet = (
        parse_stylesheet(styles, font_size="font-size" in html and _FONT_ZERO.search(html) is not None)
        if styles
        else None
    )
    region = locate_footer(tree.body)
    walk = _Walk(sheet, region.roots, _base_url(tree, final_url))
    root = tree.root
    start = root.parent if root is not None and root.parent is not None else root
    if start is not None:
        walk.walk(start, _Ctx(VISIBLE, False, None, NO_PENDING))
    texts = normalise_many(walk.raws)
    hits = sorted([*_text_hits(walk, texts), *walk.hits], key=lambda pair: pair[0])
    shell = walk.scripts > 0 and _visible_chars(texts, walk.ctxs, JS_SHELL_MAX_CHARS) < JS_SHELL_MAX_CHARS
    facts = PageFacts(
        url=url,
        final_url=final_url,
        is_homepage=is_homepage,
        footer_found=region.found,
        footer_how=region.how,
        footer_text=_footer_text(texts, walk.seps, walk.ctxs),
        numbers=tuple(hit for _, hit in hits),
        js_shell=shell,
    )
    return Extracted(facts, tuple(walk.links))
