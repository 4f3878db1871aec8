"""Inherited style of the few text nodes that hold a number: centring, and text coloured like its
background; pure.

Matching every rule on every element costs more than a page's numbers are worth, so these are looked
up on demand: from the text's element up to its document's root, each element's own declarations come
from its inline style, its presentational attributes and the `late` rules (matched right to left, as
browsers do). Results are memoised per element for the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar, cast

from selectolax.lexbor import LexborNode

from crawler.css import (
    LATE_PROPS,
    TRANSPARENT,
    StyleRule,
    background_colour,
    colour,
    contrast,
    parse_declarations,
)
from crawler.footer_heuristics import INLINE_TAGS
from crawler.paint import CONTRAST_MIN
from crawler.visibility import LOOSE_KEY, LOOSELY, LateIndex, describe
from rules.verdict import UNDECIDED

_CENTRE = frozenset({"center", "-webkit-center", "-moz-center", "-khtml-center", "middle"})
_NOT_CENTRE = frozenset(
    {"left", "right", "justify", "start", "end", "initial", "-webkit-left", "-webkit-right"}
)
_CENTRED_BY_DEFAULT = frozenset({"center", "th", "caption"})  # the UA style sheet centres these
_INHERIT = frozenset({"inherit", "unset", "currentcolor", "revert", ""})
_BGCOLOR_TAGS = frozenset({"body", "table", "tr", "td", "th"})
_UNKNOWN = "unknown"
MAX_DEPTH = 256  # ancestors looked at (pathologically deep pages)
PAGE_BACKGROUND = "#ffffff"  # a browser's canvas where no style paints one

Declared = dict[str, tuple[str, tuple[int, ...], str | None]]  # prop → (value, rank, selector; None: inline)
Colour = tuple[
    str, str, "_Element"
]  # (#rrggbb, transparent or unknown; as written; the element declaring it)


Signature = tuple[str, tuple[tuple[str, str | None], ...], object]  # tag, attributes, parent's signature


class _Element:
    """An element as selectors see it, linked to its parent."""

    __slots__ = ("attrs", "classes", "declared", "id", "key", "loose", "parent", "signature", "tag")

    def __init__(self, node: LexborNode, tag: str, parent: _Element | None) -> None:
        attrs = node.attributes
        self.key, self.tag, self.parent, self.attrs = node.mem_id, tag, parent, attrs
        self.id = attrs.get("id")
        self.classes = frozenset((attrs.get("class") or "").split()) if "class" in attrs else frozenset()
        self.declared: Declared | None = None
        self.loose: Declared | None = None  # with the rules read loosely too (crawler.selectors)
        # All a lookup reads of the element and its ancestors: equal signatures, equal results.
        self.signature: Signature = (tag, tuple(attrs.items()), parent.signature if parent else None)

    def describe(self) -> str:
        return describe(self.tag, self.attrs)

    def ancestors(self) -> Iterator[_Element]:
        """The element, then its ancestors up to the root of its document."""
        el: _Element | None = self
        while el is not None:
            yield el
            el = el.parent


def _matches(rule: StyleRule, el: _Element) -> bool:
    """Descendant chains match greedily from the element up (right to left)."""
    if not rule.compounds[-1].matches(el.tag, el.id, el.classes, el.attrs):
        return False
    up = el.parent
    for compound in reversed(rule.compounds[:-1]):
        while up is not None and not compound.matches(up.tag, up.id, up.classes, up.attrs):
            up = up.parent
        if up is None:
            return False
        up = up.parent
    return True


def _declare(el: _Element, late: tuple[LateIndex, ...], loose: bool = False) -> Declared:
    """The element's own declarations of the late properties: its matching rules and inline style;
    `loose`: also the rules whose selectors are read as a superset."""
    done = el.loose if loose else el.declared
    if done is not None:
        return done
    out: Declared = {}
    keys = [el.tag, "*", *(f".{c}" for c in el.classes), *(f"[{a}" for a in el.attrs)] if late else []
    if el.id and late:
        keys.append(f"#{el.id}")
    for sheet, index in enumerate(late):
        for k in keys:
            for rule in index.get(k, ()):
                if not (rule.exact or loose) or not _matches(rule, el):
                    continue
                for prop, value, important in rule.decls:
                    rank: tuple[int, ...] = (int(important), 0, *rule.rank[:3], sheet, rule.rank[3])
                    if prop not in out or rank > out[prop][1]:
                        out[prop] = (value, rank, rule.selector)
    if "style" in el.attrs:
        for prop, (value, important) in parse_declarations(el.attrs.get("style") or "", LATE_PROPS).items():
            rank = (int(important), 1)
            if prop not in out or rank > out[prop][1]:
                out[prop] = (value, rank, None)
    if loose:
        el.loose = out
    else:
        el.declared = out
    return out


SHARED_MEMO_MAX = 1024  # lookups remembered across pages (a site repeats a few footers)

# Results by (lookup, id of the document's late rules, element signature), with the late rules they
# were computed for (an id is only reused once its object is gone): the pages of a site repeat the
# same footer, whose lookups would otherwise be redone on every page.
_SHARED: dict[tuple[str, int, Signature], tuple[tuple[LateIndex, ...], object]] = {}


class StyleLookup:
    """Per page: the centring and camouflage of text nodes, memoised per element (and, by element
    signature, across pages)."""

    def __init__(self) -> None:
        self._elements: dict[int, _Element | None] = {}
        self._centring: dict[int, bool | None] = {}
        # colour memos: [0] by the exact rules, [1] with the rules read loosely too
        self._text: tuple[dict[int, Colour | None], ...] = ({}, {})
        self._fill: tuple[dict[int, Colour | None], ...] = ({}, {})
        self._back: tuple[dict[int, tuple[str, _Element] | None], ...] = ({}, {})

    def _element(self, node: LexborNode | None) -> _Element | None:
        """The element (with its ancestors linked) for a node of the tree."""
        path: list[tuple[LexborNode, str]] = []
        found: _Element | None = None
        while node is not None and len(path) < MAX_DEPTH:
            key = node.mem_id
            if key in self._elements:
                found = self._elements[key]
                break
            tag = node.tag
            if not tag or tag[0] == "-":  # the document node
                break
            path.append((node, tag))
            node = node.parent
        for node, tag in reversed(path):
            found = _Element(node, tag, found)
            self._elements[node.mem_id] = found
        return found

    def centred(self, text_node: LexborNode, late: tuple[LateIndex, ...]) -> bool | None:
        """True when the nearest declared horizontal alignment centres the text (text-align:center,
        <center>, align=center, a centring flex container), False when it is left, right or justified,
        None when nothing says."""
        start = self._element(text_node.parent)
        if start is None:
            return None
        return _across_pages(
            "centred", start, late, lambda: _inherit(start, self._centring, lambda el: _centring(el, late))
        )

    def camouflage(self, text_node: LexborNode, late: tuple[LateIndex, ...]) -> str | None:
        """Why the text cannot be seen for its colour: transparent, or the same as the background
        declared on it or an ancestor; None when it can be seen or nothing declares both."""
        start = self._element(text_node.parent)
        if start is None:
            return None
        return _across_pages("camouflage", start, late, lambda: self._judge(start, late))

    def _judge(self, start: _Element, late: tuple[LateIndex, ...]) -> str | None:
        """By the exact rules; where those hide nothing, rules read loosely that would hide the text
        leave it undecided (they may or may not apply: a browser tells)."""
        why = self._camouflage(start, late, False)
        if why is not None or not any(LOOSE_KEY in index for index in late):
            return why
        why = self._camouflage(start, late, True)
        return None if why is None else f"{UNDECIDED}{why.removeprefix(UNDECIDED)}{LOOSELY}"

    def _camouflage(self, start: _Element, late: tuple[LateIndex, ...], loose: bool) -> str | None:
        def own(el: _Element) -> Declared:
            return _declare(el, late, loose)

        # -webkit-text-fill-color paints the glyphs instead of color, where it is set
        fill = _inherit(start, self._fill[loose], lambda el: _fill_colour(el, own(el)))
        text = fill or _inherit(start, self._text[loose], lambda el: _text_colour(el, own(el)))
        if text is None or text[0] == _UNKNOWN:
            return None
        value, written, el = text
        prop = "-webkit-text-fill-color" if fill else "color"
        if value == TRANSPARENT:
            return _transparent(el, own(el), f"{prop}:{written} on {el.describe()}")
        back = _inherit(start, self._back[loose], lambda el: _background(el, own(el)))
        if back is None:  # nothing declares a background: the page's own, if no rule we skip paints one
            if contrast(value, PAGE_BACKGROUND) < CONTRAST_MIN:
                return f"{UNDECIDED}{prop}:{written} on {el.describe()}, on a background not declared"
            return None
        if back[0] != _UNKNOWN and contrast(value, back[0]) < CONTRAST_MIN:
            return f"{prop}:{written} on {el.describe()}, the background of {back[1].describe()}"
        return None


T = TypeVar("T")


def _across_pages(kind: str, start: _Element, late: tuple[LateIndex, ...], compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave for an element of the same signature under the same style rules
    (`late` is kept with the answer, so an id reused by another page's rules never matches)."""
    key = (kind, id(late), start.signature)
    shared = _SHARED.get(key)
    if shared is not None and shared[0] is late:
        return cast(T, shared[1])
    result = compute()
    if len(_SHARED) >= SHARED_MEMO_MAX:
        _SHARED.clear()
    _SHARED[key] = (late, result)
    return result


def _inherit(el: _Element, memo: dict[int, T | None], own: Callable[[_Element], T | None]) -> T | None:
    """The value the nearest element (from `el` up) declares, memoised for every element passed."""
    path: list[_Element] = []
    up: _Element | None = el
    while up is not None and up.key not in memo:
        path.append(up)
        up = up.parent
    value = memo[up.key] if up is not None else None
    for each in reversed(path):
        mine = own(each)
        if mine is not None:
            value = mine
        memo[each.key] = value
    return value


def _centring(el: _Element, late: tuple[LateIndex, ...]) -> bool | None:
    own = _declare(el, late)
    if el.tag not in INLINE_TAGS:
        align = own.get("text-align", ("", (), None))[0]
        if align in _CENTRE:
            return True
        if align in _NOT_CENTRE:
            return False
        attr = (el.attrs.get("align") or "").strip().lower()
        if attr in _CENTRE or el.tag in _CENTRED_BY_DEFAULT:
            return True
        if attr in ("left", "right", "justify"):
            return False
    return True if _flex_centres(own) else None


def _flex_centres(own: Declared) -> bool:
    if own.get("display", ("", (), None))[0] not in ("flex", "inline-flex"):
        return False
    flow = own.get("flex-direction", own.get("flex-flow", ("", (), None)))[0]
    axis = "align-items" if flow.startswith("column") else "justify-content"
    return own.get(axis, ("", (), None))[0] == "center"


def _text_colour(el: _Element, own: Declared) -> tuple[str, str, _Element] | None:
    written = own["color"][0] if "color" in own else ""
    if not written and el.tag == "font":
        written = (el.attrs.get("color") or "").strip().lower()
    if written in _INHERIT:
        if el.tag == "a" and "href" in el.attrs and "color" not in own:
            return _UNKNOWN, "", el  # the browser's link colour, whatever the ancestors say
        return None
    return colour(written) or _UNKNOWN, written, el


def _fill_colour(el: _Element, own: Declared) -> tuple[str, str, _Element] | None:
    written = own["-webkit-text-fill-color"][0] if "-webkit-text-fill-color" in own else ""
    if written in _INHERIT:
        return None  # currentcolor (the default): the glyphs take `color`
    return colour(written) or _UNKNOWN, written, el


def _transparent(el: _Element, own: Declared, why: str) -> str | None:
    """Transparent glyphs show only a background clipped to the text (a gradient title): visible where
    the element paints an image or gradient behind them, unknown where it paints something else."""
    clip = own.get("background-clip", own.get("-webkit-background-clip", ("", (), None)))[0]
    if clip != "text":
        return why
    image = own.get("background-image") or own.get("background")
    if image is not None and background_colour(image[0]) == "image":
        return None
    return f"{UNDECIDED}{why}, its background clipped to the text"


def _background(el: _Element, own: Declared) -> tuple[str, _Element] | None:
    image = own.get("background-image", ("none", (), None))[0]
    if image not in ("none", "initial", "unset", ""):
        return _UNKNOWN, el
    best = own.get("background") or own.get("background-color")
    if (
        "background" in own
        and "background-color" in own
        and own["background-color"][1] > own["background"][1]
    ):
        best = own["background-color"]
    if best is not None:
        painted = background_colour(best[0])
    elif el.tag in _BGCOLOR_TAGS and el.attrs.get("bgcolor"):
        painted = colour(el.attrs.get("bgcolor") or "")
    else:
        return None
    if painted == TRANSPARENT:
        return None
    return (painted if painted not in (None, "image") else _UNKNOWN), el
