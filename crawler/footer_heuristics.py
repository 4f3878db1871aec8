"""Extraction heuristics as data: where the footer region is (in priority order) and how tags render; pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Pick = Literal["landmarks", "latest-outermost", "last-block"]


@dataclass(frozen=True, slots=True)
class FooterHeuristic:
    """One way of locating the footer region; the first one that finds an element with text wins."""

    how: str  # the `PageFacts.footer_how` value it produces
    selector: str  # CSS selector of the candidates ("" for last-block, which walks <body>'s children)
    pick: (
        Pick  # landmarks: all of them; latest-outermost: one element; last-block: see LAST_BLOCK_MAX_DESCENT
    )


# Substrings of an id or class that mark a footer-like element; the same as the regex
# /foot|copyright|copy-?right|bottom|btm|beian|icp|record|licen[cs]e/i, spelt out so that Lexbor
# matches them in C (`[class*=foot i]`) instead of Python testing every element.
FOOTER_NAME_PARTS: tuple[str, ...] = (
    "foot",
    "copyright",
    "copy-right",
    "bottom",
    "btm",
    "beian",
    "icp",
    "record",
    "licence",
    "license",
)
FOOTER_NAME_SELECTOR = ",".join(f"[id*={p} i],[class*={p} i]" for p in FOOTER_NAME_PARTS)

FOOTER_HEURISTICS: tuple[FooterHeuristic, ...] = (
    FooterHeuristic("footer", "footer", "landmarks"),
    FooterHeuristic("role", "[role~=contentinfo i]", "landmarks"),
    FooterHeuristic("class", FOOTER_NAME_SELECTOR, "latest-outermost"),
    FooterHeuristic("last-block", "", "last-block"),
)

# A <footer> inside these is the footer of an article or section, not of the page (HTML's
# contentinfo rule). The heuristics are tried in this order; the first step that finds a footer wins:
#   1. page-level landmarks (<footer>, then contentinfo, in no sectioning element);
#   2. the latest footer-like element (id/class), at any level, unless landmarks inside sectioning
#      elements start after it (a page wrapped whole in <main> or <section>): then those;
#   first with candidates shown on a desktop screen, then, when none is, with hidden ones
#   (`display:none`, a mobile-only footer: the footer's markup is hidden, not absent);
#   3. the last block of the body (shown blocks first).
# So an article's byline <footer> never beats a later `<div class="footer">`, and a footer hidden on
# a desktop screen never beats a shown one.
SECTIONING_TAGS: frozenset[str] = frozenset({"article", "aside", "main", "nav", "section"})

# The footer band: a visitor reads the strip under the chosen footer as part of it. Elements after the
# footer region (in document order) whose id or class looks like a footer (FOOTER_NAME_PARTS:
# `<div class="beian">`, `<p class="copyright">` below the sitemap <footer>) join the region, hidden
# or not (visibility is judged per number); with a page-level footer, only page-level ones.
BAND_MAX_ELEMENTS = 2000  # elements after the footer looked at (a misplaced <footer> high up the page)
# Elements a name match never makes the footer: the whole page, or markup that is not rendered.
NEVER_FOOTER_TAGS: frozenset[str] = frozenset({"html", "head", "body"})
# A page built as <body><div id="wrapper">…</div></body> has one block; look inside it for the last one.
LAST_BLOCK_MAX_DESCENT = 8
# The footer's shape (PageFacts.footer_shape, for grouping pages by template) names at most this many
# elements; it does not look inside these (scripts, frames, inline SVG icons: their inner markup is
# not the template's structure).
SHAPE_MAX_ELEMENTS = 400
SHAPE_LEAF_TAGS: frozenset[str] = frozenset({"svg", "math"})
# At most this many candidates of one heuristic are checked for content, nearest first.
MAX_CANDIDATES = 64
# A <footer> is looked up this many levels for an enclosing sectioning element (pathological depths).
MAX_ANCESTORS = 512

# Tags whose boundaries do not break a line: text on both sides is joined without a separator, so
# `<span>陕B2-</span><span>20210271</span>` reads as one number. Every other element breaks the text.
INLINE_TAGS: frozenset[str] = frozenset(
    {
        "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em",
        "font", "i", "img", "ins", "kbd", "label", "mark", "nobr", "q", "rp", "rt", "ruby", "s",
        "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
    }
)  # fmt: skip
# Block-level tags: they break the text, and the last-block heuristic only picks one of them.
# Unknown tags (custom elements of Vue or web components) also break the text: frameworks style
# them as blocks, and gluing digits across a real block boundary would invent or hide a number.
BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "dir",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu", "nav", "ol", "p", "pre",
        "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
# Tags whose content a visitor never reads as page text. Script, noscript and template content is
# searched as its own channel (Where.SCRIPT, NOSCRIPT, TEMPLATE); title as Where.ATTRIBUTE.
NON_RENDERED_TAGS: frozenset[str] = frozenset(
    {"script", "style", "noscript", "template", "title", "iframe", "canvas", "video", "audio", "datalist"}
)

# Not the page's footer (issue 13): dialogs, modals, overlays, cookie banners and side columns are
# passed over by every heuristic, with what they hold (a confirm dialog's "取消 确定" bar at the end of
# <body>, a 备案 card in an <aside>); only when nothing else is found are they taken after all. A
# name part matches at the start of a word of an id or class (`layui-layer`, `J_dialog`, not `player`).
OVERLAY_NAME_PARTS: tuple[str, ...] = (
    "modal", "dialog", "popup", "pop-up", "layer", "mask", "overlay", "cookie", "sidebar", "side-bar", "aside",
)  # fmt: skip
OVERLAY_TAGS: frozenset[str] = frozenset({"dialog", "aside"})
OVERLAY_ROLES: frozenset[str] = frozenset({"dialog", "alertdialog"})
# Fixed and floating toolbars (back-to-top buttons, 客服 bars, icon strips) are not footers either
# when they hold at most TOOLBAR_MAX_CHARS characters of text: a footer fixed to the bottom of the
# screen that shows its lines is still the footer.
TOOLBAR_NAME_PARTS: tuple[str, ...] = (
    "fixed", "sticky", "toolbar", "tool-bar", "go-top", "gotop", "back-top", "backtop", "totop", "to-top",
    "scrolltop", "scroll-top",
    "kefu", "float", "suspend",
)  # fmt: skip
TOOLBAR_POSITIONS: tuple[str, ...] = ("fixed", "sticky")
TOOLBAR_MAX_CHARS = 40
# Consecutive footer-like blocks belong together: the blocks before the chosen footer whose id or
# class looks like a footer join it (three sibling `div.copyright`, `#ft` + `#flk`), across at most
# BAND_GAP_MAX blocks of at most BAND_GAP_MAX_CHARS characters between them (a seal-image row); the
# parent of the chosen block joins as a whole when it holds at most BAND_PARENT_MAX_CHARS characters.
BAND_GAP_MAX = 1
BAND_GAP_MAX_CHARS = 200
BAND_PARENT_MAX_CHARS = 1500
# A footer found as the last block: the short blocks right before it are its other lines (several <p>s
# or rows after the main content), up to LAST_BLOCK_MAX_LINES of at most LAST_BLOCK_LINE_MAX_CHARS.
LAST_BLOCK_MAX_LINES = 6
LAST_BLOCK_LINE_MAX_CHARS = 120
