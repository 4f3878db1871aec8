"""Bidirectional-text controls in crawled text, shown as visible escapes so none can reorder a report's text."""

from __future__ import annotations

from urllib.parse import quote

from markupsafe import Markup

# Embeddings, overrides, isolates and marks: a U+202E in a URL or footer makes the rest display reversed
# (`/‮fdp.exe` reads as `/exe.pdf`), so a report would show the reader something other than what was crawled.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def code_point_label(char: str) -> str:
    """How a report shows a character it must not print as itself: `[U+202E]` (the JUnit export uses
    the same form for what XML cannot hold)."""
    return f"[U+{ord(char):04X}]"


_VISIBLE = {ord(c): code_point_label(c) for c in BIDI_CONTROLS}
_ENCODED = {ord(c): quote(c) for c in BIDI_CONTROLS}


def show_bidi_controls(value: object) -> object:
    """Jinja `finalize`: every printed string has its bidi controls replaced by `[U+202E]`-style text."""
    if isinstance(
        value, Markup
    ):  # already-escaped HTML (macros, the trend SVG): the escapes contain no markup
        return Markup(str(value).translate(_VISIBLE))
    if isinstance(value, str):
        return value.translate(_VISIBLE)
    return value


def encode_bidi_controls(url: str) -> str:
    """A URL for an href: its bidi controls percent-encoded, as a browser sends them, so the link still works."""
    return url.translate(_ENCODED)
