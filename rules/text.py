"""Text normalisation applied before any number is recognised (reference §2.0); pure."""

from __future__ import annotations

import re
import unicodedata

# NFKC does not fold these dash-like characters; footers use all of them between B2 and the digits.
DASH_CHARS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\u2043\u30fc\uff70"
_DASHES = dict.fromkeys(map(ord, DASH_CHARS), "-")
# Zero-width characters are invisible and split numbers for any naive matcher.
ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ZERO_WIDTH = dict.fromkeys(map(ord, ZERO_WIDTH_CHARS), None)
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFKC, dash variants to '-', zero-width characters removed, whitespace collapsed to one space."""
    # Each step is skipped when it would change nothing: testing for a character is far cheaper than
    # `str.translate` with a dict, and NFKC's quick check than NFKC (ASCII text needs none of them).
    if not text.isascii():
        if any(c in text for c in ZERO_WIDTH_CHARS):
            text = text.translate(_ZERO_WIDTH)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        if any(c in text for c in DASH_CHARS):
            text = text.translate(_DASHES)
    return _SPACES.sub(" ", text)
