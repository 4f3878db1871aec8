"""The shortcuts of extraction (issue 7) give exactly what the long way gives.

- `textscan._frequent` folds the common full-width punctuation with `str.replace` before NFKC;
- `Walk.walk` skips `Walk.enter` for elements without attributes that nothing can change, and for
  those with only a class or id that no style rule matches;
- `StyleSheet.match` memoises its result for elements with no pending descendant chain.

Each is compared with the long way (NFKC itself; every element entered; no memo) on generated text
and pages, and on every page of the labelled corpus.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crawler import textscan, walk
from crawler.decode import decode_body
from crawler.extract import Extracted, extract
from crawler.visibility import StyleSheet
from rules.text import normalise

SETTINGS = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
CORPUS = Path(__file__).parents[1] / "corpus"
URL = "http://127.0.0.1/p/page.html"

# Characters around the fast path's edges: the folded punctuation, other full-width and compatibility
# forms, combining marks (which compose with what a fold leaves before them), dashes, spaces, CJK.
ALPHABET = st.sampled_from(
    list(
        "，：（）；！？\u3000．／－～①ｶﾞ\u3099\u309a\u0301\u0308\u00a0\u2014\u200bか가e陕B2-0123 公网安备号ICP"
    )
)
TEXTS = st.text(ALPHABET, max_size=40)


@SETTINGS
@given(TEXTS)
def test_folding_the_frequent_punctuation_keeps_the_nfkc_of_the_text(text: str) -> None:
    folded = textscan._frequent(text)
    assert unicodedata.normalize("NFKC", folded) == unicodedata.normalize("NFKC", text)
    assert not any(char in folded for char, _ in textscan._FREQUENT)


@SETTINGS
@given(st.lists(TEXTS, min_size=1, max_size=8))
def test_page_scale_normalisation_agrees_with_rules(texts: list[str]) -> None:
    assert textscan.normalise_many(texts) == [normalise(t) for t in texts]
    assert [textscan.normalise(t) for t in texts] == [normalise(t) for t in texts]


@contextmanager
def long_way() -> Iterator[list[int]]:
    """Every element entered and every style rule matched afresh, as before the shortcuts; yields a
    one-item list counting the calls of `Walk.enter`."""
    calls = [0]
    enter = walk.Walk.enter

    def counted(self: walk.Walk, *args: Any) -> walk.Ctx:
        calls[0] += 1
        return enter(self, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(walk, "bare_tags_entered", lambda sheet: None)
        patch.setattr(walk, "_INERT_ATTRS", frozenset())
        patch.setattr(StyleSheet, "match", StyleSheet._match)
        patch.setattr(walk.Walk, "enter", counted)
        yield calls


def _extract_all(pages: list[str]) -> list[Extracted]:
    return [extract(html, URL, URL, is_homepage=i == 0) for i, html in enumerate(pages)]


STYLE = (
    "<style>.hide{display:none} footer span{visibility:hidden} li b{display:none} "
    "#x{font-size:0} em{color:#fff;background:#fff} div p i{display:none} dialog{display:block} "
    ".x{visibility:visible} .y{font-size:12px}</style>"
)
TAGS = ("div", "p", "span", "a", "li", "ul", "b", "i", "em", "section", "dialog", "details", "summary")
ATTRS = (
    "", "", "", ' class="hide"', ' class="x"', ' class="y"', ' id="x"', ' href="/a"', ' style="display:none"',
    ' style="visibility:hidden"', ' style="font-size:0"', " open",
)  # fmt: skip
TEXT = (
    "陕B2-20210271", "陕ICP备2021012345号-1", "陕公网安备61019002000123号", "版权所有", "：", " ",
    '<img src="/x.png">', '<img alt="公安备案" src="/ga.png">',
)  # fmt: skip


@st.composite
def pages(draw: st.DrawFn, depth: int = 0) -> str:
    """A page of nested elements, with and without attributes, around registration numbers."""
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        if depth < 4 and draw(st.booleans()):
            tag, attrs = draw(st.sampled_from(TAGS)), draw(st.sampled_from(ATTRS))
            parts.append(f"<{tag}{attrs}>{draw(pages(depth + 1))}</{tag}>")
        else:
            parts.append(draw(st.sampled_from(TEXT)))
    body = "".join(parts)
    if depth:
        return body
    footer = draw(st.sampled_from(("", "<footer>", "<footer><span>")))
    return f"<html><head>{STYLE}</head><body>{body}{footer}{draw(st.sampled_from(TEXT))}</body></html>"


@SETTINGS
@given(pages())
@example(  # a badge after the number counts only in the number's own link (an <a> without attributes)
    f"<html><head>{STYLE}</head><body><a>陕公网安备61019002000123号<img src=/x.png></a></body></html>"
)
def test_walk_shortcuts_agree_with_the_long_way(page: str) -> None:
    fast = _extract_all([page])
    with long_way():
        slow = _extract_all([page])
    assert fast == slow


def test_corpus_extraction_agrees_with_the_long_way() -> None:
    corpus = [decode_body(p.read_bytes(), None)[0] for p in sorted(CORPUS.glob("*.html"))]
    assert len(corpus) >= 100
    entered = [0]
    enter = walk.Walk.enter

    def counted(self: walk.Walk, *args: Any) -> walk.Ctx:
        entered[0] += 1
        return enter(self, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(walk.Walk, "enter", counted)
        fast = _extract_all(corpus)
    with long_way() as calls:
        slow = _extract_all(corpus)
    assert fast == slow
    assert entered[0] < calls[0] * 0.9  # the shortcut is taken
    assert sum(len(e.facts.numbers) for e in fast) > 100  # the pages hold numbers to compare
