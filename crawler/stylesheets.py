"""Which style texts apply to a document: <style> blocks, linked style sheets and their @imports, in
document order, for a desktop screen; pure (style sheets are fetched by the crawler and passed in).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urljoin

from selectolax.lexbor import LexborHTMLParser

from crawler.css import imports, media_applies
from crawler.visibility import PageStyles, page_styles

MAX_IMPORT_DEPTH = 2  # @import inside an @imported sheet inside a linked sheet, and no deeper
_URL_NOISE = re.compile(r"[\t\n\r]")
_FONT_ZERO = re.compile(r"font-size\s*:\s*0(?![.\d]*[1-9])")
_SOURCES = "style, link[rel~=stylesheet i]"


def document_base(tree: LexborHTMLParser, url: str) -> str:
    """The URL a document's relative links resolve against: its first <base href>, else `url`."""
    base = tree.css_first("base[href]")
    href = _URL_NOISE.sub("", (base.attributes.get("href") or "") if base is not None else "").strip()
    try:
        return urljoin(url, href) if href else url
    except ValueError:
        return url


def data_css(href: str | None) -> str | None:
    """The style text a `data:` URL holds (`data:text/css,…`, `;base64` too), or None when `href` is
    no such URL. It is part of the page, so a browser applies it without a fetch."""
    href = _URL_NOISE.sub("", href or "").strip()
    if href[:5].lower() != "data:":
        return None
    meta, sep, payload = href[5:].partition(",")
    params = [p.strip().lower() for p in meta.split(";")]
    if not sep or params[0] not in ("", "text/css"):
        return None
    if "base64" in params[1:]:
        try:
            return base64.b64decode(unquote(payload), validate=False).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return None
    return unquote(payload, errors="replace")


def _absolute(base: str, href: str | None) -> str | None:
    href = _URL_NOISE.sub("", href or "").strip()
    if not href or href.lower().startswith(("data:", "javascript:")):
        return None
    try:
        url = urljoin(base, href)
    except ValueError:
        return None
    return url.partition("#")[0] if url.startswith(("http://", "https://")) else None


@dataclass(slots=True)
class _Sources:
    sheets: Mapping[str, str]
    texts: list[str]
    links: dict[str, None]

    def add_css(self, css: str, base: str, depth: int) -> None:
        """A style text, after the sheets it @imports (imports come first in the cascade)."""
        if depth < MAX_IMPORT_DEPTH:
            for href, media in imports(css):
                if (inline := data_css(href)) is not None:
                    if media_applies(media or None):
                        self.add_css(inline, base, depth + 1)
                    continue
                url = _absolute(base, href)
                if url and media_applies(media or None):
                    self.add_sheet(url, depth + 1)
        self.texts.append(css)

    def add_sheet(self, url: str, depth: int) -> None:
        if url in self.links:
            return  # a sheet listed twice applies once more in a browser, which changes nothing here
        self.links[url] = None
        if url in self.sheets:
            self.add_css(self.sheets[url], url, depth)


def _sources(tree: LexborHTMLParser, base: str, sheets: Mapping[str, str]) -> _Sources:
    found = _Sources(sheets, [], {})
    for node in tree.css(_SOURCES):
        attrs = node.attributes
        if not media_applies(attrs.get("media")):
            continue
        if node.tag == "style":
            found.add_css(node.text(deep=True), base, 0)
        elif "alternate" not in (attrs.get("rel") or "").lower().split():
            if (inline := data_css(attrs.get("href"))) is not None:
                found.add_css(inline, base, 0)
                continue
            url = _absolute(base, attrs.get("href"))
            if url:
                found.add_sheet(url, 0)
    return found


def _sets_font_zero(html: str) -> bool:
    """`_FONT_ZERO.search(html)` found something: tried only where "font-size" stands (str.find is
    far faster than the pattern's scan of a whole page)."""
    at = html.find("font-size")
    while at >= 0:
        if _FONT_ZERO.match(html, at):
            return True
        at = html.find("font-size", at + 1)
    return False


def document_styles(
    tree: LexborHTMLParser, html: str, base: str, sheets: Mapping[str, str]
) -> tuple[PageStyles, tuple[str, ...]]:
    """The style of a parsed document and the absolute URLs of the style sheets it links or imports."""
    found = _sources(tree, base, sheets)
    font_size = _sets_font_zero(html)
    styles = page_styles(tuple(found.texts), font_size=font_size)
    return styles, tuple(found.links)


def stylesheet_links(html: str, base_url: str) -> list[str]:
    """The absolute URLs of the style sheets a page links (<link rel=stylesheet>, @import in <style>)
    for a desktop screen, in document order; `base_url` is the page's final URL (<base href> is honoured).

    The same list is `Extracted.stylesheets`; this costs a parse of its own, for callers that fetch
    the sheets before extracting.
    """
    tree = LexborHTMLParser(html.encode("utf-8", "replace"), scripting=True)
    return list(_sources(tree, document_base(tree, base_url), {}).links)
