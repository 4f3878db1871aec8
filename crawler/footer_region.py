"""Locate a parsed page's footer region: `footer_heuristics.FOOTER_HEURISTICS` tried in the order
described there (page-level landmarks, the latest footer-like element, the last block; shown before
hidden), then extended by the footer band under it; pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from selectolax.lexbor import LexborNode

from crawler.footer_heuristics import (
    BAND_GAP_MAX,
    BAND_GAP_MAX_CHARS,
    BAND_MAX_ELEMENTS,
    BAND_PARENT_MAX_CHARS,
    FOOTER_HEURISTICS,
    FOOTER_NAME_PARTS,
    INLINE_TAGS,
    LAST_BLOCK_LINE_MAX_CHARS,
    LAST_BLOCK_MAX_DESCENT,
    LAST_BLOCK_MAX_LINES,
    MAX_ANCESTORS,
    MAX_CANDIDATES,
    NEVER_FOOTER_TAGS,
    NON_RENDERED_TAGS,
    OVERLAY_NAME_PARTS,
    OVERLAY_ROLES,
    OVERLAY_TAGS,
    SECTIONING_TAGS,
    SHAPE_LEAF_TAGS,
    SHAPE_MAX_ELEMENTS,
    TOOLBAR_MAX_CHARS,
    TOOLBAR_NAME_PARTS,
    TOOLBAR_POSITIONS,
    FooterHeuristic,
)
from crawler.visibility import NO_PENDING, VISIBLE, Hiding, Pending, StyleSheet, enter_hiding

_NEVER = NEVER_FOOTER_TAGS | NON_RENDERED_TAGS
_SHAPE_LEAVES = NON_RENDERED_TAGS | SHAPE_LEAF_TAGS
_OVERLAY_NAME = re.compile(f"(?:^|[^a-z])(?:{'|'.join(map(re.escape, OVERLAY_NAME_PARTS))})")
_TOOLBAR_NAME = re.compile(f"(?:^|[^a-z])(?:{'|'.join(map(re.escape, TOOLBAR_NAME_PARTS))})")
_TOOLBAR_STYLE = re.compile(rf"position\s*:\s*(?:{'|'.join(TOOLBAR_POSITIONS)})", re.I)
_NOT_A_LINE = SECTIONING_TAGS | {"header", "h1", "h2", "h3", "h4", "h5", "h6", "form"}
_NOT_A_LINE_SELECTOR = ", ".join(sorted(_NOT_A_LINE | OVERLAY_TAGS))


@dataclass(frozen=True, slots=True)
class FooterRegion:
    """How the footer was found, the `mem_id`s of the elements whose subtrees form it, and its shape
    (`footer_shape`)."""

    how: str
    roots: frozenset[int]
    shape: str = ""

    @property
    def found(self) -> bool:
        """True when some heuristic located a footer."""
        return bool(self.roots)


NO_FOOTER = FooterRegion("none", frozenset())


class _Looks:
    """Per page, memoised per element: has it content, does it stand in a sectioning element, is it
    shown on a desktop screen (the walk's own style machinery: crawler.visibility.enter_hiding)."""

    def __init__(self, sheet: StyleSheet | None) -> None:
        self.sheet = sheet
        self._content: dict[int, bool] = {}
        self._section: dict[int, bool] = {}
        self._state: dict[int, tuple[Hiding, Pending]] = {}
        self._over: dict[int, bool] = {}
        self.strict = True  # pass over dialogs, side columns and toolbars (`passed_over`)

    def chars(self, node: LexborNode) -> int:
        """The length of its text, without spaces."""
        return len("".join(node.text(deep=True).split()))

    def passed_over(self, node: LexborNode) -> bool:
        """It is, or stands in, a dialog, modal, overlay, cookie banner or side column, or a fixed
        toolbar with little text (footer_heuristics.OVERLAY_*, TOOLBAR_*): not the page's footer.
        Always False once `strict` is off (nothing else was found)."""
        if not self.strict:
            return False
        path: list[LexborNode] = []
        up: LexborNode | None = node
        while up is not None and up.mem_id not in self._over and len(path) < MAX_ANCESTORS:
            if up.tag in ("body", "html") or not up.tag or up.tag[0] == "-":
                up = None
                break
            path.append(up)
            up = up.parent
        over = self._over[up.mem_id] if up is not None and up.mem_id in self._over else False
        for el in reversed(path):
            over = over or self._overlay(el)
            self._over[el.mem_id] = over
        return over

    def _overlay(self, el: LexborNode) -> bool:
        attrs = el.attributes
        if el.tag in OVERLAY_TAGS or (attrs.get("role") or "").strip().lower() in OVERLAY_ROLES:
            return True
        if (attrs.get("aria-modal") or "").strip().lower() == "true":
            return True
        names = f"{attrs.get('id') or ''} {attrs.get('class') or ''}".lower()
        if _OVERLAY_NAME.search(names):
            return True
        toolbar = _TOOLBAR_NAME.search(names) or _TOOLBAR_STYLE.search(attrs.get("style") or "")
        return bool(toolbar) and self.chars(el) <= TOOLBAR_MAX_CHARS

    def content(self, node: LexborNode) -> bool:
        """It shows text or an image. An image counts: a footer showing the licence only as a picture
        is still the footer; so does an <iframe srcdoc>, whose document is read as part of the page.
        (An <iframe src> does not: a map or video embedded last on the page must not displace the
        footer; a fetched frame's document still counts as the footer when it is the last thing on
        the page.)"""
        key = node.mem_id
        if key not in self._content:
            self._content[key] = (
                bool(node.text(deep=True, strip=True)) or node.css_first("img, iframe[srcdoc]") is not None
            )
        return self._content[key]

    def in_section(self, node: LexborNode) -> bool:
        """It stands inside an article, aside, main, nav or section (looked up MAX_ANCESTORS levels)."""
        key = node.mem_id
        if key not in self._section:
            parent, inside = node.parent, False
            for _ in range(MAX_ANCESTORS):
                if parent is None or parent.tag == "body":
                    break
                if parent.tag in SECTIONING_TAGS:
                    inside = True
                    break
                parent = parent.parent
            self._section[key] = inside
        return self._section[key]

    def shown(self, node: LexborNode) -> bool:
        """Its box is rendered on a desktop screen: neither it nor an ancestor is `display:none`,
        `hidden`, off-screen, zero-size, transparent (opacity), `visibility:hidden` or in a closed
        <details>/<dialog>. (`font-size:0` alone is not: children commonly set their own size.)"""
        hiding = self._hiding(node)
        return hiding.hard is None and hiding.vis is None

    def _hiding(self, node: LexborNode) -> Hiding:
        path: list[LexborNode] = []
        up: LexborNode | None = node
        while up is not None and up.mem_id not in self._state:
            tag = up.tag
            if not tag or tag[0] == "-":  # the document node
                up = None
                break
            path.append(up)
            up = up.parent
        hiding, pending = self._state[up.mem_id] if up is not None else (VISIBLE, NO_PENDING)
        parent = up
        sheet = self.sheet
        for el in reversed(path):
            tag, attrs = el.tag or "", el.attributes
            if sheet is not None or "hidden" in attrs or "style" in attrs or tag == "dialog":
                hiding, pending = enter_hiding(sheet, tag, attrs, hiding, pending)
            closed = parent is not None and parent.tag == "details" and _closed_details_hide(parent, el)
            if closed and hiding.hard is None:
                hiding = replace(hiding, hard="closed <details>")
            self._state[el.mem_id] = (hiding, pending)
            parent = el
        return hiding


def _closed_details_hide(details: LexborNode, child: LexborNode) -> bool:
    """A child of a closed <details> other than its first <summary> is not rendered."""
    if "open" in details.attributes:
        return False
    if child.tag != "summary":
        return True
    first = details.first_child
    while first is not None and first.tag != "summary":
        first = first.next
    return first is None or first.mem_id != child.mem_id


def _landmarks(found: list[LexborNode], looks: _Looks, shown: bool, page_level: bool) -> list[LexborNode]:
    """The landmarks with content (page-level ones only when `page_level`), when one is shown (if
    `shown`): all of them, hidden ones too, for their numbers are in the footer's markup."""
    # Levels are checked on at most 4×MAX_CANDIDATES footers (pathologically many: all count).
    if page_level and len(found) <= 4 * MAX_CANDIDATES:
        found = [n for n in found if not looks.in_section(n)]
    with_content = [
        n for n in found[:MAX_CANDIDATES] if looks.content(n) and not looks.passed_over(n)
    ]  # capped: each costs its subtree
    if shown and not any(looks.shown(n) for n in with_content):
        return []
    return with_content


def _latest(found: list[LexborNode], looks: _Looks, shown: bool) -> LexborNode | None:
    """The latest candidate with content (shown, if `shown`), at any level."""
    return next(
        (
            n
            for n in found[::-1][:MAX_CANDIDATES]
            if looks.content(n) and (not shown or looks.shown(n)) and not looks.passed_over(n)
        ),
        None,
    )


def _outermost(latest: LexborNode, found: list[LexborNode]) -> LexborNode:
    """The outermost candidate holding `latest`, widened from an inline element to its block."""
    ids = {n.mem_id for n in found}
    outermost, node = latest, latest.parent
    while node is not None and node.tag != "body":
        if node.mem_id in ids:
            outermost = node
        node = node.parent
    # `<a class="beian">` alone is too small a region: take the block it stands in.
    node = outermost
    while node.tag in INLINE_TAGS and node.parent is not None and node.parent.tag != "body":
        node = node.parent
    return node


def _path(node: LexborNode) -> list[LexborNode]:
    path = [node]
    up = node.parent
    while up is not None and len(path) < MAX_ANCESTORS:
        path.append(up)
        up = up.parent
    return path[::-1]


def _starts_after(a: LexborNode, b: LexborNode) -> bool:
    """`a` starts after `b` in document order (an element inside `b` does; an ancestor of `b` does not)."""
    pa, pb = _path(a), _path(b)
    i = 0
    while i < len(pa) and i < len(pb) and pa[i].mem_id == pb[i].mem_id:
        i += 1
    if i == len(pa) or i == len(pb):
        return i == len(pb) and i < len(pa)  # `a` inside `b`
    target, sibling = pa[i].mem_id, pb[i].next
    while sibling is not None:
        if sibling.mem_id == target:
            return True
        sibling = sibling.next
    return False


def _blocks_with_content(node: LexborNode, looks: _Looks) -> list[LexborNode]:
    blocks = [
        c
        for c in node.iter()
        if c.tag not in INLINE_TAGS and c.tag not in _NEVER and looks.content(c) and not looks.passed_over(c)
    ]
    return [b for b in blocks if looks.shown(b)] or blocks  # a hidden modal last is not the footer


def _last_block(body: LexborNode, looks: _Looks) -> list[LexborNode]:
    kids = _blocks_with_content(body, looks)
    for _ in range(LAST_BLOCK_MAX_DESCENT):
        inner = _blocks_with_content(kids[0], looks) if len(kids) == 1 else []
        if not inner:
            break
        kids = inner  # one wrapper around the whole page: its last block is the footer
    return _lines_above(kids, looks)


def _lines_above(kids: list[LexborNode], looks: _Looks) -> list[LexborNode]:
    """The last block with the short lines right above it, when main content (a long block or a
    sectioning element) stands above those: a wrapper-less footer of several <p>s after the content.
    With nothing long above them, a page of short blocks keeps its last one alone."""
    lines = kids[-1:]
    for block in reversed(kids[:-1]):
        if block.tag in _NOT_A_LINE or looks.chars(block) > LAST_BLOCK_LINE_MAX_CHARS:
            return lines
        if block.css_first(_NOT_A_LINE_SELECTOR) is not None or looks.passed_over(block):
            return kids[-1:]  # a column layout above, not a line of the footer
        if len(lines) >= LAST_BLOCK_MAX_LINES or _footer_like(block):
            break
        lines.insert(0, block)
    return kids[-1:]


def _element_before(node: LexborNode) -> LexborNode | None:
    """The element sibling before `node` (text, comments and unrendered markup skipped)."""
    prev = node.prev
    while prev is not None and (not prev.tag or prev.tag[0] == "-" or prev.tag in _NEVER):
        prev = prev.prev
    return prev


def _joined_before(node: LexborNode, looks: _Looks) -> list[LexborNode]:
    """The footer-like siblings before `node` that run on into it, with the short blocks between
    them (at most BAND_GAP_MAX at a time), in document order."""
    joined: list[LexborNode] = []
    gap: list[LexborNode] = []
    prev = _element_before(node)
    while prev is not None and len(joined) < MAX_CANDIDATES:
        if not looks.content(prev) or looks.passed_over(prev):
            pass
        elif _footer_like(prev):
            joined[:0] = [prev, *gap]
            gap = []
        elif prev.tag in _NOT_A_LINE:
            break
        elif len(gap) < BAND_GAP_MAX and looks.chars(prev) <= BAND_GAP_MAX_CHARS:
            gap.insert(0, prev)
        else:
            break
        prev = _element_before(prev)
    return joined


def _joined_after(node: LexborNode, looks: _Looks) -> list[LexborNode]:
    """The short blocks after `node` that stand between it and a later footer-like sibling (shown
    or empty: a seal row of background images), with those siblings, in document order."""
    joined: list[LexborNode] = []
    gap: list[LexborNode] = []
    after = node.next
    while after is not None and len(joined) < MAX_CANDIDATES:
        if not after.tag or after.tag[0] == "-" or after.tag in _NEVER or looks.passed_over(after):
            pass
        elif _footer_like(after):
            joined += [*gap, after]
            gap = []
        elif not looks.content(after):
            pass
        elif after.tag in _NOT_A_LINE or len(gap) >= BAND_GAP_MAX or looks.chars(after) > BAND_GAP_MAX_CHARS:
            break
        else:
            gap.append(after)
        after = after.next
    return joined


def _consecutive(node: LexborNode, looks: _Looks) -> list[LexborNode]:
    """`node` with the footer-like blocks before it that belong with it: at its level, else at the
    level of an ancestor small enough to be part of the footer band (BAND_PARENT_MAX_CHARS), which
    then joins whole; and the short blocks between it and a footer-like sibling after it."""
    after = _joined_after(node, looks)
    level = node
    for _ in range(LAST_BLOCK_MAX_DESCENT):
        if joined := _joined_before(level, looks):
            return [*joined, level, *after] if level is node else [*joined, level]
        parent = level.parent
        if parent is None or parent.tag in _NEVER or parent.tag in _NOT_A_LINE or looks.passed_over(parent):
            break
        if looks.chars(parent) > BAND_PARENT_MAX_CHARS:
            break
        level = parent
    return [node, *after]


_LANDMARKS = tuple(h for h in FOOTER_HEURISTICS if h.pick == "landmarks")
_LATEST = tuple(h for h in FOOTER_HEURISTICS if h.pick == "latest-outermost")
_LAST = tuple(h for h in FOOTER_HEURISTICS if h.pick == "last-block")


def _footer_like(node: LexborNode) -> bool:
    """Its id or class holds one of FOOTER_NAME_PARTS (FOOTER_NAME_SELECTOR, tested in Python)."""
    attrs = node.attributes
    if "id" not in attrs and "class" not in attrs:
        return False
    names = f"{attrs.get('id') or ''} {attrs.get('class') or ''}".lower()
    return any(part in names for part in FOOTER_NAME_PARTS)


def _band(last: LexborNode, looks: _Looks, page_level: bool) -> list[LexborNode]:
    """The footer-like elements after `last` (outermost, with content; page-level ones when
    `page_level`), each widened from an inline element to the block it stands in."""
    tops: list[LexborNode] = []  # siblings after `last`, then after each ancestor: document order
    node: LexborNode | None = last
    while node is not None and node.tag not in ("body", "html"):
        sibling = node.next
        while sibling is not None and len(tops) < BAND_MAX_ELEMENTS:
            if sibling.tag and sibling.tag[0] != "-" and sibling.tag not in _NEVER:
                tops.append(sibling)
            sibling = sibling.next
        node = node.parent
    band: list[LexborNode] = []
    seen = 0
    for top in tops:
        stack = [top]
        while stack and seen < BAND_MAX_ELEMENTS:
            el = stack.pop()
            seen += 1
            if _footer_like(el) and not looks.passed_over(el):
                if not (page_level and looks.in_section(el)) and looks.content(el):
                    while el.tag in INLINE_TAGS and el.mem_id != top.mem_id and el.parent is not None:
                        el = el.parent  # `<a class="beian">`: the block it stands in
                    band.append(el)
                continue  # outermost: what it holds is in the band with it
            child = el.last_child
            while child is not None:
                if child.tag and child.tag[0] != "-" and child.tag not in _NEVER:
                    stack.append(child)
                child = child.prev
    return band


class _Candidates:
    """The candidates of each heuristic, queried once and only when needed."""

    def __init__(self, body: LexborNode) -> None:
        self.body = body
        self._found: dict[str, list[LexborNode]] = {}

    def __call__(self, h: FooterHeuristic) -> list[LexborNode]:
        if h.how not in self._found:
            self._found[h.how] = [n for n in self.body.css(h.selector) if n.tag not in _NEVER]
        return self._found[h.how]


def footer_shape(roots: list[LexborNode]) -> str:
    """The structure of the subtrees of `roots`, for grouping pages by template: tag names in document
    order, children in "( )", no ids, classes or text; at most SHAPE_MAX_ELEMENTS names, then "+"."""
    out: list[str] = []
    count = 0
    for root in roots:
        stack: list[LexborNode | None] = [root]
        while stack:
            node = stack.pop()
            if node is None:
                out.append(")")
                continue
            tag = node.tag
            if not tag or tag[0] == "-":  # text, comment
                continue
            count += 1
            if count > SHAPE_MAX_ELEMENTS:
                out.append("+")
                stack.clear()
                break
            out.append(tag)
            kids: list[LexborNode | None] = []
            child = None if tag in _SHAPE_LEAVES else node.first_child
            while child is not None and len(kids) < 2 * SHAPE_MAX_ELEMENTS:  # text nodes between them
                kids.append(child)
                child = child.next
            if kids:
                out.append("(")
                stack.append(None)
                stack.extend(reversed(kids))
        if count > SHAPE_MAX_ELEMENTS:
            break
    return " ".join(out).replace(" ( )", "")  # an element holding only text: its name alone


def _region(how: str, roots: list[LexborNode], looks: _Looks, page_level: bool) -> FooterRegion:
    members = [*roots, *_band(roots[-1], looks, page_level)]
    return FooterRegion(how, frozenset(n.mem_id for n in members), footer_shape(members))


def locate_footer(body: LexborNode | None, sheet: StyleSheet | None = None) -> FooterRegion:
    """The footer region of a page, given its <body> and the hiding rules of its style
    (`PageStyles.hiding`); NO_FOOTER when no heuristic finds one (order: crawler.footer_heuristics)."""
    if body is None:
        return NO_FOOTER
    looks = _Looks(sheet)
    candidates = _Candidates(body)
    for strict in (True, False):  # dialogs, side columns and toolbars only when nothing else is found
        looks.strict = strict
        if (region := _locate(body, looks, candidates)).found:
            return region
    return NO_FOOTER


def _locate(body: LexborNode, looks: _Looks, candidates: _Candidates) -> FooterRegion:
    """The heuristics in their order (crawler.footer_heuristics), with `looks.strict` as set."""
    for shown in (True, False):
        for h in _LANDMARKS:
            if roots := _landmarks(candidates(h), looks, shown, page_level=True):
                return _region(h.how, roots, looks, page_level=True)
        best: tuple[str, list[LexborNode]] | None = None
        latest: LexborNode | None = None
        for h in _LATEST:
            found = candidates(h)
            if (latest := _latest(found, looks, shown)) is not None:
                best = (h.how, _consecutive(_outermost(latest, found), looks))
                break
        for h in _LANDMARKS:
            if roots := _landmarks(candidates(h), looks, shown, page_level=False):
                last = next(n for n in reversed(roots) if not shown or looks.shown(n))
                if latest is None or _starts_after(last, latest):
                    best = (h.how, roots)
                break
        if best is not None:
            return _region(*best, looks, page_level=False)
    roots = _last_block(body, looks) if _LAST else []
    if not roots:
        return NO_FOOTER
    return FooterRegion(_LAST[0].how, frozenset(n.mem_id for n in roots), footer_shape(roots))


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
