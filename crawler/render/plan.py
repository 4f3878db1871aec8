"""Which pages `--render auto` sends to the browser, from what the static pass saw; pure.

A page is rendered when static analysis cannot settle it: its verdict is `needs-render`, a script
can change its footer, or its style sheets hold rules the static cascade does not evaluate (generated
content, selectors beyond tag/id/class/descendant on rules that hide, move or colour text). The
homepage is always rendered: it carries the duty (LIC-001, BA-001, GA-001).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from crawler.footer_heuristics import FOOTER_NAME_PARTS
from rules.model import Verdict

# Script text that writes markup, builds components, or names a footer-like element or a filing.
_SCRIPT_OPEN = re.compile(r"<script\b", re.I)
_SCRIPT_CLOSE = re.compile(r"</script\s*>", re.I)
_SCRIPT_SRC = re.compile(r"""\bsrc\s*=\s*["']?([^"'\s>]+)""", re.I)
_DOM_WRITING = re.compile(
    r"document\.write|attachShadow|customElements\.define|insertAdjacentHTML|\.load\s*\(|"
    r"importNode|content\.clone|createApp|ReactDOM|hydrate|new\s+Vue",
    re.I,
)
_FOOTERISH = re.compile("|".join([*FOOTER_NAME_PARTS, "备案", "许可证", "公网安"]), re.I)
_NON_EXECUTABLE = re.compile(
    r"""type\s*=\s*["']?(?!(?:text/javascript|module|application/javascript)\b)[\w/+-]""", re.I
)

# CSS the static cascade does not settle: generated content, and rules with other selectors
# (pseudo-classes, attributes, child/sibling combinators) that hide, move or colour text.
_STYLE_OPEN = re.compile(r"<style\b", re.I)
_STYLE_CLOSE = re.compile(r"</style\s*>", re.I)
_BRACE = re.compile(r"([{}])")
_GENERATED = re.compile(r"""content\s*:\s*["'][^"']*[\d备证]""", re.I)
_AFFECTS_TEXT = re.compile(
    r"display\s*:\s*none|visibility\s*:|opacity\s*:|font-size\s*:\s*0|color\s*:|clip|transform|"
    r"text-indent\s*:\s*-|position\s*:\s*(?:absolute|fixed)|(?:^|;)\s*(?:height|max-height)\s*:\s*0",
    re.I,
)
_SIMPLE_SELECTOR = re.compile(r"[\w\s.#*,-]*")
_MEDIA = re.compile(r"@media([^{]*)", re.I)
_MEDIA_FEATURE = re.compile(r"width|orientation|pointer|hover", re.I)


def _elements(html: str, opening: re.Pattern[str], closing: re.Pattern[str]) -> Iterator[tuple[str, str]]:
    """(attributes, text) of each closed element of a raw-text kind (script, style), in one pass: an
    element left open ends the search, as no later one can close (20,000 open <script>s cost linear time)."""
    pos = 0
    while (start := opening.search(html, pos)) is not None:
        gt = html.find(">", start.end())
        end = closing.search(html, gt + 1) if gt >= 0 else None
        if end is None:
            return
        yield html[start.end() : gt], html[gt + 1 : end.start()]
        pos = end.end()


def _styles(html: str) -> list[str]:
    return [text for _, text in _elements(html, _STYLE_OPEN, _STYLE_CLOSE)]


def _rules(css: str) -> Iterator[tuple[str, str]]:
    """(selector, declarations) of each `selector{declarations}` with no brace inside either, in order."""
    parts = _BRACE.split(css)  # text, brace, text, brace, …, text
    i = 0
    while i + 3 < len(parts):
        if parts[i] and parts[i + 1] == "{" and parts[i + 3] == "}":
            yield parts[i], parts[i + 2]
            i += 4
        else:
            i += 2


def scripts_touch_footer(html: str) -> bool:
    """An executable inline script writes markup or names the footer or a filing, or a same-page
    script file is named like a footer."""
    for attrs, body in _elements(html, _SCRIPT_OPEN, _SCRIPT_CLOSE):
        if _NON_EXECUTABLE.search(attrs):
            continue
        src = _SCRIPT_SRC.search(attrs)
        if src and _FOOTERISH.search(src.group(1).rsplit("/", 1)[-1]):
            return True
        if _DOM_WRITING.search(body) or _FOOTERISH.search(body):
            return True
    return False


def css_unsettled(html: str, sheets: Iterable[str] = ()) -> bool:
    """The page's <style> blocks or style sheets hold CSS the static cascade does not evaluate."""
    for css in [*_styles(html), *sheets]:
        if _GENERATED.search(css):
            return True
        for selector, body in _rules(css):
            selector = selector.strip()
            if selector.startswith("@") or not _AFFECTS_TEXT.search(body):
                continue
            if not _SIMPLE_SELECTOR.fullmatch(selector.rsplit("}", 1)[-1]):
                return True
    return False


# Text laid out right to left (an element or style, or a bidi control character): the order a visitor
# reads is the browser's layout, which static analysis does not compute.
_BIDI = re.compile(
    "<bdo\\b|\\bdir\\s*=\\s*[\"']?rtl|direction\\s*:\\s*rtl|unicode-bidi|[\u202a-\u202e\u2066-\u2069]|"
    "&#(?:x0*(?:202[a-e]|206[6-9])|0*(?:823[4-8]|829[4-7]));",  # also as character references
    re.I,
)


def bidi_unsettled(html: str, sheets: Iterable[str] = ()) -> bool:
    """The page or its style sheets lay some text out right to left (or override its direction)."""
    return any(_BIDI.search(text) for text in (html, *sheets))


def phone_rules(html: str, sheets: Iterable[str] = ()) -> bool:
    """The page's CSS has @media rules that may show or hide text on a phone (static analysis judges
    a desktop screen only)."""
    return any(_MEDIA_FEATURE.search(m[1]) for css in [*_styles(html), *sheets] for m in _MEDIA.finditer(css))


def render_reason(
    *,
    mode: str,
    is_homepage: bool,
    verdict: Verdict,
    html: str,
    sheets: Iterable[str] = (),
    phone: bool = False,
) -> str | None:
    """Why the browser should render this page under `--render mode`, or None to keep the static
    judgement ("always", "homepage", "needs-render", "script", "css", "phone"); `phone` when a phone
    viewport is rendered too."""
    if mode == "never":
        return None
    if mode == "always":
        return "always"
    if is_homepage:
        return "homepage"
    if verdict is Verdict.NEEDS_RENDER:
        return "needs-render"
    if scripts_touch_footer(html):
        return "script"
    if css_unsettled(html, sheets) or bidi_unsettled(html, sheets):
        return "css"
    if phone and phone_rules(html, sheets):
        return "phone"
    return None
