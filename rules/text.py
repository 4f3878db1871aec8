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
# Characters NFKC folds into ASCII digits that are not digits as a footer writes them: circled,
# parenthesised, super- and subscript, mathematical and segmented digits, fractions, squared units.
# A visitor sees a ① or a 𝟏, not the 1 a number needs, so they are left as they are: `陕B2-2021027①`
# is another number. Full-width digits (U+FF10-FF19) are how Chinese input methods type digits, and
# fold. (tests/unit/test_faked_numbers.py checks the table against unicodedata.)
_COMPAT_DIGIT_RANGES = (
    (0x00B2, 0x00B3), (0x00B9, 0x00B9), (0x00BC, 0x00BE), (0x2070, 0x2070), (0x2074, 0x2079),
    (0x2080, 0x2089), (0x2150, 0x215F), (0x2189, 0x2189), (0x2460, 0x249B), (0x24EA, 0x24EA),
    (0x3251, 0x325F), (0x32B1, 0x32CB), (0x3358, 0x3370), (0x3378, 0x3379), (0x339F, 0x33A6),
    (0x33A8, 0x33A8), (0x33AF, 0x33AF), (0x33E0, 0x33FE), (0x1D7CE, 0x1D7FF), (0x1F100, 0x1F10A),
    (0x1FBF0, 0x1FBF9),
)  # fmt: skip
COMPAT_DIGITS = "".join(chr(c) for lo, hi in _COMPAT_DIGIT_RANGES for c in range(lo, hi + 1))
_COMPAT_DIGIT = re.compile("([" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _COMPAT_DIGIT_RANGES) + "])")


def nfkc(text: str) -> str:
    """NFKC, except for the compatibility digits (`COMPAT_DIGITS`), which are kept as written."""
    parts = _COMPAT_DIGIT.split(text)
    if len(parts) == 1:
        return unicodedata.normalize("NFKC", text)
    parts[0::2] = (unicodedata.normalize("NFKC", p) for p in parts[0::2])
    return "".join(parts)


def normalise(text: str) -> str:
    """NFKC (compatibility digits kept), dash variants to '-', zero-width characters removed,
    whitespace collapsed to one space."""
    # Each step is skipped when it would change nothing: testing for a character is far cheaper than
    # `str.translate` with a dict, and NFKC's quick check than NFKC (ASCII text needs none of them).
    if not text.isascii():
        if any(c in text for c in ZERO_WIDTH_CHARS):
            text = text.translate(_ZERO_WIDTH)
        if not unicodedata.is_normalized("NFKC", text):
            text = nfkc(text)
        if any(c in text for c in DASH_CHARS):
            text = text.translate(_DASHES)
    return _SPACES.sub(" ", text)
