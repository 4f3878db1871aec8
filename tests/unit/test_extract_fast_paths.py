"""The shortcuts of extraction and judging (issue 7) give exactly what the long way gives.

- `textscan._frequent` folds the common full-width punctuation with `str.replace` before NFKC;
- `Walk.walk` skips `Walk.enter` for elements without attributes that nothing can change (a pending
  descendant chain included, unless it goes on at the element's tag), and for those with only a class
  or id that no style rule matches; whitespace-only text is told by `str.isspace`;
- `StyleSheet.match` memoises its result for elements with no pending descendant chain, or none that
  can go on at them;
- `Walk.scan` remembers the numbers of short channel texts across pages; `Walk.resolve` skips the
  noise regex when there is no noise; `walk.context` widens its window with one regex search;
- `StyleLookup` remembers camouflage and centring across pages by element signature;
- `page_signals` looks for its words only where a hint character stands; `document_styles` tries the
  `font-size:0` pattern only where "font-size" stands;
- `rules.text.normalise` skips the steps that would change nothing; `rules.numbers` starts the licence
  pattern at the first business class; `rules.templates` remembers footer text keys.

Each is compared with the long way (NFKC itself; every element entered; no memo) on generated text
and pages, and on every page of the labelled corpus.
"""

from __future__ import annotations

import copy
import pickle
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crawler import computed_style, signals, stylesheets, textscan, walk
from crawler.decode import decode_body
from crawler.extract import Extracted, extract
from crawler.visibility import NO_STYLES, StyleSheet
from rules import licence_format_rules, numbers, templates
from rules import text as rules_text
from rules.judge import judge_page
from rules.model import LicenceFacts
from rules.policy import Policy
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
        patch.setattr(walk, "_ENTERED", _Everything())  # no element is inert
        patch.setattr(StyleSheet, "match", StyleSheet._match)
        patch.setattr(StyleSheet, "plain", lambda self, tag, attrs, pending: False)
        patch.setattr(walk.Walk, "enter", counted)
        patch.setattr(walk, "_channel_numbers", walk._numbers_in)
        patch.setattr(computed_style, "_SHARED", {})
        patch.setattr(computed_style, "_across_pages", lambda kind, start, late, compute: compute())
        yield calls


class _Everything(frozenset[str]):
    """A set that holds every tag."""

    def __contains__(self, item: object) -> bool:
        return True


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
    ' style="visibility:hidden"', ' style="font-size:0"', " open", ' title="陕B2-20210271"',
    ' aria-label="陕ICP备2021012345号"', ' style="color:#fff"',
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


def test_every_whitespace_character_is_blank() -> None:
    # `Walk.walk` tells whitespace-only text by `str.isspace`, then treats it as made of BLANK alone.
    assert all(chr(c) in textscan.BLANK for c in range(0x110000) if chr(c).isspace())


def _normalise_long_way(text: str) -> str:
    """`rules.text.normalise` with every step applied, whatever the text holds."""
    text = text.translate(rules_text._ZERO_WIDTH)
    text = rules_text.nfkc(text)  # NFKC, compatibility digits kept
    text = text.translate(rules_text._DASHES)
    return rules_text._SPACES.sub(" ", text)


@SETTINGS
@given(TEXTS)
@example("a\u200bb \u2014 c\u00ad")
@example("\uff0d\ufe63 \u2212")  # NFKC makes U+2212 of U+FE63 and U+FF0D; both read as "-"
def test_rules_normalise_skips_only_the_steps_that_change_nothing(text: str) -> None:
    assert normalise(text) == _normalise_long_way(text)


LICENCE_PARTS = st.sampled_from(
    ["陕", "合字", "合", " ", "\u3000", "\t", "A1", "B2", "B", "2", "-", "20210271", "2O21027", "1990123", "x", "9",
     ".", "、", "号", "-1"]
)  # fmt: skip


@SETTINGS
@given(st.lists(LICENCE_PARTS, max_size=20).map("".join))
@example("陕 \u3000B2-20210271")
@example("合字 B1.B2-20210271")
@example("xB2-20210271 陕B2-20210272号-1")
@example("陕A1 . B2、B1-20210271")
def test_the_licence_pattern_starts_where_it_can_first_match(text: str) -> None:
    slow = [(m.start(), m.end()) for m in numbers.LICENCE_RE.finditer(text)]
    assert [(m.start, m.end) for m in numbers._licences(text)] == slow


def test_footer_text_keys_are_remembered_by_text_and_hosts() -> None:
    text = "首页 http://www.example.com/a.html 陕ICP备2021012345号-1 更新于 2024-01-02"
    for urls in (["http://www.example.com/p"], ["http://other.example/p"], ["http://www.example.com/q"]):
        hosts = templates._hosts(urls)
        long_way = templates._text_key.__wrapped__(templates._normalised.__wrapped__(text), hosts)
        assert templates.footer_text_key(text, urls) == long_way
    assert "<url>" in templates.footer_text_key(text, ["http://www.example.com/p"])
    assert "<url>" not in templates.footer_text_key(text, ["http://other.example/p"])


CAMOUFLAGE = (
    "<html><head><style>.f{{background:#fff;color:#000}} .c{{text-align:center}}</style></head><body>"
    '<p>正文</p><footer class="f"><p{}>陕B2-20210271</p></footer></body></html>'
)


@pytest.mark.parametrize(
    "order", [("white", "black", "centred", "white"), ("black", "white", "white", "centred")]
)
def test_camouflage_and_centring_are_remembered_by_element_signature(order: tuple[str, ...]) -> None:
    attrs = {"white": ' style="color:#fff"', "black": ' style="color:#000"', "centred": ' class="c"'}
    computed_style._SHARED.clear()
    for name in order:
        (hit,) = extract(CAMOUFLAGE.format(attrs[name]), URL, URL, is_homepage=True).facts.numbers
        assert hit.visible is (name != "white")
        assert hit.centred is (True if name == "centred" else None)


@pytest.mark.parametrize(
    "raw",
    [
        "/a",
        " /a/b.html ",
        "/a\tb",
        "\n/a\r\n",
        "//cdn.example/x",
        "x/../y",
        "?q=1",
        "mailto:a@b.c",
        "https://h/a",
        # empty query, fragment or parameters: urljoin drops them
        "/a?",
        "/a#",
        "/a;",
        "/?",
        "/a?#f",
        "/a;?x",
        "/a?x#",
        "/a?x=1",
        "/a;b?x",
    ],
)
def test_links_resolve_as_urljoin_does(raw: str) -> None:
    walker = walk.Walk(NO_STYLES, frozenset(), URL, stylesheets={}, frame_documents={})
    url = walker.resolve(raw)
    assert url == urljoin(URL, re.sub(r"[\t\n\r]", "", raw).strip())
    assert (url in walker.links) is not raw.startswith("mailto:")


def _context_long_way(text: str, start: int, end: int) -> str:
    """`walk.context` widening left one character at a time."""
    left, right = max(0, start - walk.CONTEXT_CHARS), min(len(text), end + walk.CONTEXT_CHARS)
    while left > 0 and left > start - 2 * walk.CONTEXT_CHARS and walk._WORD.fullmatch(text[left - 1]):
        left -= 1
    word = walk._WORD.match(text, right)
    right = min(len(text), right + (len(word[0]) if word else 0), end + 2 * walk.CONTEXT_CHARS)
    return " ".join(text[left:right].split())


CONTEXT_PARTS = st.sampled_from(
    ["a", "b1", "-", ".", ":", "：", "中", " ", "\t", ",", "_", "x" * 13, "陕B2-20210271"]
)


@SETTINGS
@given(st.lists(CONTEXT_PARTS, min_size=1, max_size=40).map("".join), st.integers(0, 600), st.integers(0, 30))
@example("x" * 80, 40, 0)  # a run of word characters longer than the widening allows
def test_the_context_window_widens_as_one_character_at_a_time(text: str, at: int, length: int) -> None:
    start = min(at, len(text))
    end = min(start + length, len(text))
    assert walk.context(text, start, end) == _context_long_way(text, start, end)


@SETTINGS
@given(
    st.lists(
        st.sampled_from(["font-size", ":", " ", "0", "1", ".", "px", "x", "font-size:0", "<p>"]), max_size=12
    )
)
def test_font_size_zero_is_found_where_font_size_stands(parts: list[str]) -> None:
    html = "".join(parts)
    assert stylesheets._sets_font_zero(html) is (stylesheets._FONT_ZERO.search(html) is not None)


def test_every_signal_word_holds_a_hint() -> None:
    # page_signals searches for the words only where a hint stands.
    words = {*signals.IM_WORDS, *signals.RTC_WORDS, *signals.SHOP_WORDS, *signals.LICENCE_WORDS}
    assert words == set(signals._WORDS.pattern.split("|"))
    assert all(any(hint in word for hint in signals.WORD_HINTS) for word in words)


URL_PARTS = st.sampled_from(
    [
        "http://",
        "https://",
        "h.cn",
        "H",
        ":",
        "8080",
        "/",
        "?",
        "#",
        "@",
        "[",
        "]",
        "::1",
        ".",
        "..",
        ";",
        "\\",
        "ｈ",
        " ",
        "%7e",
    ]
)


@SETTINGS
@given(
    st.lists(URL_PARTS, min_size=1, max_size=10).map("".join), st.sampled_from([URL, "https://b.cn/a/b?q#f"])
)
@example("http://", URL)  # no host: urljoin takes the base's
@example("https://?q", URL)
def test_links_to_other_hosts_join_as_urljoin_does(href: str, base: str) -> None:
    href = href if href.startswith(("http://", "https://")) else "https://" + href
    walker = walk.Walk(NO_STYLES, frozenset(), base, stylesheets={}, frame_documents={})
    try:
        expected: str | None = urljoin(base, href.strip())
    except ValueError:
        expected = None
    assert walker.resolve(href, record=False) == expected


POLICY = Policy(
    licence=LicenceFacts(
        number="陕B2-20210271", holder="某公司", valid_until=date(2026, 8, 30), issued=date(2021, 8, 30)
    ),
    today=date(2026, 11, 27),
)


@pytest.mark.parametrize("page", sorted(CORPUS.glob("*.html"))[:40], ids=lambda p: p.stem)
def test_a_judged_page_crosses_the_pipe_to_the_crawler_unchanged(page: Path) -> None:
    html = decode_body(page.read_bytes(), None)[0]
    extracted = extract(html, URL, URL, is_homepage=True)
    judgement = judge_page(extracted.facts, POLICY)
    objects = [extracted, extracted.facts, judgement, *extracted.facts.numbers, *extracted.facts.signals]
    objects += judgement.findings
    for obj in objects:
        # judging processes send their answers pickled (crawler.judge_worker)
        assert pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)) == obj
        assert copy.deepcopy(obj) == obj


@pytest.mark.parametrize("key", ["陕B2-20210271", "合字B1.B2-20130004", "B2-2021", "x", "京ICP证000001号"])
def test_licence_keys_split_alike_when_remembered(key: str) -> None:
    assert licence_format_rules.split_key(key) == licence_format_rules.split_key.__wrapped__(key)
    assert licence_format_rules.split_key(key) == licence_format_rules.split_key.__wrapped__(key)
