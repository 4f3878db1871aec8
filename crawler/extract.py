"""HTML → `PageFacts` and links: footer region, visibility, registration numbers and page signals; pure
(selectolax Lexbor).

One parse and one iterative walk in document order (crawler.walk); numbers are then found in the
joined rendered text and mapped back to their segments (crawler.hits). Style sheets and frame
documents are never fetched here: the caller passes those it fetched, and `Extracted` lists the URLs
that would make the judgement more complete (`stylesheets`, `frames`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

from crawler.footer_region import empty_footer_placeholder, locate_footer
from crawler.hits import TextHits
from crawler.js_shell import SHELL_MAX_CHARS, markup_says_shell
from crawler.signals import page_signals
from crawler.stylesheets import document_base, document_styles, stylesheet_links
from crawler.textscan import normalise_many
from crawler.visibility import NO_PENDING, VISIBLE
from crawler.walk import Ctx, Walk, declares_colour
from rules.model import PageFacts

__all__ = ["FOOTER_TEXT_MAX", "MAX_NESTING", "Extracted", "PageTooDeep", "extract", "stylesheet_links"]

FOOTER_TEXT_MAX = 500
# Deeper pages are refused unparsed. Lexbor's cost grows with the square of the depth (100,000 nested
# <div>s take it about 13 s, 5,000 about 0.03 s) and browsers flatten the tree below 512 levels anyway.
MAX_NESTING = 5_000
_NOTHING: Mapping[str, str] = MappingProxyType({})
_TAG = re.compile(r"<(?:(!--)|(/?)([A-Za-z][A-Za-z0-9:-]*)([^<>]*))")
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"})
_FOREIGN = frozenset({"svg", "math"})
# Elements that never hold others (void) or that the next sibling closes: they add no depth.
_FLAT = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen "  # noqa: SIM905
    "frame basefont bgsound p li dt dd option optgroup tr td th thead tbody tfoot colgroup caption "
    "rb rt rtc rp a nobr html head body".split()
)


class PageTooDeep(ValueError):
    """The page nests elements deeper than MAX_NESTING; it was not parsed."""


def nests_deeper_than(html: str, limit: int) -> bool:
    """Whether elements nest more than `limit` deep, estimated from the tags alone (no parse).

    Void and sibling-closed elements (p, li, td, a, …) add no depth, nor do self-closed ones inside
    SVG and MathML (`<div/>` opens a div, as in browsers); comments and the text of script, style and
    the like are skipped. Linear in the page, and free below `limit` tags.
    """
    if html.count("<") <= limit:
        return False
    depth = foreign = pos = 0
    while (tag := _TAG.search(html, pos)) is not None:
        pos = tag.end()
        comment, slash, name, rest = tag.groups()
        if comment:
            end = html.find("-->", pos)
            pos = len(html) if end < 0 else end + 3
            continue
        name = name.lower()
        if name in _FLAT:
            continue
        if slash:
            depth = max(depth - 1, 0)
            foreign = max(foreign - (name in _FOREIGN), 0)
        elif name in _RAW_TEXT:
            close = re.compile(f"</{name}", re.I).search(html, pos)
            pos = len(html) if close is None else close.start()
        elif not (rest.rstrip().endswith("/") and (foreign or name in _FOREIGN)):
            depth += 1
            foreign += name in _FOREIGN
            if depth > limit:
                return True
    return False


MAX_FOOTER_IMAGES = 4  # footer <img>s a page offers to OCR (badges, certificates): a few, not a gallery


@dataclass(frozen=True, slots=True)
class Extracted:
    """What one HTML page yields: its facts for the rules, the links for the frontier, and what the
    caller may fetch to judge it better.

    `stylesheets`: absolute URLs of the style sheets the page (and its frames) link or @import for a
    desktop screen, in document order; those passed to `extract(stylesheets=…)` were applied.
    `frames`: absolute src URLs of the <iframe>s whose document counts as the page's footer (inside
    the footer region, or the last thing on the page); those passed to `extract(frames=…)` were read.
    """

    facts: PageFacts
    links: tuple[str, ...]
    stylesheets: tuple[str, ...] = ()
    frames: tuple[str, ...] = ()
    images: tuple[str, ...] = ()


def _footer_images(walk: Walk, base: str) -> tuple[str, ...]:
    """The absolute http(s) src URLs of the visible <img>s in the footer region, at most
    MAX_FOOTER_IMAGES: what OCR may read (badges, certificates, 备案 strips as pictures)."""
    urls: dict[str, None] = {}
    for image in walk.images:
        src = (image.attrs.get("src") or "").strip()
        if not (image.footer and image.visible and src) or len(urls) >= MAX_FOOTER_IMAGES:
            continue
        try:
            url = urljoin(base, src).partition("#")[0]
        except ValueError:
            continue  # a malformed src is no image to read
        if url.startswith(("http://", "https://")):
            urls[url] = None
    return tuple(urls)


def _footer_text(texts: list[str], seps: list[str], ctxs: list[Ctx]) -> str:
    parts: list[str] = []
    last = -2
    for i, ctx in enumerate(ctxs):
        if ctx.footer and ctx.visible:
            parts.append(seps[i] if i == last + 1 else " ")
            parts.append(texts[i])
            last = i
    return " ".join("".join(parts).split())[:FOOTER_TEXT_MAX]


def _visible_chars(texts: list[str], ctxs: list[Ctx], enough: int) -> int:
    count = 0
    for text, ctx in zip(texts, ctxs, strict=True):
        if ctx.visible:
            count += len(text) - text.count(" ")
            if count >= enough:
                break
    return count


def _js_shell(tree: LexborHTMLParser, walk: Walk, visible: int) -> bool:
    """A page with scripts is a JavaScript shell when it shows nothing, when its footer is an empty
    slot a script fills, or when it shows little and its markup says a script builds it; a small
    static page is not one for its size alone (crawler.js_shell)."""
    if visible == 0 or empty_footer_placeholder(tree.body):
        return True
    return visible < SHELL_MAX_CHARS and markup_says_shell(tree, walk.script_srcs, walk.script_texts)


def _footer_frames(walk: Walk) -> list[str]:
    """Frames in the footer region or last on the page count as the footer: mark their content so;
    return the src URLs of those frames."""
    urls: list[str] = []
    ctxs = walk.ctxs
    # the last visible segment of the page: a frame after it is the last thing a visitor sees
    last_shown = next((i for i in range(len(ctxs) - 1, -1, -1) if ctxs[i].visible), -1) if walk.frames else -1
    for frame in walk.frames:
        start, end = frame.segments
        last = frame.visible and last_shown < end
        if not (frame.footer or last):
            continue
        if frame.url:
            urls.append(frame.url)
        changed: dict[int, Ctx] = {}
        for i in range(start, end):
            ctx = ctxs[i]
            if not ctx.footer:
                ctxs[i] = changed.setdefault(id(ctx), ctx.in_footer())
        lo, hi = frame.hits
        for k in range(lo, hi):
            key, hit = walk.hits[k]
            walk.hits[k] = (key, replace(hit, in_footer=True))
    return list(dict.fromkeys(urls))


def extract(
    html: str,
    url: str,
    final_url: str,
    *,
    is_homepage: bool,
    stylesheets: Mapping[str, str] = _NOTHING,
    frames: Mapping[str, str] = _NOTHING,
) -> Extracted:
    """Parse one HTML page and return its `PageFacts`, the absolute URLs it links to, and the style
    sheets and footer frames it refers to.

    `final_url` (after redirects) and `<base href>` resolve relative links. `stylesheets` maps absolute
    style-sheet URLs to their CSS text, applied where the page links them (as <style> blocks are);
    `frames` maps absolute <iframe src> URLs to their decoded HTML. Pure: no network, disk or clock.
    Raises `PageTooDeep` for a page nested deeper than MAX_NESTING; such frames are left out.
    """
    if nests_deeper_than(html, MAX_NESTING):
        raise PageTooDeep(
            f"elements nest more than {MAX_NESTING:,} deep; not parsed (browsers flatten below 512 levels)"
        )
    frames = {u: doc for u, doc in frames.items() if not nests_deeper_than(doc, MAX_NESTING)}
    tree = LexborHTMLParser(html.encode("utf-8", "replace"), scripting=True)
    base = document_base(tree, final_url)
    styles, sheet_links = document_styles(tree, html, base, stylesheets)
    region = locate_footer(tree.body, styles.hiding)
    walk = Walk(styles, region.roots, base, stylesheets=stylesheets, frame_documents=frames)
    walk.colours = walk.colours or declares_colour(html)
    root = tree.root
    start = root.parent if root is not None and root.parent is not None else root
    if start is not None:
        walk.walk(start, Ctx(VISIBLE, False, None, NO_PENDING, 0, styles.late))
    footer_frames = _footer_frames(walk)
    texts = normalise_many(walk.raws)
    text_hits = TextHits(walk, texts)
    hits = sorted([*text_hits.hits(), *walk.hits], key=lambda pair: pair[0])
    shell = walk.scripts > 0 and _js_shell(tree, walk, _visible_chars(texts, walk.ctxs, SHELL_MAX_CHARS))
    signals = page_signals(
        [tree, *walk.trees],
        page_url=final_url,
        anchors=walk.anchors,
        script_srcs=walk.script_srcs,
        script_texts=walk.script_texts,
        frame_srcs=walk.frame_srcs,
        titles=walk.titles,
        text=text_hits.full.text,
        visible=text_hits.visible_at(),
    )
    footer_found = region.found or any(c.footer for c in walk.ctxs)
    facts = PageFacts(
        url=url,
        final_url=final_url,
        is_homepage=is_homepage,
        footer_found=footer_found,
        footer_how=region.how if region.found else "last-block" if footer_found else "none",
        footer_text=_footer_text(texts, walk.seps, walk.ctxs),
        numbers=tuple(hit for _, hit in hits),
        # Frames left unread may hold the numbers: like a script-built page, such a page is judged
        # `needs-render` rather than `missing` unless what was read shows them.
        js_shell=shell or walk.unread_frames > 0,
        signals=signals,
        footer_shape=region.shape,
        bad_links=tuple(walk.bad_links),
        bad_link_count=walk.bad_link_count,
    )
    links = tuple(dict.fromkeys([*sheet_links, *walk.sheet_links]))
    images = _footer_images(walk, base)
    return Extracted(facts, tuple(walk.links), links, tuple(footer_frames), images)
