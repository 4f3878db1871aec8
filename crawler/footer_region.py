"""Locate a parsed page's footer region by trying `footer_heuristics.FOOTER_HEURISTICS` in order; pure."""

from __future__ import annotations

from dataclasses import dataclass

from selectolax.lexbor import LexborNode

from crawler.footer_heuristics import (
    FOOTER_HEURISTICS,
    INLINE_TAGS,
    LAST_BLOCK_MAX_DESCENT,
    MAX_ANCESTORS,
    MAX_CANDIDATES,
    NEVER_FOOTER_TAGS,
    NON_RENDERED_TAGS,
    SECTIONING_TAGS,
    FooterHeuristic,
)

_NEVER = NEVER_FOOTER_TAGS | NON_RENDERED_TAGS


@dataclass(frozen=True, slots=True)
class FooterRegion:
    """How the footer was found and the `mem_id`s of the elements whose subtrees form it."""

    how: str
    roots: frozenset[int]

    @property
    def found(self) -> bool:
        """True when some heuristic located a footer."""
        return bool(self.roots)


NO_FOOTER = FooterRegion("none", frozenset())


def _has_content(node: LexborNode) -> bool:
    # An image counts: a footer showing the licence only as a picture is still the footer; so does
    # an <iframe srcdoc>, whose document is read as part of the page. (An <iframe src> does not: a
    # map or video embedded last on the page must not displace the footer; a fetched frame's
    # document still counts as the footer when it is the last thing on the page.)
    return bool(node.text(deep=True, strip=True)) or node.css_first("img, iframe[srcdoc]") is not None


def _with_content(nodes: list[LexborNode]) -> list[LexborNode]:
    # Capped: nested candidates make each check cost the whole subtree (pathological pages).
    return [n for n in nodes[:MAX_CANDIDATES] if _has_content(n)]


def _in_section(node: LexborNode) -> bool:
    parent = node.parent
    for _ in range(MAX_ANCESTORS):
        if parent is None or parent.tag == "body":
            return False
        if parent.tag in SECTIONING_TAGS:
            return True
        parent = parent.parent
    return False


def _landmarks(body: LexborNode, h: FooterHeuristic) -> list[LexborNode]:
    found = [n for n in body.css(h.selector) if n.tag not in _NEVER]
    # (A CSS `article footer` query would cost the square of the depth on nested footers.)
    page_level = [n for n in found if not _in_section(n)] if len(found) <= 4 * MAX_CANDIDATES else found
    return _with_content(page_level) or _with_content(found)


def _latest_outermost(body: LexborNode, h: FooterHeuristic) -> list[LexborNode]:
    candidates = [n for n in body.css(h.selector) if n.tag not in _NEVER]
    latest = next(iter(_with_content(candidates[::-1])), None)
    if latest is None:
        return []
    ids = {n.mem_id for n in candidates}
    outermost, node = latest, latest.parent
    while node is not None and node.tag != "body":
        if node.mem_id in ids:
            outermost = node
        node = node.parent
    # `<a class="beian">` alone is too small a region: take the block it stands in.
    node = outermost
    while node.tag in INLINE_TAGS and node.parent is not None and node.parent.tag != "body":
        node = node.parent
    return [node]


def _blocks_with_content(node: LexborNode) -> list[LexborNode]:
    return [c for c in node.iter() if c.tag not in INLINE_TAGS and c.tag not in _NEVER and _has_content(c)]


def _last_block(body: LexborNode, h: FooterHeuristic) -> list[LexborNode]:
    kids = _blocks_with_content(body)
    for _ in range(LAST_BLOCK_MAX_DESCENT):
        inner = _blocks_with_content(kids[0]) if len(kids) == 1 else []
        if not inner:
            break
        kids = inner  # one wrapper around the whole page: its last block is the footer
    return kids[-1:]


_PICK = {"landmarks": _landmarks, "latest-outermost": _latest_outermost, "last-block": _last_block}


def locate_footer(body: LexborNode | None) -> FooterRegion:
    """The footer region of a page, given its <body>; NO_FOOTER when no heuristic finds one."""
    if body is None:
        return NO_FOOTER
    for heuristic in FOOTER_HEURISTICS:
        roots = _PICK[heuristic.pick](body, heuristic)
        if roots:
            return FooterRegion(heuristic.how, frozenset(n.mem_id for n in roots))
    return NO_FOOTER


_PLACEHOLDER_SELECTOR = (
    "footer, [role=contentinfo], [id*=foot i], [class*=foot i], [id*=bottom i], [class*=copyright i]"
)


def empty_footer_placeholder(body: LexborNode | None) -> bool:
    """True when the page's last footer-like element is empty: a slot that a script fills later
    (`$("#footer").load(...)`, `<div class="foot"><script src=foot.js>`), so only a browser can judge it."""
    if body is None:
        return False
    candidates = body.css(_PLACEHOLDER_SELECTOR)
    if not candidates:
        return False
    last = candidates[-1]
    return not last.text(deep=True, strip=True) and last.css_first("img, iframe, svg") is None
