"""How a box can be laid out yet not read: faint opacity, filters, clip paths and rectangles, text shown
right to left, tags whose content is never displayed; pure.

Each check answers a certain reason (the text cannot be read), an uncertain one (static analysis
cannot tell: `rules.verdict.UNDECIDED`, the page needs a browser) or None. The thresholds are the ones
the browser's script applies (crawler.render.dom_script receives them), so both paths agree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from crawler.css import MASK_PROPS, PAINT_PROPS, TRANSPARENT, colour, px

OPACITY_MIN = 0.1  # below it text is not read (a browser's own checkVisibility uses the same bound)
FONT_MIN_PX = 4.0  # glyphs smaller than this are specks, not text
SCALE_MIN = 0.1  # a transform scaling a 16px line below 1.6px
FRAME_MIN_PX = 8.0  # a frame this narrow or low shows no line of text
CONTRAST_MIN = 1.2  # WCAG contrast ratio under which text is not told from its background (#eee on #fff)
BLUR_MAX_PX = 2.0  # a blur radius above which glyphs run together

# Elements whose content a visitor never reads as text: the options of a <select> (one shows in the
# closed control, as a form value rather than a footer line), ruby fallback parentheses, the fallback
# of frames and embeds, SVG text that describes or defines rather than draws. Tag names as the parser
# gives them (SVG keeps its camel case).
NEVER_SHOWN_TAGS: Mapping[str, str] = {
    "select": "inside a <select>",
    "datalist": "inside a <datalist>",
    "rp": "ruby fallback <rp>",
    "noframes": "<noframes> fallback",
    "noembed": "<noembed> fallback",
    **{
        tag: f"SVG <{tag}>"
        for tag in (
            "desc", "metadata", "defs", "symbol", "clipPath", "mask", "pattern", "marker",
            "linearGradient", "radialGradient", "filter", "style",
        )
    },
}  # fmt: skip
Won = Mapping[str, tuple[str, str | None]]  # property → (winning value, its rule's selector)
_FUNCTION = re.compile(r"([a-z-]+)\(([^()]*)\)")
_RECT = re.compile(r"rect\(([^()]*)\)")


def fraction(value: str) -> float | None:
    """A number or percentage as a fraction (`0.5`, `50%`), or None."""
    value = value.strip()
    try:
        return float(value[:-1]) / 100 if value.endswith("%") else float(value)
    except ValueError:
        return None


def faint(value: str) -> bool:
    """An opacity below OPACITY_MIN (`0`, `0%`, `.01`)."""
    amount = fraction(value)
    return amount is not None and amount < OPACITY_MIN


def font_px(value: str) -> float | None:
    """A font size in px (em, rem and % of 16px), or None."""
    value = value.strip()
    if value.endswith("%"):
        amount = fraction(value)
        return None if amount is None else amount * 16
    return px(value)


def tiny_font(value: str) -> bool:
    """A font size under FONT_MIN_PX (`0`, `0%`, `1px`, `.1em`)."""
    size = font_px(value)
    return size is not None and size < FONT_MIN_PX


def filter_hiding(value: str) -> tuple[str | None, str | None]:
    """(certain, uncertain) reasons a `filter` hides text: `opacity(0)` surely; a strong blur, a
    brightness or contrast near nothing, or an SVG filter `url(…)` cannot be judged without a browser."""
    if value in ("", "none", "initial", "unset", "inherit"):
        return None, None
    for name, args in _FUNCTION.findall(value):
        amount = fraction(args) if name != "blur" else px(args.strip() or "0")
        if name == "opacity" and amount is not None and amount < OPACITY_MIN:
            return f"filter:{value}", None
        if name in ("brightness", "contrast") and (amount is None or amount < 0.5):
            return None, f"filter:{value}"
        if name == "blur" and (amount is None or amount > BLUR_MAX_PX):
            return None, f"filter:{value}"
    if "url(" in value:
        return None, f"filter:{value}"
    return None, None


def _inset_hides(args: str) -> bool | None:
    """True when an `inset()` leaves no area, False when it surely leaves some, None when unknown."""
    values = args.split(" round ")[0].split()
    if not values or len(values) > 4:
        return None
    top, right, bottom, left = (values * 4)[:4] if len(values) == 1 else _sides(values)
    total = 0.0
    for pair in ((top, bottom), (left, right)):
        share = [fraction(v) if v.endswith("%") else 0.0 if px(v) == 0 else None for v in pair]
        lengths = [px(v) for v in pair]
        if all(s is not None for s in share) and sum(s for s in share if s is not None) >= 1:
            return True
        if all(length is not None and length <= 8 for length in lengths):
            continue  # a few px off the edges: a rounded or trimmed box
        total += 1
    return False if total == 0 else None


def _sides(values: list[str]) -> tuple[str, str, str, str]:
    if len(values) == 2:
        return values[0], values[1], values[0], values[1]
    if len(values) == 3:
        return values[0], values[1], values[2], values[1]
    return values[0], values[1], values[2], values[3]


def clip_path_hiding(value: str) -> tuple[str | None, str | None]:
    """(certain, uncertain) reasons a `clip-path` hides text: an inset of 100%, a circle or ellipse of
    radius 0; any other shape, path or reference cannot be judged without a browser."""
    if value in ("", "none", "initial", "unset", "inherit"):
        return None, None
    m = _FUNCTION.fullmatch(value.strip())
    if m is not None and m[1] == "inset":
        hides = _inset_hides(m[2])
        return (
            (f"clip-path:{value}", None)
            if hides
            else (None, None if hides is False else f"clip-path:{value}")
        )
    if m is not None and m[1] in ("circle", "ellipse"):
        radii = m[2].split(" at ")[0].split()
        if radii and all((px(r) == 0 or fraction(r) == 0) for r in radii):
            return f"clip-path:{value}", None
    return None, f"clip-path:{value}"


def clip_rect_hiding(value: str, position: str) -> tuple[str | None, str | None]:
    """(certain, uncertain) reasons `clip:rect(…)` hides an absolutely positioned box (it applies to no
    other): a rectangle at most 1px high or wide, as `.sr-only` writes it."""
    m = _RECT.fullmatch(value.strip())
    if m is None or position not in ("absolute", "fixed"):
        return None, None
    edges = [px(v) for v in m[1].replace(",", " ").split()]
    if len(edges) != 4:
        return None, f"clip:{value}"
    top, right, bottom, left = edges
    if top is None or right is None or bottom is None or left is None:
        return None, f"clip:{value}"  # `auto` edges: the box's own, whose size is unknown
    if bottom - top <= 1 or right - left <= 1:
        return f"clip:{value}", None
    return None, None


def right_to_left(
    tag: str, attrs: Mapping[str, str | None], won: Mapping[str, tuple[str, object]]
) -> str | None:
    """Why the element's text runs right to left (`<bdo dir=rtl>`, `dir=rtl`, `direction:rtl`,
    an override): a number in it may be shown reordered, which only a browser's layout tells."""
    direction = won["direction"][0] if "direction" in won else ""
    bidi = won["unicode-bidi"][0] if "unicode-bidi" in won else ""
    if (attrs.get("dir") or "").strip().lower() == "rtl" or direction == "rtl":
        return f"<{tag} dir=rtl>" if tag == "bdo" else "text right to left (direction:rtl)"
    if "override" in bidi or bidi == "plaintext":
        return f"unicode-bidi:{bidi}"
    return None


def tiny_frame(attrs: Mapping[str, str | None], style: Mapping[str, tuple[str, bool]]) -> str | None:
    """Why an <iframe> is too small to show a line of text (its width or height under FRAME_MIN_PX)."""
    for prop in ("width", "height"):
        written = style[prop][0] if prop in style else (attrs.get(prop) or "").strip()
        size = px(written) if written else None
        if size is not None and size < FRAME_MIN_PX:
            return f"an <iframe> {prop} {written}"
    return None


def undecided_reason(what: str, attrs: Mapping[str, str | None], won: Won) -> str | None:
    """What static analysis cannot settle here: a filter or clip it does not evaluate, text laid out
    right to left."""
    if not won.keys().isdisjoint(PAINT_PROPS) and (why := paint_hiding(won)[1]) is not None:
        return why
    return right_to_left(what.partition("#")[0].partition(".")[0], attrs, won)


def mask_hiding(value: str) -> tuple[str | None, str | None]:
    """(certain, uncertain) reasons a mask hides the box: a gradient of transparent stops only; any
    other image cannot be judged without a browser."""
    if value in ("", "none", "initial", "unset", "inherit"):
        return None, None
    if "gradient(" in value and "url(" not in value:
        stops = re.findall(r"#[0-9a-f]{3,8}|rgba?\([^()]*\)|hsla?\([^()]*\)|\b[a-z]+\b(?!\()", value)
        colours = [colour(c) for c in stops if colour(c) is not None or c == "transparent"]
        if colours and all(c == TRANSPARENT for c in colours):
            return f"mask:{value}", None
    return None, f"mask:{value}"


def squeezed(won: Won) -> str | None:
    """Glyphs drawn over one another (`letter-spacing:-1em`): a spacing of half a glyph or more back."""
    spacing = won["letter-spacing"][0] if "letter-spacing" in won else ""
    if spacing.endswith("em") and not spacing.endswith("rem"):
        amount = px(spacing)
        return f"letter-spacing:{spacing}" if amount is not None and amount <= -8 else None
    amount = px(spacing) if spacing else None
    return f"letter-spacing:{spacing}" if amount is not None and amount <= -6 else None


def paint_hides(prop: str, value: str) -> bool:
    """The declaration may hide text (or leave static analysis unable to tell): only then are the
    style rules read for `prop` (`filter:grayscale(1)` or `letter-spacing:1px` on every card of a
    site would otherwise be matched on every element for nothing)."""
    if prop == "filter":
        return filter_hiding(value) != (None, None)
    if prop == "clip-path":
        return clip_path_hiding(value) != (None, None)
    if prop in MASK_PROPS:
        return mask_hiding(value) != (None, None)
    if prop == "letter-spacing":
        return squeezed({prop: (value, None)}) is not None
    if prop == "clip":
        return value.startswith("rect(")
    return value in _PAINT_HIDING_VALUES.get(prop, ()) or (prop == "unicode-bidi" and "override" in value)


_PAINT_HIDING_VALUES = {
    "direction": ("rtl",),
    "unicode-bidi": ("plaintext",),
    "content-visibility": ("hidden",),
}


def paint_hiding(won: Won) -> tuple[str | None, str | None]:
    """(certain, uncertain) reasons a filter, clip path, clip rectangle, mask, `content-visibility`
    or squeezed letters hide the box."""
    if "content-visibility" in won and won["content-visibility"][0] == "hidden":
        return "content-visibility:hidden", None
    if (why := squeezed(won)) is not None:
        return why, None
    unsure: str | None = None
    for prop in MASK_PROPS:
        if prop in won:
            sure, maybe = mask_hiding(won[prop][0])
            if sure is not None:
                return sure, None
            unsure = unsure or maybe
    for prop, check in (("filter", filter_hiding), ("clip-path", clip_path_hiding)):
        if prop in won:
            sure, maybe = check(won[prop][0])
            if sure is not None:
                return sure, None
            unsure = unsure or maybe
    if "clip" in won:
        sure, maybe = clip_rect_hiding(won["clip"][0], won["position"][0] if "position" in won else "")
        if sure is not None:
            return sure, None
        unsure = unsure or maybe
    return None, unsure
