"""CSS as static extraction reads it: simple rules, declarations, desktop @media, lengths and colours; pure.

Selectors are read by crawler.selectors: a rule whose selector is read as a superset of what it selects
(`>`, `+`, `:not()`, …) is marked inexact, and may only leave text undecided; `:hover`, `::before` and
the like never apply to text at rest and are skipped.
One style text is parsed once (memoised): the pages of a site share their style sheets.
"""

from __future__ import annotations

import colorsys
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from crawler.selectors import Compound, chain, split_list

DESKTOP_WIDTH_PX = 1366  # the viewport `@media (min-width/max-width)` queries are judged against

# Properties a page's rules are read for; every other declaration is dropped while parsing.
HIDING_PROPS = frozenset({"display", "visibility", "opacity", "font-size"})
# Read from every rule: few pages set them, and each can hide text or show it reordered.
MASK_PROPS = ("mask", "mask-image", "-webkit-mask", "-webkit-mask-image")
PAINT_PROPS = frozenset(
    {
        "filter",
        "clip-path",
        "clip",
        "direction",
        "unicode-bidi",
        "content-visibility",
        "letter-spacing",
        *MASK_PROPS,
    }
)
OFF_SCREEN_PROPS = frozenset(
    {"position", "left", "top", "right", "bottom", "text-indent", "margin-left", "margin-top"}
)
TRANSFORM_PROPS = frozenset({"transform", "translate", "scale"})  # a box scaled to nothing or moved far away
ZERO_SIZE_PROPS = frozenset(
    {
        "width",
        "height",
        "max-height",
        "max-width",
        "line-height",
        "overflow",
        "overflow-x",
        "overflow-y",
        "padding",
        "padding-top",
        "padding-bottom",
    }
)
# Read per number, on demand (computed_style): colours and horizontal alignment.
LATE_PROPS = frozenset(
    {
        "color", "background", "background-color", "background-image", "background-clip",
        "-webkit-background-clip", "text-align", "display", "justify-content", "align-items",
        "flex-direction", "flex-flow", "-webkit-text-fill-color",
    }
)  # fmt: skip
ALL_PROPS = HIDING_PROPS | PAINT_PROPS | OFF_SCREEN_PROPS | TRANSFORM_PROPS | ZERO_SIZE_PROPS | LATE_PROPS

_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(.))", re.S)
_BRACE = re.compile(r"[{}]")
_FEATURE = re.compile(r"\(([^()]*)\)")
_WIDTH = re.compile(r"(min|max)-(?:device-)?width\s*:\s*([\d.]+)\s*(px|em|rem)?")
_LENGTH = re.compile(r"(-?\d*\.?\d+)\s*(px|em|rem|pt)?")
# One @import statement: its URL (in url(), quoted or bare) and its media list, up to its `;`.
_IMPORT = re.compile(
    r"""@import\s*(?:url\(\s*(?:"(?P<u1>[^"]*)"|'(?P<u2>[^']*)'|(?P<u3>[^)\s]*))\s*\)"""
    r"""|"(?P<u4>[^"]*)"|'(?P<u5>[^']*)'|\s(?P<u6>[^"')\s;]+))(?P<media>[^;]*);""",
    re.I | re.S,
)
# Where statements end: a `;` outside strings and url() (a data: URL holds `;base64`). Each token,
# once begun, matches (an unclosed one runs to the end), so the scan never restarts: linear.
_STATEMENT_TOKEN = re.compile(r"""@import|;|"[^"]*(?:"|\Z)|'[^']*(?:'|\Z)|url\([^)]*(?:\)|\Z)""", re.I)
_IMPORT_ANY_CASE = re.compile(r"@import", re.I)
_BLOCK_AT_RULES = ("@media", "@supports", "@layer")


@dataclass(frozen=True, slots=True)
class StyleRule:
    """A rule with a simple selector and the declarations extraction reads."""

    compounds: tuple[Compound, ...]
    rank: tuple[int, int, int, int]  # specificity (ids, classes, tags), then source order
    decls: tuple[tuple[str, str, bool], ...]  # (property, lower-case value, !important)
    selector: str
    exact: bool = True  # False: the selector is read as a superset (crawler.selectors)


def strip_comments(css: str, replace: str = "") -> str:
    """The text without its `/* … */` comments; an unclosed one runs to the end (as CSS reads it).
    One forward pass: each comment's end is looked for once, from its start."""
    if "/*" not in css:
        return css
    parts: list[str] = []
    pos = 0
    while (start := css.find("/*", pos)) >= 0:
        parts.append(css[pos:start])
        parts.append(replace)
        end = css.find("*/", start + 2)
        if end < 0:
            return "".join(parts)
        pos = end + 2
    parts.append(css[pos:])
    return "".join(parts)


def _unescape_one(m: re.Match[str]) -> str:
    if m[1] is None:
        return "" if m[2] == "\n" else m[2]  # an escaped newline continues the line
    code = int(m[1], 16)
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"


def unescape(text: str) -> str:
    """CSS escapes read as the characters they stand for: `dis\\play` is `display`, `\\6e one` is `none`."""
    return _ESCAPE.sub(_unescape_one, text) if "\\" in text else text


def parse_declarations(text: str, props: frozenset[str] | None = None) -> dict[str, tuple[str, bool]]:
    """`prop: value` pairs of a declaration block, lower-cased; the last one of a property wins.

    Comments separate tokens and escapes stand for their characters, as a browser reads them
    (`display:/**/none` and `dis\\play:n\\one` hide)."""
    out: dict[str, tuple[str, bool]] = {}
    if "/*" in text:
        text = strip_comments(text, " ")
    if "\\" in text:
        text = unescape(text)
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


def media_applies(media: str | None) -> bool:
    """True when a `media` attribute or @import/@media query (None or empty: all) applies to a desktop screen."""
    return media is None or _media_applies(media)


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


def _rules(prelude: str, body: str, order: int) -> Iterator[StyleRule]:
    decls = parse_declarations(body, ALL_PROPS)
    if not decls:
        return
    flat = tuple((p, v, imp) for p, (v, imp) in decls.items())
    for selector in split_list(prelude):
        read = chain(selector)
        if read is not None:
            rank = (*read.specificity, order)
            yield StyleRule(read.compounds, rank, flat, selector.strip(), read.exact)


def _collect(css: str, out: list[StyleRule], depth: int = 0) -> None:
    for prelude, body in _blocks(css):
        if prelude.startswith("@"):
            name, _, query = prelude.partition(" ")
            nested = name.lower() in _BLOCK_AT_RULES and depth < 4
            if nested and (name.lower() != "@media" or _media_applies(query)):
                _collect(body, out, depth + 1)
        elif ":" in body:
            out.extend(_rules(prelude, body, len(out)))


@lru_cache(maxsize=128)
def sheet_rules(css: str) -> tuple[StyleRule, ...]:
    """The simple rules of one style text that apply on a desktop screen, in source order (memoised)."""
    out: list[StyleRule] = []
    _collect(strip_comments(css), out)
    return tuple(out)


@lru_cache(maxsize=128)
def imports(css: str) -> tuple[tuple[str, str], ...]:
    """The `@import`ed URLs of a style text with their media queries, as written (unresolved)."""
    if "@import" not in css and _IMPORT_ANY_CASE.search(css) is None:
        return ()
    css = strip_comments(css)
    out: list[tuple[str, str]] = []
    start: int | None = None
    # One statement at a time, to its `;`: every character is looked at once (a pattern run from
    # each `@import` to a far `;` rescans the text after it for every one).
    for token in _STATEMENT_TOKEN.finditer(css):
        text = token.group()
        if text[0] == "@" and start is None:
            start = token.start()
        elif text == ";" and start is not None:
            if m := _IMPORT.fullmatch(css, start, token.end()):
                url = next(u for u in m.group("u1", "u2", "u3", "u4", "u5", "u6") if u is not None)
                out.append((url.strip(), m["media"].strip()))
            start = None
    return tuple(out)


def px(value: str) -> float | None:
    """A CSS length in px (em and rem at 16px), or None when it is not a plain length."""
    m = _LENGTH.fullmatch(value)
    if m is None:
        return None
    return float(m[1]) * {"em": 16.0, "rem": 16.0, "pt": 4 / 3}.get(m[2] or "px", 1.0)


# ---------------------------------------------------------------- colours

TRANSPARENT = "transparent"
TRANSLUCENT_MAX = 0.1  # a colour's alpha under this is taken as transparent (crawler.paint.OPACITY_MIN)
_NAMED_TEXT = (
    "aliceblue f0f8ff antiquewhite faebd7 aqua 00ffff aquamarine 7fffd4 azure f0ffff beige f5f5dc "
    "bisque ffe4c4 black 000000 blanchedalmond ffebcd blue 0000ff blueviolet 8a2be2 brown a52a2a "
    "burlywood deb887 cadetblue 5f9ea0 chartreuse 7fff00 chocolate d2691e coral ff7f50 "
    "cornflowerblue 6495ed cornsilk fff8dc crimson dc143c cyan 00ffff darkblue 00008b darkcyan 008b8b "
    "darkgoldenrod b8860b darkgray a9a9a9 darkgreen 006400 darkgrey a9a9a9 darkkhaki bdb76b "
    "darkmagenta 8b008b darkolivegreen 556b2f darkorange ff8c00 darkorchid 9932cc darkred 8b0000 "
    "darksalmon e9967a darkseagreen 8fbc8f darkslateblue 483d8b darkslategray 2f4f4f darkslategrey "
    "2f4f4f darkturquoise 00ced1 darkviolet 9400d3 deeppink ff1493 deepskyblue 00bfff dimgray 696969 "
    "dimgrey 696969 dodgerblue 1e90ff firebrick b22222 floralwhite fffaf0 forestgreen 228b22 "
    "fuchsia ff00ff gainsboro dcdcdc ghostwhite f8f8ff gold ffd700 goldenrod daa520 gray 808080 "
    "green 008000 greenyellow adff2f grey 808080 honeydew f0fff0 hotpink ff69b4 indianred cd5c5c "
    "indigo 4b0082 ivory fffff0 khaki f0e68c lavender e6e6fa lavenderblush fff0f5 lawngreen 7cfc00 "
    "lemonchiffon fffacd lightblue add8e6 lightcoral f08080 lightcyan e0ffff lightgoldenrodyellow "
    "fafad2 lightgray d3d3d3 lightgreen 90ee90 lightgrey d3d3d3 lightpink ffb6c1 lightsalmon ffa07a "
    "lightseagreen 20b2aa lightskyblue 87cefa lightslategray 778899 lightslategrey 778899 "
    "lightsteelblue b0c4de lightyellow ffffe0 lime 00ff00 limegreen 32cd32 linen faf0e6 magenta "
    "ff00ff maroon 800000 mediumaquamarine 66cdaa mediumblue 0000cd mediumorchid ba55d3 "
    "mediumpurple 9370db mediumseagreen 3cb371 mediumslateblue 7b68ee mediumspringgreen 00fa9a "
    "mediumturquoise 48d1cc mediumvioletred c71585 midnightblue 191970 mintcream f5fffa mistyrose "
    "ffe4e1 moccasin ffe4b5 navajowhite ffdead navy 000080 oldlace fdf5e6 olive 808000 olivedrab "
    "6b8e23 orange ffa500 orangered ff4500 orchid da70d6 palegoldenrod eee8aa palegreen 98fb98 "
    "paleturquoise afeeee palevioletred db7093 papayawhip ffefd5 peachpuff ffdab9 peru cd853f pink "
    "ffc0cb plum dda0dd powderblue b0e0e6 purple 800080 rebeccapurple 663399 red ff0000 rosybrown "
    "bc8f8f royalblue 4169e1 saddlebrown 8b4513 salmon fa8072 sandybrown f4a460 seagreen 2e8b57 "
    "seashell fff5ee sienna a0522d silver c0c0c0 skyblue 87ceeb slateblue 6a5acd slategray 708090 "
    "slategrey 708090 snow fffafa springgreen 00ff7f steelblue 4682b4 tan d2b48c teal 008080 "
    "thistle d8bfd8 tomato ff6347 turquoise 40e0d0 violet ee82ee wheat f5deb3 white ffffff "
    "whitesmoke f5f5f5 yellow ffff00 yellowgreen 9acd32"
)
_NAMED = _NAMED_TEXT.split()
NAMED_COLOURS: Mapping[str, str] = MappingProxyType(
    dict(zip(_NAMED[::2], ("#" + h for h in _NAMED[1::2]), strict=True))
)
_HEX = re.compile(r"#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})")
_FUNC = re.compile(r"(rgba?|hsla?)\(\s*([^)]*)\)")
_IMAGE = ("url(", "gradient(", "image-set(", "image(", "element(")


def _channel(text: str, scale: float) -> float | None:
    try:
        return float(text[:-1]) * scale / 100 if text.endswith("%") else float(text)
    except ValueError:
        return None


def _alpha(text: str | None) -> float | None:
    if text is None:
        return 1.0
    return _channel(text, 1.0)


def _function_colour(name: str, args: str) -> str | None:
    parts = args.replace(",", " ").replace("/", " ").split()
    if len(parts) not in (3, 4):
        return None
    alpha = _alpha(parts[3] if len(parts) == 4 else None)
    if alpha is None:
        return None
    if alpha < TRANSLUCENT_MAX:
        return TRANSPARENT  # as good as transparent: text in it is not read
    if alpha < 1:
        return None  # blended with whatever is behind: cannot be compared
    if name.startswith("rgb"):
        values = [_channel(p, 255.0) for p in parts[:3]]
    else:
        hue = _channel(parts[0].removesuffix("deg"), 1.0)
        sat, light = _channel(parts[1], 100.0), _channel(parts[2], 100.0)  # percentages: 0..100
        if hue is None or sat is None or light is None:
            return None
        r, g, b = colorsys.hls_to_rgb(hue / 360 % 1, light / 100, sat / 100)
        values = [r * 255, g * 255, b * 255]
    if any(v is None for v in values):
        return None
    return "#" + "".join(f"{round(min(255.0, max(0.0, v))):02x}" for v in values if v is not None)


def colour(value: str) -> str | None:
    """A colour as `#rrggbb` or `transparent`; None when it is not a plain opaque colour (or unknown)."""
    value = value.strip().lower()
    if value in NAMED_COLOURS:
        return NAMED_COLOURS[value]
    if value == TRANSPARENT:
        return TRANSPARENT
    if m := _HEX.fullmatch(value):
        digits = m[1]
        if len(digits) <= 4:
            digits = "".join(c * 2 for c in digits)
        if len(digits) == 8:
            alpha, digits = digits[6:], digits[:6]
            if int(alpha, 16) / 255 < TRANSLUCENT_MAX:
                return TRANSPARENT
            if alpha != "ff":
                return None
        return "#" + digits
    if m := _FUNC.fullmatch(value):
        return _function_colour(m[1], m[2])
    return None


def _luminance(rgb: str) -> float:
    def channel(hex2: str) -> float:
        v = int(hex2, 16) / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(rgb[1:3]) + 0.7152 * channel(rgb[3:5]) + 0.0722 * channel(rgb[5:7])


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two `#rrggbb` colours: 1 (the same) to 21 (black on white)."""
    la, lb = _luminance(a), _luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def background_colour(value: str) -> str | None:
    """The colour a `background`/`background-color` value paints: `#rrggbb`, `transparent`, "image"
    (an image or gradient: what is behind the text is unknown) or None (nothing readable)."""
    if any(i in value for i in _IMAGE):
        return "image"
    if value in ("none", "initial", "unset", "inherit", "revert"):
        return TRANSPARENT
    tokens = re.findall(r"[a-z-]+\([^)]*\)|#[0-9a-f]+|[a-z]+", value)
    for token in tokens:
        found = colour(token)
        if found is not None:
            return found
    return None
