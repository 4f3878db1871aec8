"""Static visibility of elements: `hidden`, inline styles and simple style rules that hide text; pure.

Only what the markup and the given style sheets say is judged, as a desktop browser would apply it;
selectors beyond tags, ids, classes, attribute tests and descendant chains are ignored (crawler.css). The hiding rules
are matched while the page is walked; colours and alignment are looked up per number afterwards
(crawler.computed_style), from the `late` part of `PageStyles`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from types import MappingProxyType

from crawler.css import (
    LATE_PROPS,
    OFF_SCREEN_PROPS,
    PAINT_PROPS,
    TRANSFORM_PROPS,
    ZERO_SIZE_PROPS,
    StyleRule,
    parse_declarations,
    px,
    sheet_rules,
)
from crawler.paint import (
    NEVER_SHOWN_TAGS,
    OPACITY_MIN,
    SCALE_MIN,
    faint,
    fraction,
    paint_hides,
    paint_hiding,
    tiny_font,
    tiny_frame,
    undecided_reason,
)
from rules.verdict import UNDECIDED

# Off-screen offsets. A page never scrolls above or left of its origin, nor sideways a screen's
# width, and a visitor does not scroll through a screen of blank to find a line:
# - OFF_SCREEN_PX: an offset this far (text-indent, margins, transforms, any side of a positioned
#   box) moves text out of any window, whatever it is measured from.
# - FIXED_OFF_SCREEN_PX: a fixed box is placed against the viewport, which does not scroll; pulled
#   100px past an edge (`bottom:-200px`), a footer line (20–60px tall) is wholly outside it. Small
#   negative offsets (a few to tens of px: badges, arrows, overlaps) are decoration and stay visible;
#   a box whose declared height (width, for left/right) exceeds the offset still shows a part.
# - ABSOLUTE_OFF_SCREEN_PX: an absolute box is placed against its nearest positioned ancestor, which
#   static analysis does not know; pulled 500px above or beside it, the text lands above the page or
#   beyond the side of a desktop layout (no legitimate design moves a line of text that far).
#   `bottom` only counts from OFF_SCREEN_PX: a box hanging below its container lengthens the page
#   and can be scrolled to.
OFF_SCREEN_PX = -999.0
FIXED_OFF_SCREEN_PX = -100.0
ABSOLUTE_OFF_SCREEN_PX = -500.0
ZERO_SIZE_PX = 1.0  # a box this small (with overflow hidden) shows no text: .sr-only is 1px
_OFFSETS = ("text-indent", "margin-left", "margin-top", "left", "top", "right", "bottom")
_SIDES = ("top", "left", "right", "bottom")
_SIDE_SIZE = {"top": "height", "bottom": "height", "left": "width", "right": "width"}
_POSITIONED_LIMITS = {
    "fixed": dict.fromkeys(_SIDES, FIXED_OFF_SCREEN_PX),
    "absolute": {**dict.fromkeys(_SIDES, ABSOLUTE_OFF_SCREEN_PX), "bottom": OFF_SCREEN_PX},
}
_SIZES = ("width", "height", "max-height", "max-width", "line-height")
_GEOMETRY = frozenset(_OFFSETS + _SIZES)
_TRANSFORM_FN = re.compile(r"([a-z0-9]+)\(([^()]*)\)")
_FONT_KEYWORDS = frozenset(
    {"xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large", "xxx-large"}
)

MATCH_MEMO_MAX = 4096  # elements (tag, id, class) remembered per style sheet

# The state of pending descendant chains, keyed like `StyleSheet.first`: (rule index, next compound).
Pending = Mapping[str, tuple[tuple[int, int], ...]]
NO_PENDING: Pending = MappingProxyType({})
LateIndex = Mapping[str, tuple[StyleRule, ...]]  # rules of one style text by the key of their last compound
# Where a LateIndex also files its inexact rules (no selector's key holds a space).
LOOSE_KEY = " loose"
LOOSELY = ": a selector static analysis cannot evaluate may do this"


@dataclass(frozen=True, slots=True)
class StyleSheet:
    """The simple hiding rules of a document's style sheets, indexed by the key of their first compound.

    `attr_names`: the attributes some compound is keyed by (`[data-role=x]` files under `[data-role`).
    """

    rules: tuple[StyleRule, ...]
    first: Mapping[str, tuple[int, ...]]
    attr_names: tuple[str, ...] = ()
    # `match` results for elements with no pending chain, by tag, id and class (the sheet serves every
    # page of a site, whose elements repeat them); not used when a rule tests attribute values.
    memo: dict[tuple[str, str | None, str | None], tuple[list[StyleRule], Pending]] = field(
        default_factory=dict, compare=False, repr=False
    )
    # Whether an element with only a class or id (tag, class, id) is left as it is (crawler.walk keeps
    # it here, for every page the sheet serves).
    inert: dict[tuple[str, str | None, str | None], bool] = field(
        default_factory=dict, compare=False, repr=False
    )
    memoised: bool = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        tests = bool(self.attr_names) or any(c.attrs for r in self.rules for c in r.compounds)
        object.__setattr__(self, "memoised", not tests)

    def match(
        self, tag: str, attrs: Mapping[str, str | None], pending: Pending
    ) -> tuple[list[StyleRule], Pending]:
        """Rules matching this element, and the pending chains its descendants inherit.

        The returned list is shared: callers must not change it."""
        # With pending chains, the memo still serves an element at which none of them can go on (its
        # tag is not where one goes on, nor is "*", and it has no id or class that could be).
        if not self.memoised or (
            pending and (tag in pending or "*" in pending or "class" in attrs or "id" in attrs)
        ):
            return self._match(tag, attrs, pending)
        key = (tag, attrs.get("id"), attrs.get("class"))
        found = self.memo.get(key)
        if found is None:
            if len(self.memo) >= MATCH_MEMO_MAX:
                self.memo.clear()
            found = self.memo[key] = self._match(tag, attrs, NO_PENDING)
        if not found[1]:
            return found[0], pending  # no chain starts here: the caller's own chains go on
        return found if not pending else self._match(tag, attrs, pending)  # new chains join the pending

    def plain(self, tag: str, attrs: Mapping[str, str | None], pending: Pending) -> bool:
        """`match` would give no rule and hand `pending` on as it is: no chain starts or goes on here
        (told from the memo, so False whenever the memo cannot serve the element)."""
        if not self.memoised or (
            pending and (tag in pending or "*" in pending or "class" in attrs or "id" in attrs)
        ):
            return False
        found = self.memo.get((tag, attrs.get("id"), attrs.get("class")))
        if found is None:
            found = self.match(tag, attrs, NO_PENDING)  # fills the memo
        return not found[0] and not found[1]

    def _match(
        self, tag: str, attrs: Mapping[str, str | None], pending: Pending
    ) -> tuple[list[StyleRule], Pending]:
        el_id = attrs.get("id")
        class_attr = attrs.get("class")
        names = class_attr.split() if class_attr else []
        keys = [tag, *(f".{c}" for c in names)] if names else [tag]
        if el_id:
            keys.append(f"#{el_id}")
        for name in self.attr_names:
            if name in attrs:
                keys.append(f"[{name}")
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
            if not rule.compounds[pos].matches(tag, el_id, classes, attrs):
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
    """Why text is hidden: `hard` cannot be undone below, `vis` and `font0` can (visibility, font-size);
    `unsure`: static analysis cannot tell whether it shows (`UNDECIDED` …), a browser must."""

    hard: str | None = None
    vis: str | None = None
    font0: str | None = None
    unsure: str | None = None
    alpha: float = 1.0  # the opacity the content is painted with: the elements' own, multiplied

    @property
    def reason(self) -> str | None:
        """The first reason that applies, or None when the text is visible."""
        return self.hard or self.vis or self.font0 or self.unsure


VISIBLE = Hiding()


def describe(tag: str, attrs: Mapping[str, str | None]) -> str:
    """`tag#id`, `tag.firstclass` or `tag`: how evidence names an element."""
    if el_id := attrs.get("id"):
        return f"{tag}#{el_id}"
    classes = (attrs.get("class") or "").split()
    return f"{tag}.{classes[0]}" if classes else tag


def _far_negative(value: str, limit: float = OFF_SCREEN_PX) -> bool:
    length = px(value)
    return length is not None and length <= limit


def _tiny(value: str) -> bool:
    length = px(value)
    return length is not None and length <= ZERO_SIZE_PX


_number = fraction


def _far(values: list[str]) -> bool:
    """Some length is at least OFF_SCREEN_PX away (either way): a translation out of any window."""
    lengths = [px(v.strip()) for v in values]
    return any(length is not None and abs(length) >= -OFF_SCREEN_PX for length in lengths)


def _collapsed(scales: list[str]) -> bool:
    return any((n := _number(v)) is not None and abs(n) < SCALE_MIN for v in scales)


def _matrix_hiding(args: list[str]) -> str | None:
    """A `matrix(a, b, c, d, e, f)` (or the same terms of a `matrix3d`) with no area, or a far translation."""
    if len(args) not in (6, 16):
        return None
    nums = [n for n in (_number(a) for a in args) if n is not None]
    if len(nums) < len(args):
        return None
    a, b, c, d, e, f = (nums[0], nums[1], nums[4], nums[5], nums[12], nums[13]) if len(nums) == 16 else nums
    if abs(a * d - b * c) < SCALE_MIN**2:
        return "scaled to nothing"
    if max(abs(e), abs(f)) >= -OFF_SCREEN_PX:
        return "off-screen"
    return None


def transform_hiding(prop: str, value: str) -> str | None:
    """Why a `transform` (or `translate`, `scale`) value hides its box: scaled to nothing (`scale(0)`,
    `scaleX(0)`, a matrix with no area) or moved far off-screen (`translateX(-9999px)`); None otherwise."""
    if prop == "scale":
        return "scaled to nothing" if _collapsed(value.split()[:2]) else None
    if prop == "translate":
        return "off-screen" if _far(value.split()[:2]) else None
    for name, raw in _TRANSFORM_FN.findall(value):
        args = raw.replace(",", " ").split()
        if name in ("scale", "scalex", "scaley") and _collapsed(args[:2]):
            return "scaled to nothing"
        if name == "scale3d" and _collapsed(args[:2]):
            return "scaled to nothing"
        if name in ("translate", "translatex", "translatey", "translate3d") and _far(args[:2]):
            return "off-screen"
        if name in ("matrix", "matrix3d") and (why := _matrix_hiding(args)):
            return why
    return None


def _hiding_decls(
    rule: StyleRule, opacity: bool, font_size: bool, transform: bool, paint: frozenset[str]
) -> tuple[tuple[str, str, bool], ...]:
    """The declarations of a rule the walk needs. Off-screen and zero-size declarations only come
    from rules that themselves move text away or shrink a box: a page's thousands of width, margin
    and position declarations would otherwise be matched on every element for nothing. Opacity,
    font-size and transform declarations are kept from every rule once some rule hides with them
    (`.tip{transform:scale(0)} .tip.on{transform:none}` must cascade); so are the `paint` properties
    (filters, clips, masks, direction, …) some rule hides with (crawler.paint.paint_hides)."""
    decls = rule.decls
    clip = any(p == "clip" for p, _, _ in decls)
    off = any(p in _OFFSETS and _far_negative(v, FIXED_OFF_SCREEN_PX) for p, v, _ in decls)
    zero = any(p in _SIZES and _tiny(v) for p, v, _ in decls)
    return tuple(
        (p, v, imp)
        for p, v, imp in decls
        if p in ("display", "visibility")
        or (p == "opacity" and opacity)
        or (p == "font-size" and font_size)
        or (p in TRANSFORM_PROPS and transform)
        or p in paint
        or (clip and p == "position" and "clip" in paint)
        or (off and (p in OFF_SCREEN_PROPS or p in ("width", "height")))
        or (zero and p in ZERO_SIZE_PROPS)
    )


def _hides(rule: StyleRule) -> bool:
    for p, v, _ in rule.decls:
        if (p == "display" and v == "none") or (p == "visibility" and v in ("hidden", "collapse")):
            return True
        if (p == "opacity" and _translucent(v)) or (p == "font-size" and tiny_font(v)):
            return True
        if p in PAINT_PROPS and paint_hides(p, v):
            return True
        if p in TRANSFORM_PROPS and transform_hiding(p, v):
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
            late = StyleRule(rule.compounds, rule.rank, decls, rule.selector, rule.exact)
            by_key.setdefault(rule.compounds[-1].key, []).append(late)
            if not rule.exact:
                by_key.setdefault(LOOSE_KEY, []).append(late)
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
    opacity = any(p == "opacity" and _translucent(v) for r in every for p, v, _ in r.decls)
    font_size = font_size or any(p == "font-size" and tiny_font(v) for r in every for p, v, _ in r.decls)
    transform = any(p in TRANSFORM_PROPS and transform_hiding(p, v) for r in every for p, v, _ in r.decls)
    paint = frozenset(p for r in every for p, v, _ in r.decls if p in PAINT_PROPS and paint_hides(p, v))
    rules: list[StyleRule] = []
    for rule in every:
        decls = _hiding_decls(rule, opacity, font_size, transform, paint)
        if decls:
            rank = (*rule.rank[:3], len(rules))
            rules.append(StyleRule(rule.compounds, rank, decls, rule.selector, rule.exact))
    late = tuple(_late_index(css) for css in css_texts)
    colours = any(
        p in ("color", "-webkit-text-fill-color")
        for index in late
        for rules_ in index.values()
        for r in rules_
        for p, _, _ in r.decls
    )
    if not rules or not (font_size or any(_hides(r) for r in rules)):
        return PageStyles(None, late, colours)  # rules that only show things change nothing on their own
    first: dict[str, tuple[int, ...]] = {}
    for i, rule in enumerate(rules):
        key = rule.compounds[0].key
        first[key] = (*first.get(key, ()), i)
    attr_names = {c.key[1:]: None for r in rules for c in r.compounds if c.key[0] == "["}
    return PageStyles(StyleSheet(tuple(rules), MappingProxyType(first), tuple(attr_names)), late, colours)


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

    for prop in ("text-indent", "margin-left", "margin-top"):
        if _far_negative(value(prop)):
            return f"off-screen ({prop}:{value(prop)})", won[prop][1]
    limits = _POSITIONED_LIMITS.get(value("position"))
    if limits is not None:
        for prop, limit in limits.items():
            size = px(value(_SIDE_SIZE[prop])) or 0.0
            if _far_negative(value(prop), min(limit, -size)):
                return f"off-screen ({prop}:{value(prop)})", won[prop][1]
    if any(value(o) in ("hidden", "clip") for o in ("overflow", "overflow-x", "overflow-y")):
        padded = any(
            (px(value(p)) or 0) > 0 or "%" in value(p) for p in ("padding", "padding-top", "padding-bottom")
        )
        for prop in _SIZES:
            if prop == "line-height" and value(prop)[-1:].isdigit() and px(value(prop)) != 0:
                continue  # a unitless line height is a multiple of the font size (`line-height:1`)
            if _tiny(value(prop)) and not (padded and prop != "width"):  # height:0 + padding: an aspect box
                return f"zero size ({prop}:{value(prop)};overflow:hidden)", won[prop][1]
    return None


def _transformed(won: Won) -> tuple[str, str | None] | None:
    """Why the box's transform hides it (`transform:scale(0) …`), and the selector that said so."""
    for prop in ("transform", "translate", "scale"):
        if prop in won and (why := transform_hiding(prop, won[prop][0])):
            return f"{prop}:{won[prop][0]} ({why})", won[prop][1]
    return None


def _resets_font(size: str) -> bool:
    """A font size that undoes an ancestor's `font-size:0` (relative sizes such as 1em or 100% do not)."""
    if size in _FONT_KEYWORDS:
        return True
    length = px(size)
    relative = size.endswith("em") and not size.endswith("rem")
    return length is not None and not tiny_font(size) and not relative


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
        elif "opacity" in won and faint(won["opacity"][0]):
            hard = because("opacity", won["opacity"][0])
        elif "opacity" in won and (alpha := parent.alpha * _opacity(won["opacity"][0])) < OPACITY_MIN:
            hard = because("opacity", f"{won['opacity'][0]} (inside others: {alpha:.2f} in all)")
        elif not won.keys().isdisjoint(PAINT_PROPS) and (painted := paint_hiding(won))[0] is not None:
            hard = f"{painted[0]} on {what}"
        elif not won.keys().isdisjoint(_GEOMETRY) and (off := _off_screen(won)) is not None:
            hard = f"{off[0]} on {what}" + (f" (style rule {off[1]})" if off[1] else "")
        elif not won.keys().isdisjoint(TRANSFORM_PROPS) and (moved := _transformed(won)) is not None:
            hard = f"{moved[0]} on {what}" + (f" (style rule {moved[1]})" if moved[1] else "")
    visibility = won.get("visibility", ("", None))[0]
    if visibility in ("hidden", "collapse"):
        vis = because("visibility", visibility)
    elif visibility == "visible":
        vis = None
    if "font-size" in won:
        size = won["font-size"][0]
        if tiny_font(size):
            font0 = because("font-size", size)
        elif _resets_font(size):
            font0 = None  # a child that sets its own size undoes the parent's font-size:0 trick
    unsure = parent.unsure
    if unsure is None and hard is None and (why := undecided_reason(what, attrs, won)) is not None:
        unsure = f"{UNDECIDED}{why} on {what}"
    alpha = parent.alpha * _opacity(won["opacity"][0]) if "opacity" in won else parent.alpha
    return Hiding(hard, vis, font0, unsure, alpha)


_TRANSLUCENT_MAX: float = OPACITY_MIN**0.5


def _opacity(value: str) -> float:
    amount = fraction(value)
    return 1.0 if amount is None else min(1.0, max(0.0, amount))


def _translucent(value: str) -> bool:
    """An opacity that, inside one other such, paints text under OPACITY_MIN (below √0.1). Rules are
    read for opacity once one says so: a sheet of `.btn{opacity:.8}` alone hides nothing and is not
    matched on every element (inline opacities always multiply)."""
    return _opacity(value) < _TRANSLUCENT_MAX


def _exact_hiding(
    parent: Hiding, what: str, attrs: Mapping[str, str | None], rules: list[StyleRule]
) -> Hiding:
    """`element_hiding` by the exact rules; where a rule read loosely (crawler.selectors) would hide
    the content besides, it is undecided: the rule may or may not apply, a browser tells."""
    if all(r.exact for r in rules):
        return element_hiding(parent, what, attrs, rules)
    exact = element_hiding(parent, what, attrs, [r for r in rules if r.exact])
    if exact.hard is not None or exact.unsure is not None:
        return exact
    loose = element_hiding(parent, what, attrs, rules)
    why = next(
        (
            new
            for new, old in zip(
                (loose.hard, loose.vis, loose.font0, loose.unsure),
                (exact.hard, exact.vis, exact.font0, exact.unsure),
                strict=True,
            )
            if new is not None and old is None
        ),
        None,
    )
    if why is None:
        return exact
    return replace(exact, unsure=f"{UNDECIDED}{why.removeprefix(UNDECIDED)}{LOOSELY}")


def enter_hiding(
    sheet: StyleSheet | None, tag: str, attrs: Mapping[str, str | None], hiding: Hiding, pending: Pending
) -> tuple[Hiding, Pending]:
    """The hiding an element hands to its content and the pending chains its descendants inherit,
    given its parent's: its style rules, `hidden`, inline style and a closed <dialog>."""
    rules: list[StyleRule] = []
    if sheet is not None:
        rules, pending = sheet.match(tag, attrs, pending)
    if rules or "hidden" in attrs or "style" in attrs or "dir" in attrs or tag == "bdo":
        hiding = _exact_hiding(hiding, describe(tag, attrs), attrs, rules)
    if hiding.hard is None:
        if tag == "dialog" and "open" not in attrs:
            hiding = replace(hiding, hard="closed <dialog>")
        elif tag in NEVER_SHOWN_TAGS:
            hiding = replace(hiding, hard=NEVER_SHOWN_TAGS[tag])
        elif tag == "iframe" and (small := tiny_frame(attrs, parse_declarations(attrs.get("style") or ""))):
            hiding = replace(hiding, hard=small)
    return hiding, pending


# Tags `enter_hiding` may hide whatever their attributes (crawler.walk must not skip them).
HIDING_TAGS = frozenset({"dialog", "bdo", "iframe", *NEVER_SHOWN_TAGS})
