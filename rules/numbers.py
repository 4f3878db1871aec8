"""Recognisers for the four kinds of registration number, by their own pattern (reference §2); pure.

Input is text already passed through `rules.text.normalise`. A match never accepts a longer number
that merely contains the expected one: every digit run is bounded by look-arounds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

PROVINCES = "京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川蜀贵黔云滇陕甘陇青蒙桂藏宁新"


class NumberKind(StrEnum):
    """The kinds of number a footer carries; values are the JSON contract's `kind`."""

    LICENCE = "licence"
    ICP_FILING = "icp-filing"
    ICP_ZHENG = "icp-zheng"
    PUBLIC_SECURITY = "public-security"


_P = PROVINCES
# Letters a visitor takes for digits (O/o/Ο/О for 0, l/I/І for 1, Z for 2, З for 3, S/Ѕ for 5, б/G for
# 6, B/В/Β for 8): written right after the digits (`陕B2-20210271O`), the number shown is not ours but
# a longer one. Only when no other letter follows (`…0271Copyright` is a word run into the number).
LOOKALIKE_DIGITS = "OoDQIlZzSsGbBgq\u039f\u03bf\u0399\u0392\u0396\u041e\u043e\u0406\u0456\u04c0\u0417\u0437\u0431\u0405\u0455\u0412"
_LETTERS = "A-Za-z\u0370-\u03ff\u0400-\u04ff"
_FAKE_TAIL = f"(?:[{LOOKALIKE_DIGITS}]{{1,3}}(?![{_LETTERS}]))?"  # look-alikes a number takes in
# The separator classes: '.', '、', '·' between business classes; spaces anywhere a footer puts them.
LICENCE_RE = re.compile(
    rf"""(?:(?P<prefix>[{_P}]|合字)\s*|(?<![A-Za-z0-9]))  # inline elements join with no space: any char may precede a prefix
    (?P<cats>(?:[AB][12]\s*[.、·]\s*)*[AB][12])
    # Year 1990-2099 first; canonical is 8 digits. Other lengths, and the letter O typed for a zero
    # (陕B2-2O210271), are typos: found, so the page is a wrong number rather than a missing one.
    \s*-\s*(?P<num>(?=199|2[0Oo])[\dOo]{{5,9}}\d(?![\d]){_FAKE_TAIL})
    (?:\s*-\s*(?P<seq>\d{{1,4}})(?![\d]))?
    (?:\s*(?P<hao>号))?""",
    re.X,
)
# Between the province and ICP some footers put a bar, a dot, a colon or a slash (`京｜ICP备…`: the
# province is one inline element, the rest another); one such character, spaces either side.
_PROV_SEP = r"\s*(?:[|\u2502\u4e28\u00b7\u30fb:/]\s*)?"
ICP_ZHENG_RE = re.compile(
    rf"""(?P<prov>[{_P}]){_PROV_SEP}ICP\s*证\s*:?\s*(?P<num>\d{{6,8}})(?!\d)(?:\s*(?P<hao>号))?
    (?:\s*-\s*(?P<seq>\d{{1,4}})(?!\d))?""",
    re.X | re.I,
)
# The `-N` suffix (with an app's A, a mini-program's X): the next inline element's text may follow it
# directly (`号-3Powered by`), but not digits, a dash and digits (`号-029-8888…` is a phone number) or
# look-alike letters alone (`号-3O` shows -30). A capitalised word may follow the app's letter
# (`号-2APowered`).
_SEQ = rf"""(?P<seq>\d{{1,4}})(?!\d|\s*-\s*\d)
    (?:(?P<kind>[AXK])(?=(?-i:[A-Z][a-z])|(?![{_LETTERS}0-9])))?(?![{LOOKALIKE_DIGITS}]{{1,3}}(?![{_LETTERS}]))"""
BEIAN_RE = re.compile(
    rf"""(?P<prov>[{_P}]){_PROV_SEP}ICP\s*备\s*:?\s*(?P<main>\d{{5,10}}(?!\d){_FAKE_TAIL})(?:\s*(?P<hao>号))?
    (?:\s*-\s*{_SEQ})?""",
    re.X | re.I,
)
# 公网安备 / 公安网备, or 公安备案号 / 公安机关备案号; the province prefix may be left out
# (`公安备案号11010502030143`): the digits' first two still name the province.
GONGAN_RE = re.compile(
    rf"""(?:(?P<prov>[{_P}]){_PROV_SEP})?
    公\s*(?:网\s*安\s*备|安\s*网\s*备|安\s*(?:机\s*关\s*)?备\s*案)\s*(?:案\s*)?(?:号\s*)?:?\s*
    (?P<num>(?:\d{{14}}|\d{{12}})(?!\d){_FAKE_TAIL})(?:\s*(?P<hao>号))?""",
    re.X,
)
# An ICP证 label right before a licence without its own prefix lends it the label's province
# (`沪ICP证 B2-20040070` is 沪B2-20040070). Normalised text has single spaces: 16 characters hold it.
_ZHENG_LABEL = re.compile(rf"(?P<prov>[{_P}]){_PROV_SEP}ICP\s*证\s*:?\s*$", re.I)
_LABEL_REACH = 16


@dataclass(frozen=True, slots=True)
class NumberMatch:
    """One number found in normalised text: its kind, canonical value, comparison key and span."""

    kind: NumberKind
    value: str
    key: str
    start: int
    end: int


_CAT_SEP = re.compile(r"\s*[.、·]\s*")


def licence_key(prefix: str | None, cats: str, num: str) -> str:
    """The comparison key of a licence: prefix, classes and digits, without `-N` or 号."""
    if len(cats) > 2:  # one class ("B2") has no separator
        cats = _CAT_SEP.sub(".", cats)
    return f"{prefix or ''}{cats}-{num}"


def parse_licence(text: str) -> str | None:
    """The comparison key of the one licence number in `text`, or None when it holds none or several."""
    from rules.text import normalise

    found = [m for m in find_numbers(normalise(text)) if m.kind is NumberKind.LICENCE]
    return found[0].key if len(found) == 1 else None


_CLASS = re.compile(r"[AB][12]")


def _licence_start(text: str) -> int | None:
    """Where LICENCE_RE can first match in `text` (None: nowhere), found far faster than by the pattern,
    which is tried at every offset. A match starts at its first business class, or before it at a
    prefix (one province or 合字) and spaces; no match starts before the first class's."""
    first = _CLASS.search(text)
    if first is None:
        return None
    start = first.start()
    while start > 0 and text[start - 1].isspace():  # the same characters as `\s`
        start -= 1
    return max(0, start - 2)


def _licences(text: str) -> Iterator[NumberMatch]:
    start = _licence_start(text)
    # finditer from `start` is finditer from 0: every offset before it fails on its own
    for m in LICENCE_RE.finditer(text, start) if start is not None else ():
        prefix = m["prefix"] or _label_province(text, m.start())
        key = licence_key(prefix, m["cats"], m["num"])
        seq = f"-{m['seq']}" if m["seq"] else ""
        yield NumberMatch(NumberKind.LICENCE, key + seq, key, m.start(), m.end())


def _label_province(text: str, at: int) -> str | None:
    """The province of an ICP证 label that ends at `at` (`沪ICP证：`), or None."""
    label = _ZHENG_LABEL.search(text, max(0, at - _LABEL_REACH), at)
    return label["prov"] if label else None


def _zheng(text: str) -> Iterator[NumberMatch]:
    for m in ICP_ZHENG_RE.finditer(text):
        key = f"{m['prov']}ICP证{m['num']}号"
        seq = f"-{m['seq']}" if m["seq"] else ""
        yield NumberMatch(NumberKind.ICP_ZHENG, key + seq, key, m.start(), m.end())


def _beian(text: str) -> Iterator[NumberMatch]:
    for m in BEIAN_RE.finditer(text):
        key = f"{m['prov']}ICP备{m['main']}号"
        seq = f"-{m['seq']}{(m['kind'] or '').upper()}" if m["seq"] else ""
        yield NumberMatch(NumberKind.ICP_FILING, key + seq, key, m.start(), m.end())


def _gongan(text: str) -> Iterator[NumberMatch]:
    for m in GONGAN_RE.finditer(text):
        value = f"{m['prov'] or ''}公网安备{m['num']}号"
        yield NumberMatch(NumberKind.PUBLIC_SECURITY, value, m["num"], m.start(), m.end())


# Bidi controls (and the ends of a paragraph, where every one of them stops): an embedding, override
# or isolate opened right to left shows the text inside it reordered (`\u202e陕B2-20210271` reads
# 17201202-2B陕 on screen), so no number stands there for a visitor.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\n\u2029]")
_RTL_OPENERS = frozenset("\u202b\u202e\u2067")
_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")
_ISOLATES = frozenset("\u2066\u2067\u2068")


def _right_to_left_spans(text: str) -> list[tuple[int, int]]:
    """The stretches of `text` whose innermost open bidi context runs right to left (one pass)."""
    spans: list[tuple[int, int]] = []
    stack: list[str] = []
    since = 0
    for m in _BIDI.finditer(text):
        char, at = m.group(), m.start()
        rtl = bool(stack) and stack[-1] in _RTL_OPENERS
        if char in _EMBEDDINGS or char in _ISOLATES:
            stack.append(char)
        elif char == "\u202c":  # PDF closes the innermost embedding or override, not an isolate
            if stack and stack[-1] in _EMBEDDINGS:
                stack.pop()
        elif char == "\u2069":  # PDI closes the innermost isolate and whatever it holds
            while stack and stack.pop() not in _ISOLATES:
                pass
        else:
            stack.clear()  # the paragraph ends
        now = bool(stack) and stack[-1] in _RTL_OPENERS
        if rtl and not now:
            spans.append((since, at))
        elif now and not rtl:
            since = at
    if stack and stack[-1] in _RTL_OPENERS:
        spans.append((since, len(text)))
    return spans


def drop_reversed(text: str, found: list[NumberMatch]) -> list[NumberMatch]:
    """`found` without the numbers a right-to-left bidi context of `text` shows reordered."""
    if not found or _BIDI.search(text) is None or not any(c in text for c in _RTL_OPENERS):
        return found
    spans = _right_to_left_spans(text)  # in order, none overlapping: one pass over both lists
    kept, i = [], 0
    for m in found:
        while i < len(spans) and spans[i][1] <= m.start:
            i += 1
        if i == len(spans) or spans[i][0] >= m.end:
            kept.append(m)
    return kept


def find_numbers(text: str) -> list[NumberMatch]:
    """Every registration number in normalised `text`, in order of position, overlaps resolved.

    Licence numbers win over an `ICP证` label that precedes them (`ICP证：陕B2-…` is a licence).
    A number inside a right-to-left override, embedding or isolate is not one (`drop_reversed`).
    """
    found: list[NumberMatch] = []  # sorted by position, none overlapping another
    for finder in (_licences, _beian, _gongan, _zheng):
        found = sorted([*found, *_free(finder(text), found)], key=lambda m: m.start)  # two sorted runs
    return drop_reversed(text, found)


def _free(matches: Iterator[NumberMatch], found: list[NumberMatch]) -> list[NumberMatch]:
    """The matches (in order of position) that overlap none of `found` (sorted, not overlapping): one
    pass over both, so thousands of numbers on a page cost linear time."""
    free, i = [], 0
    for match in matches:
        while i < len(found) and found[i].end <= match.start:
            i += 1
        if i == len(found) or found[i].start >= match.end:
            free.append(match)
    return free
