"""Static visibility of elements: `hidden`, inline styles and simple style rules that hide text; pure.

Only what the markup and the given style sheets say is judged, as a desktop browser would apply it;
selectors beyond tags, ids, classes and descendant chains are ignored (crawler.css). The hiding rules
are matched while the page is walked; colours and alignment are looked up per number afterwards
(crawler.computed_style), from the `late` part of `PageStyles`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from crawler.css import (
    LATE_PROPS,
    OFF_SCREEN_PROPS,
    ZERO_SIZE_PROPS,
    StyleRule,
    parse_declarations,
    px,
    sheet_rules,
)

OFF_SCREEN_PX = -999.0  # an offset at or beyond this moves text out of any window
ZERO_SIZE_PX = 1.0  # a box this small (with overflow hidden) shows no text: .sr-only is 1px
_OFFSETS = ("text-indent", "margin-left", "margin-top", "left", "top")
_SIZES = ("width", "height", "max-height")
_GEOMETRY = frozenset(_OFFSETS + _SIZES)
_FONT_KEYWORDS = frozenset(
    {"xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large", "xxx-large"}
)

# The state of pending descendant chains, keyed like `StyleSheet.first`: (rule index, next compound).
Pending = Mapping[str, tuple[tuple[int, int], ...]]
NO_PENDING: Pending = MappingProxyType({})
LateIndex = Mapping[str, tuple[StyleRule, ...]]  # rules of one style text by the key of their last compound


@dataclass(frozen=True, slots=True)
class StyleSheet:
    """The simple hiding rules of a document's style sheets, indexed by the key of their first compound."""

    rules: tuple[StyleRule, ...]
    first: Mapping[str, tuple[int, ...]]

    def match(
        self, tag: str, el_id: str | None, class_attr: str | None, pending: Pending
    ) -> tuple[list[StyleRule], Pending]:
        """Rules matching this element, and the pending chains its descendants inherit."""
        names = class_attr.split() if class_attr else []
        keys = [tag, *(f".{c}" for c in names)] if names else [tag]
        if el_id:
            keys.append(f"#{el_id}")
        first = self.first
        if "*" in first:
            keys.append("*")
        states: list[tuple[int, int]] = []
        for key in keys:
            if key in first:
                states.extend((r, 0) for r in first[key])
            if pending and key in pending:
                states.extend(pending[key])
        if pending and "*" in pending and "*" not in keys:
            states.extend(pending["*"])
        if not states:
            return [], pending
        classes = frozenset(names)
        matched: list[StyleRule] = []
        added: dict[str, tuple[tuple[int, int], ...]] | None = None
        for index, pos in states:
            rule = self.rules[index]
            if not rule.compounds[pos].matches(tag, el_id, classes):
                continue
            if pos + 1 == len(rule.compounds):
                matched.append(rule)
                continue
            key = rule.compounds[pos + 1].key
            if (index, pos + 1) in (added or pending).get(key, ()):
                continue  # already pending from an ancestor: copying the map again would change nothing
            if added is None:
                added = dict(pending)
            added[key] = (*added.get(key, ()), (index, pos + 1))
        return matched, (pending if added is None else added)


@dataclass(frozen=True, slots=True)
class PageStyles:
    """A document's style: `hiding` is matched while walking it, `late` (one index per style text, in
    document order) is looked up for the few elements that hold a number."""

    hiding: StyleSheet | None
    late: tuple[LateIndex, ...]
    colours: bool = False  # some late rule sets a text colour (text may be coloured like its background)


NO_STYLES = PageStyles(None, ())


@dataclass(frozen=True, slots=True)
class Hiding:
    """Why text is hidden: `hard` cannot be undone below, `vis` and `font0` can (visibility, font-size)."""

    hard: str | None = None
    vis: str | None = None
    font0: str | None = None

    @property
    def reason(self) -> str | None:
        """The first reason that applies, or None when the text is visible."""
        return self.hard or self.vis or self.font0


VISIBLE = Hiding()


def describe(tag: str, attrs: Mapping[str, str | None]) -> str:
    """`tag#id`, `tag.firstclass` or `tag`: how evidence names an element."""
    if el_id := attrs.get("id"):
        return f"{tag}#{el_id}"
    classes = (attrs.get("class") or "").split()
    return f"{tag}.{classes[0]}" if classes else tag


def _far_negative(value: str) -> bool:
    length = px(value)
    return length is not None and length <= OFF_SCREEN_PX


def _tiny(value: str) -> bool:
    length = px(value)
    return length is not None and length <= ZERO_SIZE_PX


def _hiding_decls(rule: StyleRule, opacity: bool, font_size: bool) -> tuple[tuple[str, str, bool], ...]:
    """The declarations of a rule the walk needs. Off-screen and zero-size declarations only come
    from rules that themselves move text away or shrink a box: a page's thousands of width, margin
    and position declarations would otherwise be matched on every element for nothing."""
    decls = rule.decls
    off = any(p in _OFFSETS and _far_negative(v) for p, v, _ in decls)
    zero = any(p in _SIZES and _tiny(v) for p, v, _ in decls)
    return tuple(
        (p, v, imp)
        for p, v, imp in decls
        if p in ("display", "visibility")
        or (p == "opacity" and opacity)
        or (p == "font-size" and font_size)
        or (off and p in OFF_SCREEN_PROPS)
        or (zero and p in ZERO_SIZE_PROPS)
    )


def _hides(rule: StyleRule) -> bool:
    for p, v, _ in rule.decls:
        if (p == "display" and v == "none") or (p == "visibility" and v in ("hidden", "collapse")):
            return True
        if p in ("opacity", "font-size") and px(v) == 0:
            return True
        if p in _OFFSETS or p in _SIZES:
            return True  # kept only because the rule moves text away or shrinks a box
    return False


@lru_cache(maxsize=128)
def _late_index(css: str) -> LateIndex:
    by_key: dict[str, list[StyleRule]] = {}
    for rule in sheet_rules(css):
        decls = tuple(d for d in rule.decls if d[0] in LATE_PROPS)
        if decls:
            late = StyleRule(rule.compounds, rule.rank, decls, rule.selector)
            by_key.setdefault(rule.compounds[-1].key, []).append(late)
    return MappingProxyType({k: tuple(v) for k, v in by_key.items()})


@lru_cache(maxsize=32)
def page_styles(css_texts: tuple[str, ...], *, font_size: bool = False) -> PageStyles:
    """The style of a document from its style texts (<style> blocks and style sheets, in document order).

    `font_size`: the markup has an inline `font-size:0`, so rules setting a font size matter (below it,
    a child's own size undoes the trick); without it they are kept only when a rule sets `font-size:0`.
    Memoised: the pages of one site repeat the same style texts, and the result is immutable.
    """
    parsed = [sheet_rules(css) for css in css_texts]
    every = [r for rules in parsed for r in rules]
    opacity = any(p == "opacity" and px(v) == 0 for r in every for p, v, _ in r.decls)
    font_size = font_size or any(p == "font-size" and px(v) == 0 for r in every for p, v, _ in r.decls)
    rules: list[StyleRule] = []
    for rule in every:
        decls = _hiding_decls(rule, opacity, font_size)
        if decls:
            rules.append(StyleRule(rule.compounds, (*rule.rank[:3], len(rules)), decls, rule.selector))
    late = tuple(_late_index(css) for css in css_texts)
    colours = any(
        p == "color" for index in late for rules_ in index.values() for r in rules_ for p, _, _ in r.decls
    )
    if not rules or not (font_size or any(_hides(r) for r in rules)):
        return PageStyles(None, late, colours)  # rules that only show things change nothing on their own
    first: dict[str, tuple[int, ...]] = {}
    for i, rule in enumerate(rules):
        key = rule.compounds[0].key
        first[key] = (*first.get(key, ()), i)
    return PageStyles(StyleSheet(tuple(rules), MappingProxyType(first)), late, colours)


Won = Mapping[str, tuple[str, str | None]]  # property → (winning value, selector of its rule; None: inline)


def _cascade(
    rules: list[StyleRule], inline: Mapping[str, tuple[str, bool]]
) -> dict[str, tuple[str, str | None]]:
    """Winning value of each property, with the winning rule's selector (None: inline)."""
    best: dict[str, tuple[tuple[int, ...], str, str | None]] = {}
    for rule in rules:
        for prop, value, important in rule.decls:
            rank: tuple[int, ...] = (int(important), 0, *rule.rank)
            if prop not in best or rank > best[prop][0]:
                best[prop] = (rank, value, rule.selector)
    for prop, (value, important) in inline.items():
        rank = (int(important), 1)  # inline beats any selector of the same importance
        if prop not in best or rank > best[prop][0]:
            best[prop] = (rank, value, None)
    return {prop: (value, sel) for prop, (_, value, sel) in best.items()}


def _off_screen(won: Won) -> tuple[str, str | None] | None:
    """Why the box is off-screen or too small to show text, and the selector that said so."""

    def value(prop: str) -> str:
        return won[prop][0] if prop in won else ""

    positioned = value("position") in ("absolute", "fixed")
    for prop in ("text-indent", "margin-left", "margin-top", *(("left", "top") if positioned else ())):
        if _far_negative(value(prop)):
            return f"off-screen ({prop}:{value(prop)})", won[prop][1]
    if any(value(o) in ("hidden", "clip") for o in ("overflow", "overflow-x", "overflow-y")):
        padded = any(
            (px(value(p)) or 0) > 0 or "%" in value(p) for p in ("padding", "padding-top", "padding-bottom")
        )
        for prop in _SIZES:
            if _tiny(value(prop)) and not (padded and prop != "width"):  # height:0 + padding: an aspect box
                return f"zero size ({prop}:{value(prop)};overflow:hidden)", won[prop][1]
    return None


def _resets_font(size: str) -> bool:
    """A font size that undoes an ancestor's `font-size:0` (relative sizes such as 1em or 100% do not)."""
    if size in _FONT_KEYWORDS:
        return True
    length = px(size)
    relative = size.endswith("em") and not size.endswith("rem")
    return length is not None and length != 0 and not relative


def element_hiding(
    parent: Hiding, what: str, attrs: Mapping[str, str | None], rules: list[StyleRule]
) -> Hiding:
    """The hiding of an element's content; `what` names it for evidence (`div#beian`)."""
    style = parse_declarations(attrs.get("style") or "")
    won = _cascade(rules, style) if rules else {p: (v, None) for p, (v, _) in style.items()}

    def because(prop: str, value: str, sel: str | None = None) -> str:
        sel = sel or won[prop][1]
        return f"{prop}:{value} on {what}" + (f" (style rule {sel})" if sel else "")

    hard, vis, font0 = parent.hard, parent.vis, parent.font0
    if hard is None:
        if "hidden" in attrs:
            hard = f"hidden attribute on {what}"
        elif won.get("display", ("", None))[0] == "none":
            hard = because("display", "none")
        elif "opacity" in won and px(won["opacity"][0]) == 0:
            hard = because("opacity", "0")
        elif not won.keys().isdisjoint(_GEOMETRY) and (off := _off_screen(won)) is not None:
            hard = f"{off[0]} on {what}" + (f" (style rule {off[1]})" if off[1] else "")
    visibility = won.get("visibility", ("", None))[0]
    if visibility in ("hidden", "collapse"):
        vis = because("visibility", visibility)
    elif visibility == "visible":
        vis = None
    if "font-size" in won:
        size = won["font-size"][0]
        if px(size) == 0:
            font0 = because("font-size", "0")
        elif _resets_font(size):
            font0 = None  # a child that sets its own size undoes the parent's font-size:0 trick
    return Hiding(hard, vis, font0)
