"""Static visibility of elements: `hidden`, inline styles and simple <style> rules that hide text; pure.

Only what the markup itself says is judged, as a desktop browser would apply it: external style
sheets are not fetched, and selectors beyond tags, ids, classes and descendant chains are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

DESKTOP_WIDTH_PX = 1366  # the viewport `@media (min-width/max-width)` queries are judged against
OFF_SCREEN_PX = -999.0  # an offset at or beyond this moves text out of any window

# The state of pending descendant chains, keyed like `StyleSheet.first`: (rule index, next compound).
Pending = Mapping[str, tuple[tuple[int, int], ...]]
NO_PENDING: Pending = MappingProxyType({})

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_BRACE = re.compile(r"[{}]")
_COMPOUND = re.compile(r"(?P<tag>[a-zA-Z][a-zA-Z0-9-]*)?(?P<rest>(?:[.#][-\w]+)*)")
_SIMPLE = re.compile(r"[.#][-\w]+")
_FEATURE = re.compile(r"\(([^()]*)\)")
_WIDTH = re.compile(r"(min|max)-(?:device-)?width\s*:\s*([\d.]+)\s*(px|em|rem)?")
_LENGTH = re.compile(r"(-?\d*\.?\d+)\s*(px|em|rem|pt)?")
_SHEET_PROPS = frozenset({"display", "visibility"})
_SHEET_PROPS_FONT = _SHEET_PROPS | {"font-size"}
_BLOCK_AT_RULES = ("@media", "@supports", "@layer")


@dataclass(frozen=True, slots=True)
class Compound:
    """One compound selector such as `div#f.a.b`; `key` is what `StyleSheet` indexes it by."""

    tag: str | None
    id: str | None
    classes: frozenset[str]
    key: str

    def matches(self, tag: str, el_id: str | None, classes: frozenset[str]) -> bool:
        """True when an element with this tag, id and classes matches the compound."""
        return (
            (self.tag is None or self.tag == tag)
            and (self.id is None or self.id == el_id)
            and self.classes <= classes
        )


@dataclass(frozen=True, slots=True)
class StyleRule:
    """A rule with a simple selector and the declarations that matter for visibility."""

    compounds: tuple[Compound, ...]
    rank: tuple[int, int, int, int]  # specificity (ids, classes, tags), then source order
    decls: tuple[tuple[str, str, bool], ...]  # (property, lower-case value, !important)
    selector: str


@dataclass(frozen=True, slots=True)
class StyleSheet:
    """The simple rules of a page's <style> blocks, indexed by the key of their first compound."""

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
        states: list[tuple[int, int]] = []
        for key in keys:
            if key in first:
                states.extend((r, 0) for r in first[key])
            if pending and key in pending:
                states.extend(pending[key])
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
            if added is None:
                added = dict(pending)
            if (index, pos + 1) not in added.get(key, ()):
                added[key] = (*added.get(key, ()), (index, pos + 1))
        return matched, (pending if added is None else added)


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


def parse_declarations(text: str, props: frozenset[str] | None = None) -> dict[str, tuple[str, bool]]:
    """`prop: value` pairs of a declaration block, lower-cased; the last one of a property wins."""
    out: dict[str, tuple[str, bool]] = {}
    for decl in text.split(";"):
        prop, sep, value = decl.partition(":")
        prop = prop.strip().lower()
        if not sep or (props is not None and prop not in props):
            continue
        value = value.strip().lower()
        important = value.endswith("!important")
        if important:
            value = value[: -len("!important")].rstrip()
        if important or not out.get(prop, ("", False))[1]:
            out[prop] = (value, important)
    return out


def _media_applies(query: str) -> bool:
    for alternative in query.lower().split(","):
        words = _FEATURE.sub(" ", alternative).replace(" and ", " ").split()
        if any(w not in ("only", "all", "screen", "and") for w in words):
            continue  # print, speech, `not …`: not a desktop screen
        if all(_feature_applies(f) for f in _FEATURE.findall(alternative)):
            return True
    return not query.strip()


def _feature_applies(feature: str) -> bool:
    width = _WIDTH.fullmatch(feature.strip())
    if width is None:
        return feature.replace(" ", "") in ("orientation:landscape", "hover:hover", "pointer:fine")
    px = float(width[2]) * (16 if width[3] in ("em", "rem") else 1)
    return px <= DESKTOP_WIDTH_PX if width[1] == "min" else px >= DESKTOP_WIDTH_PX


def _blocks(css: str) -> Iterator[tuple[str, str]]:
    depth, start, body = 0, 0, 0
    prelude = ""
    for m in _BRACE.finditer(css):
        if m.group() == "{":
            if depth == 0:
                prelude, body = css[start : m.start()].rsplit(";", 1)[-1].strip(), m.end()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                yield prelude, css[body : m.start()]
                start = m.end()
        else:
            start = m.end()


def _compound(text: str) -> Compound | None:
    m = _COMPOUND.fullmatch(text)
    if m is None or not text:
        return None
    tag = m["tag"].lower() if m["tag"] else None
    parts = _SIMPLE.findall(m["rest"])
    ids = [p[1:] for p in parts if p[0] == "#"]
    classes = frozenset(p[1:] for p in parts if p[0] == ".")
    if len(ids) > 1:
        return None
    el_id = ids[0] if ids else None
    key = f"#{el_id}" if el_id else f".{min(classes)}" if classes else tag or ""
    return Compound(tag, el_id, classes, key)


def _rules(prelude: str, body: str, order: int, props: frozenset[str]) -> Iterator[StyleRule]:
    decls = parse_declarations(body, props)
    if not decls:
        return
    flat = tuple((p, v, imp) for p, (v, imp) in decls.items())
    for selector in prelude.split(","):
        parts = [_compound(p) for p in selector.split()]
        if not parts or any(p is None for p in parts):
            continue  # empty, or beyond tag/#id/.class and descendant chains
        chain = tuple(p for p in parts if p is not None)
        ids = sum(c.id is not None for c in chain)
        classes = sum(len(c.classes) for c in chain)
        tags = sum(c.tag is not None for c in chain)
        yield StyleRule(chain, (ids, classes, tags, order), flat, selector.strip())


def _collect(css: str, out: list[StyleRule], props: frozenset[str], depth: int = 0) -> None:
    for prelude, body in _blocks(css):
        if prelude.startswith("@"):
            name, _, query = prelude.partition(" ")
            nested = name.lower() in _BLOCK_AT_RULES and depth < 4
            if nested and (name.lower() != "@media" or _media_applies(query)):
                _collect(body, out, props, depth + 1)
        elif any(p in body for p in props):
            out.extend(_rules(prelude, body, len(out), props))


@lru_cache(maxsize=32)
def parse_stylesheet(css_texts: tuple[str, ...], *, font_size: bool = False) -> StyleSheet | None:
    """The simple visibility rules of the page's <style> texts, or None when there are none.

    `font_size` also keeps rules that set a font size: they matter only below an inline
    `font-size:0`, and keeping them on every page would slow matching down for nothing.
    Memoised: the pages of one site repeat the same <style> blocks, and the result is immutable.
    """
    props = _SHEET_PROPS_FONT if font_size else _SHEET_PROPS
    rules: list[StyleRule] = []
    for css in css_texts:
        _collect(_COMMENT.sub("", css), rules, props)
    hides = any(v in ("none", "hidden", "collapse") for r in rules for _, v, _ in r.decls)
    if not rules or not (hides or font_size):
        return None  # rules that only show things change nothing on their own
    first: dict[str, tuple[int, ...]] = {}
    for i, rule in enumerate(rules):
        key = rule.compounds[0].key
        first[key] = (*first.get(key, ()), i)
    return StyleSheet(tuple(rules), MappingProxyType(first))


def media_applies(media: str | None) -> bool:
    """True when a `media` attribute (None or empty: all media) applies to a desktop screen."""
    return media is None or _media_applies(media)


def _px(value: str) -> float | None:
    m = _LENGTH.fullmatch(value)
    if m is None:
        return None
    return float(m[1]) * {"em": 16.0, "rem": 16.0, "pt": 4 / 3}.get(m[2] or "px", 1.0)


def _off_screen(style: Mapping[str, tuple[str, bool]]) -> str | None:
    def px(prop: str) -> float | None:
        return _px(style[prop][0]) if prop in style else None

    positioned = style.get("position", ("", False))[0] in ("absolute", "fixed")
    for prop in ("text-indent", "margin-left", "margin-top", *(("left", "top") if positioned else ())):
        value = px(prop)
        if value is not None and value <= OFF_SCREEN_PX:
            return f"off-screen ({prop}:{style[prop][0]})"
    if style.get("overflow", ("", False))[0] in ("hidden", "clip"):
        for prop in ("width", "height", "max-height"):
            value = px(prop)
            if value is not None and value <= 1:
                return f"zero size ({prop}:{style[prop][0]};overflow:hidden)"
    return None


def _cascade(
    rules: list[StyleRule], inline: Mapping[str, tuple[str, bool]]
) -> dict[str, tuple[str, str | None]]:
    """Winning value of each visibility property, with the winning rule's selector (None: inline)."""
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


def element_hiding(
    parent: Hiding, what: str, attrs: Mapping[str, str | None], rules: list[StyleRule]
) -> Hiding:
    """The hiding of an element's content; `what` names it for evidence (`div#beian`)."""
    style = parse_declarations(attrs.get("style") or "")
    won = _cascade(rules, style) if rules else {p: (v, None) for p, (v, _) in style.items()}

    def because(prop: str, value: str) -> str:
        sel = won[prop][1]
        return f"{prop}:{value} on {what}" + (f" (style rule {sel})" if sel else "")

    hard, vis, font0 = parent.hard, parent.vis, parent.font0
    if hard is None:
        if "hidden" in attrs:
            hard = f"hidden attribute on {what}"
        elif won.get("display", ("", None))[0] == "none":
            hard = because("display", "none")
        elif _px(style.get("opacity", ("1", False))[0]) == 0:
            hard = f"opacity:0 on {what}"
        elif (off := _off_screen(style)) is not None:
            hard = f"{off} on {what}"
    visibility = won.get("visibility", ("", None))[0]
    if visibility in ("hidden", "collapse"):
        vis = because("visibility", visibility)
    elif visibility == "visible":
        vis = None
    size = won.get("font-size", ("inherit", None))[0]
    if _px(size) == 0 and "font-size" in style:
        font0 = f"font-size:0 on {what}"
    elif size not in ("inherit", "unset", "revert") and _px(size) != 0:
        font0 = None  # a child that sets its own size undoes the parent's font-size:0 trick
    return Hiding(hard, vis, font0)
