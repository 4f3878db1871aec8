"""`rules.text.normalise` and `rules.numbers.find_numbers` with the same results at page scale; pure.

Per character, `str.translate` with a dict costs about 40 ns, NFKC about 100 ns on Chinese text and
the licence pattern (tried at every offset) about as much; a page has thousands of text nodes and
tens of thousands of characters. So text is normalised in one batch with C-speed regexes, NFKC runs
only where a quick check says it changes something, and numbers are searched only near the
fragments every one of them contains.
"""

from __future__ import annotations

import re
import unicodedata

from rules import numbers as rules_numbers
from rules import text as rules_text
from rules.numbers import NumberMatch

# The same character tables as rules.text (one source of truth). Testing each character with `in`
# (memchr speed) before a regex pass is cheaper than the regex scan that usually finds nothing.
_ZERO_WIDTH_CHARS = tuple(rules_text.ZERO_WIDTH_CHARS)
_DASH_CHARS = tuple(rules_text.DASH_CHARS)
ZERO_WIDTH = "".join(_ZERO_WIDTH_CHARS)
# Whitespace and zero-width characters: a text node made only of these normalises to " " or "".
BLANK = "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + ZERO_WIDTH
_ZERO_WIDTH = re.compile("[" + re.escape("".join(_ZERO_WIDTH_CHARS)) + "]")
_DASHES = re.compile("[" + re.escape("".join(_DASH_CHARS)) + "]")
# Characters NFKC changes on their own in Chinese pages (full-width ASCII, ideographic space, …, ①):
# replacing a character by its NFKC form never changes the NFKC of the whole text, so after this a
# quick check usually shows there is nothing left for NFKC to do.
_COMMON_RANGES = ((0x00A0, 0x00BF), (0x2000, 0x214F), (0x2460, 0x24FF), (0x3000, 0x3000), (0xFF01, 0xFFEF))
_COMPAT = {
    c: unicodedata.normalize("NFKC", c)
    for lo, hi in _COMMON_RANGES
    for c in map(chr, range(lo, hi + 1))
    if unicodedata.normalize("NFKC", c) != c and c not in rules_text.COMPAT_DIGITS
}
_COMPAT_SPLIT = re.compile("([" + re.escape("".join(_COMPAT)) + "])")
_SHORT = 256  # below this length a regex pass costs less than testing each character with `in`
# U+0000 never reaches a text node (the HTML parser drops or replaces it), so it can join them.
_SEP = "\x00"

# Every number the recognisers find contains one of these fragments: the last business class and
# its dash (licence), ICP备 / ICP证 (filings), 公网安 / 公安网 / 公安(机关)备 (public security). Each
# pattern opens with a literal, which `re` scans for at memchr speed; the fragments' inner whitespace is at most
# three characters in the texts extraction builds (normalised segments joined by one separator).
_WS = ("", r"\s", r"\s\s", r"\s\s\s", r"\s\s\s\s")
_ANCHORS = (
    re.compile("-(?:" + "|".join(f"(?<=[AB][12]{w}-)" for w in _WS) + ")"),
    re.compile("备(?:" + "|".join(f"(?<=[Ii][Cc][Pp]{w}备)" for w in _WS) + ")"),
    re.compile("证(?:" + "|".join(f"(?<=[Ii][Cc][Pp]{w}证)" for w in _WS) + ")"),
    re.compile(r"公\s*(?:网\s*安|安\s*网|安\s*(?:机\s*关\s*)?备)"),
)
_BEFORE, _AFTER = 200, 100  # the most a match extends before / after its fragment, with room to spare
_WINDOWED_FROM = 1000  # shorter texts are searched whole


# The full-width punctuation of nearly every Chinese page: `str.replace` of each (memchr speed) costs
# a fifth of the regex split in `_compat`, and usually leaves nothing for NFKC to do.
_FREQUENT = tuple((c, _COMPAT[c]) for c in "\uff0c\uff1a\uff08\uff09\uff1b\uff01\uff1f\u3000")


def _frequent(text: str) -> str:
    for char, folded in _FREQUENT:
        if char in text:
            text = text.replace(char, folded)
    return text


def _compat(text: str) -> str:
    parts = _COMPAT_SPLIT.split(text)
    if len(parts) > 1:
        parts[1::2] = map(_COMPAT.__getitem__, parts[1::2])
        text = "".join(parts)
    return text


def _nfkc(text: str) -> str:
    if unicodedata.is_normalized("NFKC", text):
        return text
    text = _frequent(text)
    if unicodedata.is_normalized("NFKC", text):
        return text
    text = _compat(text)
    return text if unicodedata.is_normalized("NFKC", text) else rules_text.nfkc(text)


def _drop_zero_width(text: str) -> str:
    if len(text) < _SHORT or any(c in text for c in _ZERO_WIDTH_CHARS):
        text = _ZERO_WIDTH.sub("", text)
    return text


def _dashes_and_spaces(text: str) -> str:
    if len(text) < _SHORT or any(c in text for c in _DASH_CHARS):
        text = _DASHES.sub("-", text)
    # str.split() and the regex `\s` agree on what whitespace is; split-and-join is 5 times faster.
    out = " ".join(text.split())
    if text[:1].isspace():
        out = " " + out
    if text[-1:].isspace() and out != " ":
        out += " "
    return out


def normalise(text: str) -> str:
    """Exactly `rules.text.normalise(text)`."""
    return _dashes_and_spaces(_nfkc(_drop_zero_width(text)))


def normalise_many(texts: list[str]) -> list[str]:
    """Exactly `[rules.text.normalise(t) for t in texts]`, normalised as one string."""
    joined = _drop_zero_width(_SEP.join(texts))
    if not unicodedata.is_normalized("NFKC", joined):
        joined = _frequent(joined)
        if not unicodedata.is_normalized("NFKC", joined):
            joined = _compat(joined)
            if not unicodedata.is_normalized("NFKC", joined):
                # NFKC never reorders or composes across U+0000, a starter that combines with nothing.
                joined = _SEP.join(map(_nfkc, joined.split(_SEP)))
    out = _dashes_and_spaces(joined).split(_SEP)
    return out if len(out) == len(texts) else [normalise(t) for t in texts]


def may_hold_numbers(text: str) -> bool:
    """False when `text` (normalised, whitespace runs of at most four) certainly holds no number."""
    return any(anchor.search(text) is not None for anchor in _ANCHORS)


def find_numbers(text: str) -> list[NumberMatch]:
    """`rules.numbers.find_numbers(text)`, searching long texts only around the anchoring fragments."""
    if len(text) < _WINDOWED_FROM:
        return rules_numbers.find_numbers(text) if may_hold_numbers(text) else []
    windows: list[list[int]] = []
    for start, end in sorted((m.start(), m.end()) for a in _ANCHORS for m in a.finditer(text)):
        lo, hi = max(0, start - _BEFORE), end + _AFTER
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(hi, windows[-1][1])
        else:
            windows.append([lo, hi])
    found: list[NumberMatch] = []
    for lo, hi in windows:
        for m in rules_numbers.find_numbers(text[lo:hi]):
            found.append(NumberMatch(m.kind, m.value, m.key, m.start + lo, m.end + lo))
    return rules_numbers.drop_reversed(text, found)  # an override may open before the window
